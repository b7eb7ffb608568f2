/**
 * The ingest orchestrator: for each outlet (bounded concurrency), each feed:
 * fetch (conditional GET, limits) → decode → parse → normalize → [full text] → sanitize
 * (last) → identity → content/ (atomic, never deletes). One feed failing never stops the others.
 */
import { createProgress } from '../core/progress.ts';
import { isoUtc } from '../core/article.ts';
import { loadOutlets, loadTakedowns, type Outlet } from '../core/config.ts';
import { mapLimit } from '../core/pool.ts';
import type { Project } from '../core/project.ts';
import { TakedownIndex } from '../core/takedowns.ts';
import { describeError, NewsmirrorError, UsageError } from '../core/errors.ts';
import { silentReporter, type Reporter } from '../core/log.ts';
import { IngestError } from './errors.ts';
import { DEFAULT_LIMITS, fetchUrl, type FetchLimits, type FetchResult } from './fetch.ts';
import { sleep } from '../core/sleep.ts';
import type { ImageLimits } from './images.ts';
import type * as Processing from './process.ts';
import type { Context } from './process.ts';
import type { Failure, IngestReport, OutletReport } from './report.ts';
import { loadState, saveState, type FeedState } from './state.ts';

/** The feed-processing half of ingest, loaded on the first feed that has something (never on a run of 304s). */
let processingModule: Promise<typeof Processing> | undefined;
const processing = () => (processingModule ??= import('./process.ts'));

export { DEFAULT_LIMITS, fetchUrl, type FetchLimits } from './fetch.ts';
export { IngestError, type IngestErrorCode } from './errors.ts';
export { outletFailed, type Discovered, type Failure, type IngestReport, type OutletReport } from './report.ts';

export interface IngestOptions {
  root: string;
  /** The project at `root` (outlets and takedowns read once for the run); default: read here. */
  project?: Project;
  /** Outlet ids; default every enabled outlet. */
  outlets?: string[];
  signal?: AbortSignal;
  reporter?: Reporter;
  /** The clock for dates (future-date clamping, fetch time). */
  now?: () => Date;
  limits?: Partial<FetchLimits>;
  /** Outlets fetched at the same time (default 4). */
  concurrency?: number;
  /** Limits of archived photos (src/ingest/images.ts); an outlet's `imageBytes` overrides the byte budget. */
  imageLimits?: Partial<ImageLimits>;
  /** Called after each outlet that brought new or updated articles, while the others may still be fetching (run loads the build's code then). */
  onNews?: () => void;
}





function toFailure(error: unknown, url: string): Failure {
  if (error instanceof NewsmirrorError) return { url, code: error.code, reason: describeError(error) };
  return { url, code: 'ERR_INTERNAL', reason: describeError(error) };
}

/** GET a feed; a 429/503 whose Retry-After is short enough is waited for once. */
async function fetchFeed(url: string, feedState: FeedState, ctx: Context): Promise<FetchResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchUrl({ url, limits: ctx.limits, signal: ctx.signal, etag: feedState.etag, lastModified: feedState.lastModified });
    } catch (error) {
      const wait = error instanceof IngestError && error.code === 'ERR_RATE_LIMITED' && error.retryAfter ? error.retryAfter.getTime() - Date.now() : undefined;
      if (attempt === 0 && wait !== undefined && wait <= ctx.limits.maxRetryWaitMs) {
        await sleep(Math.max(0, wait), ctx.signal);
        continue;
      }
      throw error;
    }
  }
}

async function ingestFeed(outlet: Outlet, feedUrl: string, ctx: Context, report: OutletReport, seen: Set<string>): Promise<void> {
  const feedState = (ctx.state.feeds[feedUrl] ??= {});
  if (feedState.retryAfter && Date.parse(feedState.retryAfter) > Date.now()) {
    throw new IngestError('ERR_RATE_LIMITED', feedUrl, `${feedUrl}: the server asked not to be fetched before ${feedState.retryAfter}; skipped this run`);
  }
  const fetched = await fetchFeed(feedUrl, feedState, ctx);
  if (fetched.status === 200) {
    await (await processing()).writeFeed(outlet, feedUrl, fetched, ctx, report, seen);
    // Validators are kept only once the body was fully processed, so a failure is retried in full.
    if (fetched.etag) feedState.etag = fetched.etag;
    else delete feedState.etag;
    if (fetched.lastModified) feedState.lastModified = fetched.lastModified;
    else delete feedState.lastModified;
  }
  feedState.lastSuccess = isoUtc(new Date());
  delete feedState.retryAfter;
  delete feedState.lastError;
}

