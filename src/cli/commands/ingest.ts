// Placeholder until the stage behind `ingest` lands; replaced by its own command file.
import { EXIT, type Command } from '../command.ts';

const command: Command = {
  description: 'ingest (not built yet)',
  usage: 'ingest',
  async run(ctx) {
    ctx.reporter.warn('newsmirror ingest is not built yet');
    return EXIT.failed;
  },
};
export default command;
