// Placeholder until the stage behind `check` lands; replaced by its own command file.
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  description: 'check (not built yet)',
  usage: 'check',
  async run(ctx) {
    ctx.reporter.warn('newsmirror check is not built yet');
    return EXIT.failed;
  },
};
export default command;
