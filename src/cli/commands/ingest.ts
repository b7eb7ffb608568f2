/** `newsmirror ingest`: fetch every outlet's feeds into content/; exit 0 all ok, 3 some outlets failed, 1 all failed. */
import { holdingRunLock, printJson, type Command } from '../command.ts';
import { partialExit } from '../exit.ts';
import { ingest, outletFailed } from '../../ingest/index.ts';

const command: Command = {
  description: "Fetch the outlets' feeds and mirror new and changed articles into content/",
  usage: 'ingest [--outlet ID ...]',
  needsProject: true,
  options: {
    outlet: { type: 'string', multiple: true, description: 'only this outlet (repeatable; default: every enabled outlet)' },
  },
  async run(ctx) {
    const ids = ctx.values.outlet;
    const report = await holdingRunLock(ctx, () => ingest({
      root: ctx.root,
      project: ctx.project,
      outlets: Array.isArray(ids) ? ids : undefined,
      signal: ctx.signal,
      reporter: ctx.reporter,
    }));
    const failed = report.outlets.filter(outletFailed).length;
    if (ctx.json) printJson(report);
    else {
      const sum = (key: 'new' | 'updated' | 'unchanged') => report.outlets.reduce((n, o) => n + o[key], 0);
      ctx.reporter.info(`ingest: ${report.outlets.length} outlets, ${sum('new')} new, ${sum('updated')} updated, ${sum('unchanged')} unchanged, ${failed} failed`);
    }
    return partialExit(report.outlets.length, failed);
  },
};
export default command;
