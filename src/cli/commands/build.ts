// `newsmirror build`: render content/ into _site/ (Eleventy, configured by .eleventy.ts).
import { EXIT, holdingRunLock, printJson, type Command } from '../command.ts';
import { build } from '../../render/index.ts';

const command: Command = {
  description: 'render content/ into _site/: article, outlet, home and archive pages, feeds, mirror lists, build.json',
  usage: 'build [--root DIR] [--json]',
  async run(ctx) {
    const report = await holdingRunLock(ctx, () => build({ root: ctx.root, signal: ctx.signal, reporter: ctx.reporter }));
    if (ctx.json) printJson(report);
    return EXIT.ok;
  },
};
export default command;
