// Placeholder until the stage behind `serve` lands; replaced by its own command file.
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  description: 'serve (not built yet)',
  usage: 'serve',
  async run(ctx) {
    ctx.reporter.warn('newsmirror serve is not built yet');
    return EXIT.failed;
  },
};
export default command;
