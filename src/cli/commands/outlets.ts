/**
 * `newsmirror outlets check [--fix]`: is each outlet's feed alive, moved, a page, behind a
 * challenge or dead; which feed its homepage offers instead. `--fix` writes the confirmed
 * replacements into outlets.yaml (comments and order kept) and prints the diff.
 * Exit 0 every feed ok (after --fix: or fixed), 3 some are not, 1 none is, 2 bad usage or config.
 */
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { EXIT, holdingRunLock, printJson, type Command } from '../command.ts';
import { unifiedDiff } from '../../core/diff.ts';
import { UsageError } from '../../core/errors.ts';
import { writeFileAtomic } from '../../core/fs.ts';
import { projectPaths } from '../../core/project.ts';
import { checkOutlets, formatChecks, replacements, type OutletCheck } from '../../ingest/check.ts';
import { replaceFeeds, type FeedReplacement } from '../../ingest/fix.ts';

/** Write the replacements into outlets.yaml (under the run lock: ingest reads the file); returns what was applied and the diff. */
async function fix(root: string, wanted: FeedReplacement[], ctx: Parameters<Command['run']>[0]): Promise<{ applied: FeedReplacement[]; diff: string }> {
  const paths = projectPaths(root);
  const file = join(paths.data, 'outlets.yaml');
  const label = relative(paths.root, file).split('\\').join('/');
  return holdingRunLock(ctx, async () => {
    const before = await readFile(file, 'utf8');
    const { text, applied } = replaceFeeds(before, wanted, label);
    if (text !== before) await writeFileAtomic(file, text);
    return { applied, diff: unifiedDiff(before, text, label) };
  });
}

function exitCode(checks: OutletCheck[], fixed: FeedReplacement[]): number {
  const feeds = checks.flatMap((c) => c.feeds.map((f) => ({ outlet: c.outlet, feed: f })));
  const good = feeds.filter(({ outlet, feed }) => feed.status === 'ok' || fixed.some((r) => r.outlet === outlet && r.from === feed.url));
  if (good.length === feeds.length) return EXIT.ok;
  return good.length === 0 ? EXIT.failed : EXIT.partial;
}

const command: Command = {
  description:
    "check every outlet's feeds and homepage: ok (items, newest date), moved, not a feed → the feeds its homepage offers, challenge page, dead\n" +
    'Exit 0 every feed ok, 3 some are not, 1 none is. --fix writes confirmed replacements into content/_data/outlets.yaml and prints the diff.',
  usage: 'outlets check [--fix] [--outlet ID ...]',
  needsProject: true,
  positionals: true,
  options: {
    fix: { type: 'boolean', description: 'write confirmed replacements (moved feeds, feeds found on the homepage) into outlets.yaml, keeping its comments and order, and print the diff' },
    outlet: { type: 'string', multiple: true, description: 'only this outlet (repeatable; default: every outlet, disabled ones too)' },
  },
  async run(ctx) {
    if (ctx.positionals.length !== 1 || ctx.positionals[0] !== 'check') {
      throw new UsageError(`expected "outlets check", not "outlets ${ctx.positionals.join(' ')}"`.trimEnd());
    }
    const ids = ctx.values.outlet;
    const checks = await checkOutlets({ root: ctx.root, outlets: Array.isArray(ids) ? ids : undefined, signal: ctx.signal, reporter: ctx.reporter });
    const wanted = replacements(checks);
    const fixed = ctx.values.fix === true && wanted.length ? await fix(ctx.root, wanted, ctx) : { applied: [], diff: '' };
    if (ctx.json) printJson({ outlets: checks, ...(ctx.values.fix === true ? { fixed: fixed.applied, diff: fixed.diff } : {}) });
    else {
      process.stdout.write(`${formatChecks(checks)}\n`);
      if (fixed.diff) process.stdout.write(fixed.diff);
      else if (ctx.values.fix === true) ctx.reporter.info('outlets check --fix: nothing to change');
      else if (wanted.length) ctx.reporter.info(`outlets check: ${wanted.length} confirmed replacement(s); run \`newsmirror outlets check --fix\` to write them into content/_data/outlets.yaml`);
    }
    return exitCode(checks, fixed.applied);
  },
};
export default command;
