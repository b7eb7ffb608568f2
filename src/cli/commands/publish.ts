/** `newsmirror publish`: send the sealed build to every enabled target in mirrors/*.yaml, in parallel. */
import { holdingRunLock, printJson, type Command } from '../command.ts';
import { partialExit } from '../exit.ts';
import { publish, type PublishResult } from '../../publish/index.ts';

/** 0 all ok (or nothing to do), 1 every target tried failed, 3 some failed. */
export function publishExitCode(results: PublishResult[]): number {
  const tried = results.filter((r) => r.status !== 'skipped');
  return partialExit(tried.length, tried.filter((r) => r.status === 'failed').length);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** One line a target: name, type, status, files, bytes, time, then what happened. */
export function formatResults(results: PublishResult[]): string {
  const width = Math.max(6, ...results.map((r) => r.target.length));
  return results.map((r) => {
    const what = r.status === 'failed' ? r.reason : r.status === 'skipped' ? r.reason : r.detail;
    return `${r.target.padEnd(width)}  ${r.type.padEnd(5)}  ${r.status.padEnd(7)}  ${String(r.files).padStart(6)} files  ${size(r.bytes).padStart(10)}  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${what ?? ''}`;
  }).join('\n');
}

const command: Command = {
  description: 'publish the sealed build (dist/ + _site/) to every enabled target in mirrors/*.yaml\nEach target runs in parallel with its own retries and timeout; exit 3 when some failed, 1 when all failed.',
  usage: 'publish [--target NAME ...] [--dry-run]',
  operatorFolder: true,
  needsProject: true,
  options: {
    target: { type: 'string', multiple: true, description: 'publish only to this mirror (its "name"); repeatable' },
    'dry-run': { type: 'boolean', description: 'say what each target would send or delete; change nothing' },
  },
  async run(ctx) {
    const targets = ctx.values.target;
    // Hold the run lock: a `run` in progress may be rewriting dist/ under us.
    const results = await holdingRunLock(ctx, () => publish({
      root: ctx.root,
      project: ctx.project,
      targets: Array.isArray(targets) ? targets : undefined,
      dryRun: ctx.values['dry-run'] === true,
      signal: ctx.signal,
      reporter: ctx.json ? { ...ctx.reporter, info() {} } : ctx.reporter,
    }));
    if (ctx.json) printJson(results);
    else if (results.length === 0) ctx.reporter.warn('no mirrors in mirrors/*.yaml: nothing to publish');
    else process.stdout.write(`${formatResults(results)}\n`);
    return publishExitCode(results);
  },
};
export default command;
