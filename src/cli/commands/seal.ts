// Placeholder until the stage behind `seal` lands; replaced by its own command file.
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  description: 'seal (not built yet)',
  usage: 'seal',
  async run(ctx) {
    ctx.reporter.warn('newsmirror seal is not built yet');
    return EXIT.failed;
  },
};
export default command;
