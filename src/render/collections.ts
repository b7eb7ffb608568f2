/**
 * One pass over the rendered articles builds every listing: home pages, each
 * outlet's pages, archive months (paginated), feeds and the build time. Sorting
 * is O(n log n); each page holds at most pageSize items.
 */
import type { CollectionApi, CollectionItem, UserConfig } from '@11ty/eleventy';
import type { RenderedArticle } from './articles.ts';
import type { RenderContext } from './context.ts';
import type { RenderJob } from './job.ts';
import { chunk, yearMonth } from './filters.ts';

/** Home shows this many pages of the latest articles; older ones are reached through the archive. */
export const HOME_PAGES = 10;
/** Entries in each Atom/RSS feed. */
export const FEED_ENTRIES = 20;

export interface Entry {
  article: RenderedArticle;
  /** sha256 of the article's file (the incremental render keys feeds by it; absent in a plain Eleventy render). */
  sha?: string;
  /** The sanitized body HTML (available once the article has rendered). */
  content(): string;
}

/** One page of a listing. */
export interface ListPage {
  kind: 'home' | 'outlet' | 'month';
  /** Root-relative output file. */
  path: string;
  /** Outlet id (outlet pages) or "yyyy-mm" (month pages). */
  key: string;
  entries: Entry[];
  /**
   * 1-based page number. Home counts from the newest page; outlet and month
   * listings from the oldest (see stablePages), so their numbered pages stay put.
   */
  number: number;
  /** Pages of this listing: on every home page, on the landing page of the others. */
  count?: number;
  /** Articles in this listing: on every home page, on the landing page of the others. */
  total?: number;
  /** The newer page (null on the first/landing page) and the older one. */
  prev: string | null;
  next: string | null;
}

export interface OutletSummary {
  id: string;
  name: string;
  homepage: string;
  count: number;
}

export interface MonthSummary {
  month: string;
  count: number;
  path: string;
}

export interface Feed {
  /** "" for the whole site, else the outlet id. */
  outlet: string;
  title: string;
  /** Root-relative folder prefix: "" or "<outlet>/". */
  dir: string;
  entries: Entry[];
  /** Latest update among the entries (ISO), or the build time. */
  updated: string;
}

export interface SiteIndex {
  articles: number;
  home: ListPage[];
  outletPages: ListPage[];
  monthPages: ListPage[];
  outlets: OutletSummary[];
  /** Newest first. */
  months: MonthSummary[];
  feeds: Feed[];
  /** Latest of every article's updated/source.fetched (date if neither) and takedown times; ISO UTC. */
  built: string;
}

const EPOCH = '1970-01-01T00:00:00.000Z';

function pages(kind: ListPage['kind'], key: string, entries: Entry[], size: number, pathOf: (n: number) => string, limit = Infinity): ListPage[] {
  const groups = chunk(entries, size).slice(0, limit);
  return groups.map((group, i) => ({
    kind,
    key,
    entries: group,
    number: i + 1,
    count: groups.length,
    total: entries.length,
    prev: i > 0 ? pathOf(i) : null,
    next: i + 1 < groups.length ? pathOf(i + 2) : null,
    path: pathOf(i + 1),
  }));
}

/**
 * An outlet's or a month's pages, numbered from the oldest so that a page, once
 * full, never changes: page-1.html holds the `size` oldest articles, page-2.html the
 * next `size`, and the landing page (`landing`) the newest, between `size` and
 * 2×`size`−1 of them (all of them when there are fewer). A new article changes the
 * landing page only; every `size` articles the landing page hands its oldest
 * `size` on to a new numbered page. Newest first, landing page first; the landing
 * page alone carries `count` and `total`, which change with every article.
 */
function stablePages(kind: ListPage['kind'], key: string, newestFirst: Entry[], size: number, landing: string, numbered: (n: number) => string): ListPage[] {
  const count = Math.max(1, Math.floor(newestFirst.length / size));
  const pathOf = (n: number) => (n === count ? landing : numbered(n));
  const oldestFirst = [...newestFirst].reverse();
  const result: ListPage[] = [];
  for (let n = count; n >= 1; n--) {
    const group = (n === count ? oldestFirst.slice((n - 1) * size) : oldestFirst.slice((n - 1) * size, n * size)).reverse();
    result.push({
      kind,
      key,
      entries: group,
      number: n,
      ...(n === count ? { count, total: newestFirst.length } : {}),
      prev: n < count ? pathOf(n + 1) : null,
      next: n > 1 ? pathOf(n - 1) : null,
      path: pathOf(n),
    });
  }
  return result;
}

