// `newsmirror build`: render content/ into _site/ (Eleventy, configured by .eleventy.ts).
import { EXIT, holdingRunLock, printJson, type Command } from '../command.ts';

const command: Command = {
  description: 'render content/ into _site/: article, outlet, home and archive pages, feeds, mirror lists, build.json',
  usage: 'build [--root DIR] [--json]',
  needsProject: true,
  async run(ctx) {
    // Loaded here, not at the top: Eleventy is the slowest module to load, and `build --help` needs none of it.
    const { build } = await import('../../render/index.ts');
    const report = await holdingRunLock(ctx, () => build({ root: ctx.root, signal: ctx.signal, reporter: ctx.reporter }));
    if (ctx.json) printJson(report);
    return EXIT.ok;
  },
};
export default command;
