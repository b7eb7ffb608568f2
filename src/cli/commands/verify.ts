// Placeholder until the stage behind `verify` lands; replaced by its own command file.
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  description: 'verify (not built yet)',
  usage: 'verify',
  async run(ctx) {
    ctx.reporter.warn('newsmirror verify is not built yet');
    return EXIT.failed;
  },
};
export default command;
