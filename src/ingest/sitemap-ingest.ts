/**
 * Outlets without a feed: their sitemaps (conditional GET, as feeds) → the pages not yet in the
 * archive, newest first, at most `sitemapPages` a run → each page fetched under the full-text
 * limits (public addresses only, unless on a host outlets.yaml names) and extracted with
 * Readability → Drafts whose title, dates, author and language come from the page's own
 * metadata. Identity is the listed URL, as for a feed item without a guid. The orchestrator
 * sanitizes and writes them like feed items.
 */
import type { Outlet } from '../core/config.ts';
import { isoUtc } from '../core/article.ts';
import { describeError, NewsmirrorError } from '../core/errors.ts';
import { mapLimit } from '../core/pool.ts';
import { onTrustedHost } from './address.ts';
import { parseFeedDate, resolveDate } from './dates.ts';
import { decodeBody } from './decode.ts';
import { IngestError } from './errors.ts';
import { fetchUrl, type FetchLimits, type FetchResult } from './fetch.ts';
import { extractFullText } from './fulltext.ts';
import { normalizeLang, SUMMARY_MAX, TITLE_MAX, type Draft } from './normalize.ts';
import { pageMeta } from './page-meta.ts';
import type { Failure } from './report.ts';
import { parseSitemap, sitemapText, type SitemapUrl } from './sitemap.ts';
import { FULLTEXT_RETRY_MS, type IngestState } from './state.ts';
import { capText, cleanText, htmlToText } from './text.ts';

/** Pages taken from an outlet's sitemaps in one run when outlets.yaml does not say (`sitemapPages`). */
export const DEFAULT_SITEMAP_PAGES = 50;
/** Child sitemaps of one index walked in a run (the most recently modified first). */
export const MAX_CHILD_SITEMAPS = 50;
/** Index → index → urlset is the deepest walked; the protocol allows no nesting at all. */
export const MAX_SITEMAP_DEPTH = 2;
/** Article pages fetched at the same time for one outlet. */
const PAGE_CONCURRENCY = 4;
const DAY_MS = 86_400_000;

export interface SitemapContext {
  limits: FetchLimits;
  signal?: AbortSignal;
  state: IngestState;
  now: () => Date;
}

export interface SitemapRun {
  drafts: Draft[];
  failed: Failure[];
  /** New pages left for later runs (beyond `sitemapPages`). */
  waiting: number;
}

const failure = (url: string, error: unknown): Failure => ({
  url,
  code: error instanceof NewsmirrorError ? error.code : 'ERR_INTERNAL',
  reason: describeError(error),
});

/** GET one sitemap with its validators; a server's Retry-After is kept like a feed's. */
async function fetchSitemap(url: string, outlet: Outlet, ctx: SitemapContext): Promise<FetchResult> {
  const feedState = (ctx.state.feeds[url] ??= {});
  if (feedState.retryAfter && Date.parse(feedState.retryAfter) > Date.now()) {
    throw new IngestError('ERR_RATE_LIMITED', url, `${url}: the server asked not to be fetched before ${feedState.retryAfter}; skipped this run`);
  }
  const publicOnly = !onTrustedHost(outlet, url);
  const accept = 'application/xml, text/xml;q=0.9, application/x-gzip;q=0.8, */*;q=0.5';
  try {
    const fetched = await fetchUrl({ url, limits: ctx.limits, signal: ctx.signal, accept, publicOnly, etag: feedState.etag, lastModified: feedState.lastModified });
    delete feedState.retryAfter;
    delete feedState.lastError;
    feedState.lastSuccess = isoUtc(new Date());
    return fetched;
  } catch (error) {
    if (error instanceof IngestError) {
      feedState.lastError = { time: isoUtc(new Date()), code: error.code, reason: error.message };
      if (error.retryAfter) feedState.retryAfter = isoUtc(error.retryAfter);
    }
    throw error;
  }
}

function keepValidators(url: string, fetched: FetchResult, state: IngestState): void {
  const feedState = (state.feeds[url] ??= {});
  if (fetched.etag) feedState.etag = fetched.etag;
  else delete feedState.etag;
  if (fetched.lastModified) feedState.lastModified = fetched.lastModified;
  else delete feedState.lastModified;
}

/** Every page URL a sitemap (and, for an index, its children) lists that changed since the last run. */
async function collect(url: string, depth: number, outlet: Outlet, ctx: SitemapContext, out: Map<string, SitemapUrl>, failed: Failure[]): Promise<void> {
  const fetched = await fetchSitemap(url, outlet, ctx);
  const children = (ctx.state.sitemapChildren ??= {});
  let childUrls: string[] = [];
  if (fetched.status === 304) {
    childUrls = children[url] ?? [];
  } else {
    const parsed = parseSitemap(sitemapText(fetched.body, fetched.contentType, ctx.limits.maxDecompressedBytes, url), url);
    if (parsed.dropped) failed.push({ url, code: 'ERR_BAD_ITEM', reason: `${url}: ${parsed.dropped} entries beyond the sitemap protocol's 50,000 were left out` });
    if (parsed.kind === 'urlset') {
      for (const entry of parsed.urls) if (!out.has(entry.loc)) out.set(entry.loc, entry);
      delete children[url];
    } else {
      if (depth >= MAX_SITEMAP_DEPTH) {
        throw new IngestError('ERR_BAD_FEED', url, `${url}: a sitemap index nested more than ${MAX_SITEMAP_DEPTH} deep; not followed (check the sitemaps URL in outlets.yaml)`);
      }
      const newest = [...parsed.sitemaps].sort((a, b) => (parseFeedDate(b.lastmod ?? '')?.getTime() ?? 0) - (parseFeedDate(a.lastmod ?? '')?.getTime() ?? 0));
      childUrls = [...new Set(newest.map((s) => s.loc))].filter((loc) => loc !== url).slice(0, MAX_CHILD_SITEMAPS);
      children[url] = childUrls;
    }
    // Kept once the body was read: a sitemap unchanged since then answers 304 and lists nothing new.
    keepValidators(url, fetched, ctx.state);
  }
  for (const child of childUrls) {
    try {
      await collect(child, depth + 1, outlet, ctx, out, failed);
    } catch (error) {
      if (ctx.signal?.aborted) throw error;
      failed.push(failure(child, error));
    }
  }
}

