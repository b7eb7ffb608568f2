// Placeholder until the stage behind `trigger` lands; replaced by its own command file.
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  description: 'trigger (not built yet)',
  usage: 'trigger',
  async run(ctx) {
    ctx.reporter.warn('newsmirror trigger is not built yet');
    return EXIT.failed;
  },
};
export default command;