async function ingestOutlet(outlet: Outlet, ctx: Context): Promise<OutletReport> {
  const report: OutletReport = { outlet: outlet.id, new: 0, updated: 0, unchanged: 0, skipped: 0, failed: [] };
  const seen = new Set<string>();
  for (const feedUrl of outlet.feeds) {
    try {
      try {
        await ingestFeed(outlet, feedUrl, ctx, report, seen);
      } catch (error) {
        const found = error instanceof IngestError && error.code === 'ERR_NOT_A_FEED' ? await (await processing()).replacementFeed(outlet, feedUrl, ctx) : undefined;
        if (!found) throw error;
        await ingestFeed(outlet, found, ctx, report, seen);
        const reason = `${feedUrl} answered with a page, not a feed; used ${found}, found on ${outlet.homepage}, for this run. To keep it, run \`newsmirror outlets check --fix\``;
        (report.discovered ??= []).push({ feed: feedUrl, used: found, reason });
        ctx.reporter.warn(`${outlet.id}: ${reason}`);
        const feedState = (ctx.state.feeds[feedUrl] ??= {});
        feedState.lastError = { time: isoUtc(new Date()), code: (error as IngestError).code, reason: describeError(error) };
      }
    } catch (error) {
      if (ctx.signal?.aborted) throw ctx.signal.reason ?? error;
      const failure = toFailure(error, feedUrl);
      report.failed.push(failure);
      const feedState = (ctx.state.feeds[feedUrl] ??= {});
      feedState.lastError = { time: isoUtc(new Date()), code: failure.code, reason: failure.reason };
      if (error instanceof IngestError && error.retryAfter) feedState.retryAfter = isoUtc(error.retryAfter);
      ctx.reporter.warn(`${outlet.id}: ${failure.reason}`);
    }
  }
  if (outlet.sitemaps?.length) await (await processing()).ingestSitemaps(outlet, ctx, report, seen);
  return report;
}

/** Pick the outlets to run: the named ones (any, even disabled), else every enabled one. */
export function selectOutlets(all: Outlet[], ids: string[] | undefined): Outlet[] {
  if (!ids?.length) return all.filter((o) => o.enabled);
  return ids.map((id) => {
    const outlet = all.find((o) => o.id === id);
    if (!outlet) throw new UsageError(`no outlet "${id}" in content/_data/outlets.yaml; known: ${all.map((o) => o.id).join(', ') || '(none)'}`);
    return outlet;
  });
}

/** Ingest every selected outlet's feeds into content/. Throws only for bad config or an abort. */
export async function ingest(options: IngestOptions): Promise<IngestReport> {
  const reporter = options.reporter ?? silentReporter;
  const outlets = selectOutlets(await (options.project?.outlets() ?? loadOutlets(options.root)), options.outlets);
  const takedowns = await (options.project?.takedowns() ?? loadTakedowns(options.root));
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const state = await loadState(options.root);
  const ctx: Context = {
    root: options.root,
    limits,
    signal: options.signal,
    reporter,
    now: options.now ?? (() => new Date()),
    state,
    takedowns: new TakedownIndex(takedowns),
    imageLimits: options.imageLimits ?? {},
    lazy: {},
  };
  const progress = createProgress(reporter, 'ingest', outlets.length, { unit: 'outlets' });
  try {
    const reports = await mapLimit(outlets, options.concurrency ?? 4, async (outlet) => {
      reporter.progress(`ingest ${progress.done}/${outlets.length} outlets: fetching ${outlet.id}`);
      const report = await ingestOutlet(outlet, ctx);
      progress.tick();
      const failed = report.failed.length ? `, ${report.failed.length} failed` : '';
      reporter.info(`${outlet.id}: ${report.new} new, ${report.updated} updated, ${report.unchanged} unchanged${report.skipped ? `, ${report.skipped} taken down` : ''}${failed}`);
      if (report.new + report.updated > 0) options.onNews?.();
      return report;
    });
    return { outlets: reports };
  } finally {
    await saveState(options.root, ctx.state);
    // Read only if some feed had something new (a run where every feed answers 304 never loads it).
    if (ctx.lazy.index) await (await processing()).saveIndex(ctx);
  }
}
