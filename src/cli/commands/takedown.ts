/** `newsmirror takedown <article-id|url> --reason "..."`: remove an article for good, with a tombstone in the audit log; `--list`, `--undo`. */
import type { Takedown } from '../../core/config.ts';
import { UsageError } from '../../core/errors.ts';
import { isActive } from '../../core/takedowns.ts';
import { listTakedowns, takedown, undoTakedown } from '../../staff/takedown.ts';
import { EXIT, holdingRunLock, printJson, stringOption, type Command, type CommandContext } from '../command.ts';
import { formatSummary, runPipeline } from '../pipeline.ts';

function describe(t: Takedown): string {
  const lifted = t.undone ? `  [undone ${t.undone.time}: ${t.undone.reason}]` : '';
  return `${t.time}  ${t.id}${t.url && t.url !== t.id ? ` (${t.url})` : ''}: ${t.reason}${lifted}`;
}

async function list(ctx: CommandContext): Promise<number> {
  const all = await listTakedowns(ctx.root);
  if (ctx.json) printJson(all);
  else if (!all.length) process.stdout.write('No takedowns: content/_data/takedowns.yaml lists none.\n');
  else process.stdout.write(`${all.map(describe).join('\n')}\n${all.filter(isActive).length} in force, ${all.filter((t) => !isActive(t)).length} undone.\n`);
  return EXIT.ok;
}

async function undo(ctx: CommandContext, target: string, reason: string): Promise<number> {
  const lifted = await holdingRunLock(ctx, () => undoTakedown({ root: ctx.root, target, reason }));
  if (ctx.json) printJson({ undone: lifted });
  for (const t of lifted) ctx.reporter.info(`undone: ${t.id} (tombstone of ${t.time}) at ${t.undone!.time}: ${t.undone!.reason}`);
  ctx.reporter.info('Its file is not restored: the next `npx newsmirror run` fetches it again if its feed still offers it.');
  return EXIT.ok;
}

const command: Command = {
  description:
    'remove an article from the mirror for good: deletes its file and records a tombstone in content/_data/takedowns.yaml\nThe article is never rendered or ingested again, even if its feed still offers it. An id or URL that matches no article needs --ahead.',
  usage: 'takedown <article-id|url> --reason "..." [--ahead] [--run]  |  takedown --list  |  takedown --undo <article-id|url> --reason "..."',
  needsProject: true,
  positionals: true,
  options: {
    reason: { type: 'string', description: 'why (kept in the audit log), e.g. "source safety"' },
    ahead: { type: 'boolean', description: 'tombstone an id or URL that matches no article yet, so it is never ingested' },
    list: { type: 'boolean', description: 'show every tombstone (undone ones marked) and change nothing' },
    undo: { type: 'string', description: 'lift the tombstone of this article id or URL (needs --reason; kept in the audit log)' },
    run: { type: 'boolean', description: 'then run the whole job at once, so every mirror drops it' },
  },
  async run(ctx) {
    const undoTarget = stringOption(ctx, 'undo');
    if (ctx.values.list) {
      if (ctx.positionals.length || undoTarget !== undefined) throw new UsageError('--list takes no article and no --undo');
      return list(ctx);
    }
    const reason = stringOption(ctx, 'reason');
    if (undoTarget !== undefined) {
      if (ctx.positionals.length) throw new UsageError('--undo ID takes no other article');
      if (!reason?.trim()) throw new UsageError('--reason "..." is required: it is kept in the audit log');
      return undo(ctx, undoTarget, reason);
    }
    const [target, ...extra] = ctx.positionals;
    if (!target || extra.length) throw new UsageError('give exactly one article id or original URL');
    if (!reason?.trim()) throw new UsageError('--reason "..." is required: it is kept in the audit log');
    // Hold the run lock: a run in progress must not write the article back in between.
    const result = await holdingRunLock(ctx, () => takedown({ root: ctx.root, target, reason, ahead: ctx.values.ahead === true }));
    if (result.already && !result.removed.length) ctx.reporter.info(`${target} was already taken down; nothing changed`);
    for (const path of result.removed) ctx.reporter.info(`deleted ${path}`);
    if (!result.removed.length && !result.already) ctx.reporter.info(`no article file matches ${target} yet (--ahead): the tombstone is recorded so it will never be ingested`);
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