/** Newest first: the news publication date, else <lastmod>; undated entries last, in sitemap order. */
function entryTime(entry: SitemapUrl): number {
  return parseFeedDate(entry.news?.date ?? entry.lastmod ?? '')?.getTime() ?? -Infinity;
}

/** One page to a Draft: the body by Readability, the rest from the page's own metadata, then the news sitemap's. */
async function pageDraft(entry: SitemapUrl, sitemapUrl: string, outlet: Outlet, ctx: SitemapContext): Promise<Draft> {
  const publicOnly = !onTrustedHost(outlet, entry.loc);
  const page = await fetchUrl({ url: entry.loc, limits: ctx.limits, signal: ctx.signal, accept: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5', publicOnly });
  const html = decodeBody(page.body, page.contentType);
  const body = extractFullText(html, page.url);
  if (!body) throw new IngestError('ERR_FULLTEXT', page.url, `${page.url}: no article text found on the page`);
  const meta = pageMeta(html);
  const now = ctx.now();
  const resolved = resolveDate(meta.date ?? entry.news?.date ?? entry.lastmod, now, now);
  const summary = capText(cleanText(meta.summary ?? '') || htmlToText(body), SUMMARY_MAX);
  const title = capText(cleanText(meta.title ?? entry.news?.title ?? ''), TITLE_MAX) || capText(summary || entry.loc, 100);
  const draft: Draft = {
    outlet: outlet.id,
    feed: sitemapUrl,
    title,
    url: entry.loc,
    baseUrl: page.url,
    date: resolved.date,
    author: capText(cleanText(meta.author ?? ''), 300),
    lang: normalizeLang(meta.lang) ?? normalizeLang(entry.news?.lang) ?? outlet.lang,
    tags: [],
    summary,
    html: body,
    fetched: isoUtc(now),
    identity: `link:${entry.loc}`,
  };
  if (resolved.note) draft.dateNote = resolved.note;
  const updated = meta.updated ? parseFeedDate(meta.updated) : undefined;
  if (!resolved.note && updated && isoUtc(updated) > draft.date && updated.getTime() <= now.getTime() + DAY_MS) draft.updated = isoUtc(updated);
  return draft;
}

/** Whether a page that failed before is due again: daily, for FULLTEXT_RETRY_MS after its first failure. */
function due(record: { first: string; last: string } | undefined, now: number): boolean {
  if (!record) return true;
  return now - Date.parse(record.first) < FULLTEXT_RETRY_MS && now - Date.parse(record.last) >= DAY_MS;
}

/**
 * The new pages of an outlet's sitemaps as Drafts (bodies extracted, not yet sanitized).
 * `known(url)`: the page is in the archive already, or taken down; it is not fetched.
 * Each failing sitemap or page is one Failure; the rest go on.
 */
export async function sitemapDrafts(outlet: Outlet, ctx: SitemapContext, known: (url: string) => boolean): Promise<SitemapRun> {
  const failed: Failure[] = [];
  const entries = new Map<string, SitemapUrl>();
  // Which sitemap listed a page: its source.feed.
  const listedBy = new Map<string, string>();
  for (const url of outlet.sitemaps ?? []) {
    const before = new Set(entries.keys());
    try {
      await collect(url, 0, outlet, ctx, entries, failed);
    } catch (error) {
      if (ctx.signal?.aborted) throw error;
      failed.push(failure(url, error));
    }
    for (const loc of entries.keys()) if (!before.has(loc)) listedBy.set(loc, url);
  }
  const now = Date.now();
  const failures = (ctx.state.sitemapFailed ??= {});
  const fresh = [...entries.values()].filter((e) => !known(e.loc) && due(failures[e.loc], now));
  fresh.sort((a, b) => entryTime(b) - entryTime(a)); // stable: sitemap order among equals
  const take = fresh.slice(0, outlet.sitemapPages ?? DEFAULT_SITEMAP_PAGES);
  const results = await mapLimit(take, PAGE_CONCURRENCY, async (entry) => {
    try {
      const draft = await pageDraft(entry, listedBy.get(entry.loc) ?? entry.loc, outlet, ctx);
      delete failures[entry.loc];
      return draft;
    } catch (error) {
      if (ctx.signal?.aborted) throw error;
      const stamp = isoUtc(new Date());
      failures[entry.loc] = { first: failures[entry.loc]?.first ?? stamp, last: stamp };
      // A page alone, like a full-text page: it does not make the outlet fail.
      failed.push({ url: entry.loc, code: 'ERR_FULLTEXT', reason: `sitemap page: ${describeError(error)} (not mirrored; retried daily for 7 days)` });
      return undefined;
    }
  }, ctx.signal);
  return { drafts: results.filter((d): d is Draft => d !== undefined), failed, waiting: fresh.length - take.length };
}
