/**
 * The ingest orchestrator: for each outlet (bounded concurrency), each feed:
 * fetch (conditional GET, limits) → decode → parse → normalize → [full text] → sanitize
 * (last) → identity → content/ (atomic, never deletes). One feed failing never stops the others.
 */
import { createProgress } from '../core/progress.ts';
import { isoUtc, type Article } from '../core/article.ts';
import { loadOutlets, loadTakedowns, type Outlet } from '../core/config.ts';
import { mapLimit } from '../core/pool.ts';
import type { Project } from '../core/project.ts';
import { TakedownIndex } from '../core/takedowns.ts';
import { describeError, NewsmirrorError, UsageError } from '../core/errors.ts';
import { silentReporter, type Reporter } from '../core/log.ts';
import { sanitizeArticleHtml } from '../core/sanitize.ts';
import { parseArticle, readArticleIndex, saveArticleIndex, writeArticles, type ArticleIndex } from '../content/index.ts';
import { readFile } from 'node:fs/promises';
import { onTrustedHost } from './address.ts';
import { decodeBody } from './decode.ts';
import { IngestError } from './errors.ts';
import { DEFAULT_LIMITS, fetchUrl, type FetchLimits, type FetchResult } from './fetch.ts';
import { sleep } from '../core/sleep.ts';
import { extractFullText } from './fulltext.ts';
import { articleId, assignIds } from './identity.ts';
import { normalizeItem, type Draft } from './normalize.ts';
import { discoverFeeds, feedUrlOf } from './discover.ts';
import { readFeed } from './read.ts';
import { DEFAULT_IMAGE_LIMITS, imageContext, localizeImages, type ImageContext, type ImageLimits } from './images.ts';
import { DEFAULT_SITEMAP_PAGES, sitemapDrafts } from './sitemap-ingest.ts';
import type { Failure, IngestReport, OutletReport } from './report.ts';
import { DISCOVERY_INTERVAL_MS, FULLTEXT_RETRY_MS, loadState, saveState, type FeedState, type IngestState } from './state.ts';

export { DEFAULT_LIMITS, fetchUrl, type FetchLimits } from './fetch.ts';
export { IngestError, type IngestErrorCode } from './errors.ts';
export { parseFeed } from './parse/index.ts';
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
}



interface Context {
  root: string;
  limits: FetchLimits;
  signal?: AbortSignal;
  reporter: Reporter;
  now: () => Date;
  index: ArticleIndex;
  state: IngestState;
  takedowns: TakedownIndex;
  media: ImageContext;
}


function toFailure(error: unknown, url: string): Failure {
  if (error instanceof NewsmirrorError) return { url, code: error.code, reason: describeError(error) };
  return { url, code: 'ERR_INTERNAL', reason: describeError(error) };
}

