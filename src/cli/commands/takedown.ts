/** `newsmirror takedown <article-id|url> --reason "..."`: remove an article for good, with a tombstone in the audit log. */
import { UsageError } from '../../core/errors.ts';
import { runLockPath, withLock } from '../../core/lock.ts';
import { takedown } from '../../staff/takedown.ts';
import { EXIT, printJson, stringOption, type Command } from '../command.ts';
import { formatSummary, runPipeline } from '../pipeline.ts';

const command: Command = {
  description:
    'remove an article from the mirror for good: deletes its file and records a tombstone in content/_data/takedowns.yaml\nThe article is never rendered or ingested again, even if its feed still offers it.',
  usage: 'takedown <article-id|url> --reason "..." [--run]',
  positionals: true,
  options: {
    reason: { type: 'string', description: 'why (kept in the audit log), e.g. "source safety"' },
    run: { type: 'boolean', description: 'then run the whole job at once, so every mirror drops it' },
  },
  async run(ctx) {
    const [target, ...extra] = ctx.positionals;
    if (!target || extra.length) throw new UsageError('give exactly one article id or original URL');
    const reason = stringOption(ctx, 'reason');
    if (!reason?.trim()) throw new UsageError('--reason "..." is required: it is kept in the audit log');
    // Hold the run lock: a run in progress must not write the article back in between.
    const result = await withLock(runLockPath(ctx.root), { waitMs: 120_000, signal: ctx.signal }, () => takedown({ root: ctx.root, target, reason }));
    if (result.already && !result.removed.length) ctx.reporter.info(`${target} was already taken down; nothing changed`);
    for (const path of result.removed) ctx.reporter.info(`deleted ${path}`);
    if (!result.removed.length && !result.already) ctx.reporter.warn(`no article file matches ${target} yet; the tombstone is recorded so it will never be ingested`);
    for (const t of result.added) ctx.reporter.info(`tombstone: ${t.id}${t.url ? ` (${t.url})` : ''} at ${t.time}: ${t.reason}`);
    if (!ctx.values.run) {
      if (ctx.json) printJson(result);
      ctx.reporter.info('The published mirrors still carry it until the next run: run `npx newsmirror run` now.');
      return EXIT.ok;
    }
    // --run --json: one document, the takedown and the run's summary together.
    const summary = await runPipeline({ root: ctx.root, signal: ctx.signal, reporter: ctx.reporter, waitMs: 120_000 });
    if (ctx.json) printJson({ ...result, run: summary });
    else process.stderr.write(formatSummary(summary));
    return summary.exit;
  },
};
export default command;
