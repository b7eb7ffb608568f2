// Placeholder until the stage behind `publish` lands; replaced by its own command file.
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  description: 'publish (not built yet)',
  usage: 'publish',
  async run(ctx) {
    ctx.reporter.warn('newsmirror publish is not built yet');
    return EXIT.failed;
  },
};
export default command;
