// Placeholder until the stage behind `keygen` lands; replaced by its own command file.
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  description: 'keygen (not built yet)',
  usage: 'keygen',
  async run(ctx) {
    ctx.reporter.warn('newsmirror keygen is not built yet');
    return EXIT.failed;
  },
};
export default command;