/** One item that could not be processed: reported, skipped, and the rest of its feed kept. */
function badItem(feedUrl: string, link: string | undefined, which: string, error: unknown): Failure {
  return { url: link || feedUrl, code: 'ERR_BAD_ITEM', reason: `${feedUrl}: ${which} could not be processed (${describeError(error)}); skipped, the rest of the feed is kept` };
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

/**
 * The body of a summary-only item: the article page's main content, or the summary if that
 * fails (the page is then retried on later runs, for FULLTEXT_RETRY_MS). An article mirrored
 * with its full text keeps it: its page is not fetched again on every run.
 */
async function fullTextBody(draft: Draft, id: string, outlet: Outlet, ctx: Context, failed: Failure[]): Promise<{ html: string; baseUrl: string; sanitized?: boolean }> {
  const pending = (ctx.state.fulltextPending ??= {});
  const existing = ctx.index.get(id);
  const since = pending[id];
  const retry = since !== undefined && Date.now() - Date.parse(since) < FULLTEXT_RETRY_MS;
  if (since !== undefined && !retry) delete pending[id];
  if (existing && !retry) {
    const parsed = parseArticle(await readFile(existing.path, 'utf8'));
    if (parsed) return { html: parsed.body.replace(/\n$/, ''), baseUrl: draft.baseUrl, sanitized: true };
  }
  try {
    // The operator vouches for the hosts in outlets.yaml; any other host a feed links to must be public.
    const publicOnly = !onTrustedHost(outlet, draft.url);
    const page = await fetchUrl({ url: draft.url, limits: ctx.limits, signal: ctx.signal, accept: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5', publicOnly });
    const extracted = extractFullText(decodeBody(page.body, page.contentType), page.url);
    if (!extracted) throw new IngestError('ERR_FULLTEXT', page.url, `${page.url}: no article text found on the page`);
    delete pending[id];
    return { html: extracted, baseUrl: page.url };
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    pending[id] ??= isoUtc(new Date());
    failed.push({ url: draft.url, code: 'ERR_FULLTEXT', reason: `full text: ${describeError(error)} (kept the feed's summary; the page is retried on the next runs)` });
    return { html: draft.html, baseUrl: draft.baseUrl };
  }
}

/** Drafts of one feed to sanitized Articles (takedowns skipped, in-feed repeats dropped). */
async function toArticles(outlet: Outlet, drafts: Draft[], ctx: Context, report: OutletReport, seen: Set<string>, fulltext = outlet.fulltext): Promise<Article[]> {
  const ids = assignIds(outlet.id, drafts);
  const articles: Article[] = [];
  for (const [i, draft] of drafts.entries()) {
    const id = ids[i] as string;
    if (seen.has(id)) continue;
    seen.add(id);
    if (ctx.takedowns.has({ id, url: draft.url })) {
      report.skipped++;
      continue;
    }
    let body: { html: string; baseUrl: string; sanitized?: boolean } = { html: draft.html, baseUrl: draft.baseUrl };
    if (fulltext && draft.url) body = await fullTextBody(draft, id, outlet, ctx, report.failed);
    let html: string;
    try {
      if (body.sanitized) html = body.html;
      else {
        // Photos archived first (content/_media/), then the sanitizer, last, keeps exactly those as local images.
        const media = await localizeImages(body.html, body.baseUrl, outlet, ctx.media);
        html = sanitizeArticleHtml(media.html, { baseUrl: body.baseUrl, localImages: media.local }).trim();
      }
    } catch (error) {
      if (ctx.signal?.aborted) throw error;
      report.failed.push(badItem(draft.feed, draft.url, `"${draft.title}"`, error));
      continue;
    }
    const article: Article = {
      id,
      outlet: outlet.id,
      title: draft.title,
      url: draft.url,
      date: draft.date,
      author: draft.author,
      lang: draft.lang,
      tags: draft.tags,
      summary: draft.summary,
      source: { feed: draft.feed, fetched: draft.fetched, ...(draft.guid ? { guid: draft.guid } : {}) },
      // Sanitizing is the last transform of the body, whatever produced it.
      body: html,
    };
    if (draft.updated) article.updated = draft.updated;
    if (draft.dateNote) article.dateNote = draft.dateNote;
    articles.push(article);
  }
  return articles;
}

async function ingestFeed(outlet: Outlet, feedUrl: string, ctx: Context, report: OutletReport, seen: Set<string>): Promise<void> {
  const feedState = (ctx.state.feeds[feedUrl] ??= {});
  if (feedState.retryAfter && Date.parse(feedState.retryAfter) > Date.now()) {
    throw new IngestError('ERR_RATE_LIMITED', feedUrl, `${feedUrl}: the server asked not to be fetched before ${feedState.retryAfter}; skipped this run`);
  }
  const fetched = await fetchFeed(feedUrl, feedState, ctx);
  if (fetched.status === 200) {
    const feed = readFeed(fetched, feedUrl);
    const now = ctx.now();
    for (const bad of feed.badItems ?? []) report.failed.push({ url: bad.link ?? feedUrl, code: 'ERR_BAD_ITEM', reason: `${feedUrl}: ${bad.reason}` });
    const drafts: Draft[] = [];
    for (const [i, item] of feed.items.slice(0, ctx.limits.maxItems).entries()) {
      try {
        drafts.push(normalizeItem(item, { outlet, feedUrl, feed, fetched: now, now }));
      } catch (error) {
        report.failed.push(badItem(feedUrl, item.link, `item ${i + 1}`, error));
      }
    }
    const written = await writeArticles(ctx.root, await toArticles(outlet, drafts, ctx, report, seen), { index: ctx.index });
    report.new += written.new;
    report.updated += written.updated;
    report.unchanged += written.unchanged;
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

/**
 * A configured feed answered with a page: the outlet's homepage is searched for its feed at
 * most once a day (the state remembers the attempt and what it found), and the feed found is
 * used for this run. outlets.yaml is never changed here: `outlets check --fix` does that.
 */
async function replacementFeed(outlet: Outlet, feedUrl: string, ctx: Context): Promise<string | undefined> {
  const feedState = (ctx.state.feeds[feedUrl] ??= {});
  const last = feedState.discovery;
  if (last && Date.now() - Date.parse(last.time) < DISCOVERY_INTERVAL_MS) return last.found;
  const result = await discoverFeeds(outlet.homepage, { limits: ctx.limits, signal: ctx.signal, exclude: outlet.feeds });
  const found = result.feeds[0] ? feedUrlOf(result.feeds[0]) : undefined;
  feedState.discovery = { time: isoUtc(new Date()), ...(found ? { found } : {}) };
  return found;
}

/** An outlet's sitemaps: new pages, extracted already (src/ingest/sitemap-ingest.ts), written like feed items. */
async function ingestSitemaps(outlet: Outlet, ctx: Context, report: OutletReport, seen: Set<string>): Promise<void> {
  const urls = new Set<string>();
  for (const entry of ctx.index.values()) if (entry.frontMatter.outlet === outlet.id && entry.frontMatter.url) urls.add(entry.frontMatter.url);
  const known = (url: string) => {
    const id = articleId(outlet.id, `link:${url}`);
    return urls.has(url) || ctx.index.has(id) || ctx.takedowns.has({ id, url });
  };
  const run = await sitemapDrafts(outlet, ctx, known);
  for (const failure of run.failed) ctx.reporter.warn(`${outlet.id}: ${failure.reason}`);
  report.failed.push(...run.failed);
  if (run.waiting) ctx.reporter.info(`${outlet.id}: ${run.waiting} more new pages in the sitemaps, left for the next runs (sitemapPages: ${outlet.sitemapPages ?? DEFAULT_SITEMAP_PAGES})`);
  const written = await writeArticles(ctx.root, await toArticles(outlet, run.drafts, ctx, report, seen, false), { index: ctx.index });
  report.new += written.new;
  report.updated += written.updated;
  report.unchanged += written.unchanged;
}

async function ingestOutlet(outlet: Outlet, ctx: Context): Promise<OutletReport> {
  const report: OutletReport = { outlet: outlet.id, new: 0, updated: 0, unchanged: 0, skipped: 0, failed: [] };
  const seen = new Set<string>();
  for (const feedUrl of outlet.feeds) {
    try {
      try {
        await ingestFeed(outlet, feedUrl, ctx, report, seen);
      } catch (error) {
        const found = error instanceof IngestError && error.code === 'ERR_NOT_A_FEED' ? await replacementFeed(outlet, feedUrl, ctx) : undefined;
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
  if (outlet.sitemaps?.length) await ingestSitemaps(outlet, ctx, report, seen);
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
    index: await readArticleIndex(options.root),
    state,
    takedowns: new TakedownIndex(takedowns),
    media: imageContext({ root: options.root, limits, imageLimits: { ...DEFAULT_IMAGE_LIMITS, ...options.imageLimits }, signal: options.signal, state, onFailure: (_url, reason) => reporter.warn(`photo not archived: ${reason}; it stays a link to the original`) }),
  };
  const progress = createProgress(reporter, 'ingest', outlets.length, { unit: 'outlets' });
  try {
    const reports = await mapLimit(outlets, options.concurrency ?? 4, async (outlet) => {
      reporter.progress(`ingest ${progress.done}/${outlets.length} outlets: fetching ${outlet.id}`);
      const report = await ingestOutlet(outlet, ctx);
      progress.tick();
      const failed = report.failed.length ? `, ${report.failed.length} failed` : '';
      reporter.info(`${outlet.id}: ${report.new} new, ${report.updated} updated, ${report.unchanged} unchanged${report.skipped ? `, ${report.skipped} taken down` : ''}${failed}`);
      return report;
    });
    return { outlets: reports };
  } finally {
    await saveState(options.root, ctx.state);
    await saveArticleIndex(ctx.index);
  }
}
