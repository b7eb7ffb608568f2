// Placeholder until the stage behind `run` lands; replaced by its own command file.
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  description: 'run (not built yet)',
  usage: 'run',
  async run(ctx) {
    ctx.reporter.warn('newsmirror run is not built yet');
    return EXIT.failed;
  },
};
export default command;
