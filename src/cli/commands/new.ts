// Placeholder until the stage behind `new` lands; replaced by its own command file.
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  description: 'new (not built yet)',
  usage: 'new',
  async run(ctx) {
    ctx.reporter.warn('newsmirror new is not built yet');
    return EXIT.failed;
  },
};
export default command;
