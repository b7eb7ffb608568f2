/**
 * What ingest does with a feed that has something (a 200): parse → normalize →
 * [full text] → photos → sanitize (last) → identity → content/. Loaded by
 * index.ts only when a feed answers with a body, so a run where every feed
 * answers 304 never loads the parsers, the sanitizer or the full-text extractor.
 */
import { readFile } from 'node:fs/promises';
import { isoUtc, type Article } from '../core/article.ts';
import type { Outlet } from '../core/config.ts';
import { describeError } from '../core/errors.ts';
import { sanitizeArticleHtml } from '../core/sanitize.ts';
import type { TakedownIndex } from '../core/takedowns.ts';
import type { Reporter } from '../core/log.ts';
import { parseArticle, readArticleIndex, saveArticleIndex, writeArticles, type ArticleIndex } from '../content/index.ts';
import { onTrustedHost } from './address.ts';
import { decodeBody } from './decode.ts';
import { IngestError } from './errors.ts';
import { fetchUrl, type FetchLimits, type FetchResult } from './fetch.ts';
import { articleId, assignIds } from './identity.ts';
import { DEFAULT_IMAGE_LIMITS, imageContext, localizeImages, type ImageContext, type ImageLimits } from './images.ts';
import { normalizeItem, type Draft } from './normalize.ts';
import { readFeed } from './read.ts';
import type { Failure, OutletReport } from './report.ts';
import { DISCOVERY_INTERVAL_MS, FULLTEXT_RETRY_MS, type IngestState } from './state.ts';

/** One ingest run's shared state (index.ts makes it; the article index and photo context are made on first use). */
export interface Context {
  root: string;
  limits: FetchLimits;
  signal?: AbortSignal;
  reporter: Reporter;
  now: () => Date;
  state: IngestState;
  takedowns: TakedownIndex;
  /** Overrides of DEFAULT_IMAGE_LIMITS. */
  imageLimits: Partial<ImageLimits>;
  lazy: { index?: Promise<ArticleIndex>; media?: ImageContext };
}

/** The archive's index (content/ walked, front matter cached), read on first use and shared by every outlet of the run. */
export function articleIndex(ctx: Context): Promise<ArticleIndex> {
  return (ctx.lazy.index ??= readArticleIndex(ctx.root));
}

/** Save the index's cache if this run read it (and wrote articles). */
export async function saveIndex(ctx: Context): Promise<void> {
  if (ctx.lazy.index) await saveArticleIndex(await ctx.lazy.index);
}

function photos(ctx: Context): ImageContext {
  return (ctx.lazy.media ??= imageContext({
    root: ctx.root,
    limits: ctx.limits,
    imageLimits: { ...DEFAULT_IMAGE_LIMITS, ...ctx.imageLimits },
    signal: ctx.signal,
    state: ctx.state,
    onFailure: (_url, reason) => ctx.reporter.warn(`photo not archived: ${reason}; it stays a link to the original`),
  }));
}

/** One item that could not be processed: reported, skipped, and the rest of its feed kept. */
function badItem(feedUrl: string, link: string | undefined, which: string, error: unknown): Failure {
  return { url: link || feedUrl, code: 'ERR_BAD_ITEM', reason: `${feedUrl}: ${which} could not be processed (${describeError(error)}); skipped, the rest of the feed is kept` };
}

/**
 * The body of a summary-only item: the article page's main content, or the summary if that
 * fails (the page is then retried on later runs, for FULLTEXT_RETRY_MS). An article mirrored
 * with its full text keeps it: its page is not fetched again on every run.
 */
async function fullTextBody(draft: Draft, id: string, outlet: Outlet, ctx: Context, failed: Failure[]): Promise<{ html: string; baseUrl: string; sanitized?: boolean }> {
  const pending = (ctx.state.fulltextPending ??= {});
  const existing = (await articleIndex(ctx)).get(id);
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
    // Loaded when a page is fetched: the HTML parser (linkedom) alone costs half a second to load, and most feeds carry the full text.
    const { extractFullText } = await import('./fulltext.ts');
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
        const media = await localizeImages(body.html, body.baseUrl, outlet, photos(ctx));
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

/** A feed's body (a 200): its items become articles in content/. */
export async function writeFeed(outlet: Outlet, feedUrl: string, fetched: FetchResult, ctx: Context, report: OutletReport, seen: Set<string>): Promise<void> {
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
  const written = await writeArticles(ctx.root, await toArticles(outlet, drafts, ctx, report, seen), { index: await articleIndex(ctx) });
  report.new += written.new;
  report.updated += written.updated;
  report.unchanged += written.unchanged;
}

/**
 * A configured feed answered with a page: the outlet's homepage is searched for its feed at
 * most once a day (the state remembers the attempt and what it found), and the feed found is
 * used for this run. outlets.yaml is never changed here: `outlets check --fix` does that.
 */
export async function replacementFeed(outlet: Outlet, feedUrl: string, ctx: Context): Promise<string | undefined> {
  const feedState = (ctx.state.feeds[feedUrl] ??= {});
  const last = feedState.discovery;
  if (last && Date.now() - Date.parse(last.time) < DISCOVERY_INTERVAL_MS) return last.found;
  const { discoverFeeds, feedUrlOf } = await import('./discover.ts');
  const result = await discoverFeeds(outlet.homepage, { limits: ctx.limits, signal: ctx.signal, exclude: outlet.feeds });
  const found = result.feeds[0] ? feedUrlOf(result.feeds[0]) : undefined;
  feedState.discovery = { time: isoUtc(new Date()), ...(found ? { found } : {}) };
  return found;
}

/** An outlet's sitemaps: new pages, extracted already (src/ingest/sitemap-ingest.ts), written like feed items. */
export async function ingestSitemaps(outlet: Outlet, ctx: Context, report: OutletReport, seen: Set<string>): Promise<void> {
  const index = await articleIndex(ctx);
  const urls = new Set<string>();
  for (const entry of index.values()) if (entry.frontMatter.outlet === outlet.id && entry.frontMatter.url) urls.add(entry.frontMatter.url);
  const known = (url: string) => {
    const id = articleId(outlet.id, `link:${url}`);
    return urls.has(url) || index.has(id) || ctx.takedowns.has({ id, url });
  };
  const { DEFAULT_SITEMAP_PAGES, sitemapDrafts } = await import('./sitemap-ingest.ts');
  const run = await sitemapDrafts(outlet, ctx, known);
  for (const failure of run.failed) ctx.reporter.warn(`${outlet.id}: ${failure.reason}`);
  report.failed.push(...run.failed);
  if (run.waiting) ctx.reporter.info(`${outlet.id}: ${run.waiting} more new pages in the sitemaps, left for the next runs (sitemapPages: ${outlet.sitemapPages ?? DEFAULT_SITEMAP_PAGES})`);
  const written = await writeArticles(ctx.root, await toArticles(outlet, run.drafts, ctx, report, seen, false), { index: await articleIndex(ctx) });
  report.new += written.new;
  report.updated += written.updated;
  report.unchanged += written.unchanged;
}