/** Newest first; ties broken by id so the order never depends on the file system. */
function newestFirst(a: Entry, b: Entry): number {
  return b.article.time - a.article.time || (a.article.id < b.article.id ? -1 : a.article.id > b.article.id ? 1 : 0);
}

function lastChange(article: RenderedArticle): string {
  const times = [article.updated, article.source?.fetched].filter((t): t is string => Boolean(t));
  if (times.length === 0) times.push(article.date);
  return times.map((t) => new Date(t).toISOString()).sort().at(-1) ?? EPOCH;
}

export function indexArticles(input: Entry[], ctx: Pick<RenderContext, 'site' | 'outlets' | 'takedownLatest'>): SiteIndex {
  const size = ctx.site.pageSize;
  const sorted = [...input].sort(newestFirst);
  let built = ctx.takedownLatest ?? EPOCH;
  const byOutlet = new Map<string, Entry[]>(ctx.outlets.map((o) => [o.id, []]));
  const byMonth = new Map<string, Entry[]>();
  for (const entry of sorted) {
    const changed = lastChange(entry.article);
    if (changed > built) built = changed;
    const outletList = byOutlet.get(entry.article.outlet) ?? [];
    if (outletList.length === 0) byOutlet.set(entry.article.outlet, outletList);
    outletList.push(entry);
    const month = yearMonth(entry.article.date);
    const monthList = byMonth.get(month) ?? [];
    if (monthList.length === 0) byMonth.set(month, monthList);
    monthList.push(entry);
  }
  const known = new Map(ctx.outlets.map((o) => [o.id, o]));
  const outletIds = [...ctx.outlets.map((o) => o.id), ...[...byOutlet.keys()].filter((id) => !known.has(id)).sort()];
  const outlets: OutletSummary[] = outletIds.map((id) => ({
    id,
    name: known.get(id)?.name ?? byOutlet.get(id)?.[0]?.article.outletName ?? id,
    homepage: known.get(id)?.homepage ?? '',
    count: byOutlet.get(id)?.length ?? 0,
  }));
  const months = [...byMonth.keys()].sort().reverse();
  const feedOf = (outlet: string, title: string, dir: string, entries: Entry[]): Feed => {
    const latest = entries.slice(0, FEED_ENTRIES);
    return { outlet, title, dir, entries: latest, updated: latest.map((e) => lastChange(e.article)).sort().at(-1) ?? built };
  };
  return {
    articles: sorted.length,
    home: pages('home', '', sorted, size, (n) => (n === 1 ? 'index.html' : `page-${n}.html`), HOME_PAGES),
    outletPages: outlets.flatMap((o) => stablePages('outlet', o.id, byOutlet.get(o.id) ?? [], size, `${o.id}/index.html`, (n) => `${o.id}/page-${n}.html`)),
    monthPages: months.flatMap((m) => stablePages('month', m, byMonth.get(m) ?? [], size, `archive/${m}.html`, (n) => `archive/${m}-${n}.html`)),
    outlets,
    months: months.map((m) => ({ month: m, count: byMonth.get(m)?.length ?? 0, path: `archive/${m}.html` })),
    feeds: [feedOf('', '', '', sorted), ...outlets.map((o) => feedOf(o.id, o.name, `${o.id}/`, byOutlet.get(o.id) ?? []))],
    built,
  };
}

function entryOf(item: CollectionItem): Entry {
  return { article: item.data.nm as RenderedArticle, content: () => item.templateContent };
}

/**
 * Eleventy plugin: `collections.nm` is the SiteIndex every listing page paginates over. Under
 * build() it is the job's, computed from every article's front matter (most of them not
 * rendered this time), and the rendered articles go to the job for their bodies.
 */
export default function collectionsPlugin(config: UserConfig, ctx: RenderContext, job?: RenderJob): void {
  config.addCollection('nm', (api: CollectionApi) => {
    const items = api.getAll().filter((item) => item.data.nm);
    return job ? job.index(items) : indexArticles(items.map(entryOf), ctx);
  });
}
