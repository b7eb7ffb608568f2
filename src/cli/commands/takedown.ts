// Placeholder until the stage behind `takedown` lands; replaced by its own command file.
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  description: 'takedown (not built yet)',
  usage: 'takedown',
  async run(ctx) {
    ctx.reporter.warn('newsmirror takedown is not built yet');
    return EXIT.failed;
  },
};
export default command;
