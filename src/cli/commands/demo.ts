// Placeholder until the stage behind `demo` lands; replaced by its own command file.
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  description: 'demo (not built yet)',
  usage: 'demo',
  async run(ctx) {
    ctx.reporter.warn('newsmirror demo is not built yet');
    return EXIT.failed;
  },
};
export default command;
