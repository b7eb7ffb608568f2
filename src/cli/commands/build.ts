// Placeholder until the stage behind `build` lands; replaced by its own command file.
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  description: 'build (not built yet)',
  usage: 'build',
  async run(ctx) {
    ctx.reporter.warn('newsmirror build is not built yet');
    return EXIT.failed;
  },
};
export default command;
