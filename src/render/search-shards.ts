/**
 * How the search index is split (pure, no I/O). Every article page
 * `<outlet>/<yyyy>/<mm>/<slug>.html` belongs to one shard, a Pagefind bundle in
 * `pagefind/<key>/` of the articles of every outlet:
 * - articles of the newest month in the site: one shard per day (`2026-02-14`) when
 *   the caller knows each article's day (build does), so a run with new articles
 *   re-indexes only today's (at 300 articles a day, a month shard would be 9,000
 *   pages indexed again on every run); the newest day itself, when the caller knows
 *   each article's date too, in parts of OPEN_DAY_PAGES in date order, so a run
 *   re-indexes the newest part only (up to 100 pages, not up to 300);
 * - articles of the other months of the newest year: one shard per month (`2026-01`);
 * - articles of every earlier year: one shard per year (`2025`), so a reader's
 *   search loads at most 31 + 11 + (years - 1) shards and the newest day's further parts (each costs a search a request
 *   and a chunk of about 30 KB, whatever its size).
 * The key depends only on the site's article pages and their dates, so an index built
 * from a previous one equals one built from scratch. When the first article of a new
 * month arrives, the previous month's days become one month shard, and when the first
 * of a new year arrives, the previous year's months become one year shard (each indexed once).
 * `pagefind/shards.json` lists the shards newest first for the search page, and
 * says which Pagefind and which settings wrote them, so a shard is reused only
 * by the code that would write the same bytes.
 */

import type { FullText } from '../core/config.ts';

export type { FullText };

/** The list of shards the search page reads, beside Pagefind's script in pagefind/. */
export const SHARDS_FILE = 'shards.json';

/** A root-relative article page path: outlet folder, four-digit year, two-digit month, one .html file. */
const ARTICLE = /^([^/]+)\/(\d{4})\/(\d{2})\/[^/]+\.html$/;

/** Year and month of an article page path, or undefined for any other path (listings, titles, the index itself). */
export function articleMonth(path: string): { year: string; month: string } | undefined {
  const m = ARTICLE.exec(path.replace(/^\/+/, ''));
  return m ? { year: m[2]!, month: m[3]! } : undefined;
}

/** The newest year of any article page among `paths` ('' when there is none). */
export function newestYear(paths: Iterable<string>): string {
  let newest = '';
  for (const path of paths) {
    const year = articleMonth(path)?.year;
    if (year && year > newest) newest = year;
  }
  return newest;
}

/** The newest month (`yyyy-mm`) of any article page among `paths` ('' when there is none). */
export function newestMonth(paths: Iterable<string>): string {
  let newest = '';
  for (const path of paths) {
    const at = articleMonth(path);
    if (at && `${at.year}-${at.month}` > newest) newest = `${at.year}-${at.month}`;
  }
  return newest;
}

/** The day of the month (`dd`) of an article page, when the caller knows it. */
export type DayOf = (path: string) => string | undefined;

/**
 * The shard of an article page in a site whose newest article is of `newest`: a year (`2026`), or a
 * month (`2026-02`) when days are known. `2026-02-14` for a page of the newest month whose day is
 * `day`, `2026-01` for another month of the newest year, `2025` before it.
 */
export function shardKey(path: string, newest: string, day?: string): string | undefined {
  const at = articleMonth(path);
  if (!at) return undefined;
  const month = `${at.year}-${at.month}`;
  if (day && /^\d{2}$/.test(day) && month === newest) return `${month}-${day}`;
  return at.year >= newest.slice(0, 4) ? month : at.year;
}

/**
 * Pages in one shard at most. Pagefind's service holds the shard it indexes in memory (measured:
 * about 0.2 MB a 600-word page on top of 200 MB; 3.4 GB for a month of 9,000 articles), so a
 * larger calendar shard is cut, in page order, into parts `<key>.1`, `<key>.2`, … of this many
 * pages: two services at once then stay near 1 GB. A change to any page of a calendar shard
 * indexes all its parts again (a page added or removed moves the parts' boundaries).
 */
export const MAX_SHARD_PAGES = 1500;

/**
 * Pages in one part of the newest day (the day new articles arrive in), cut in date order: new
 * articles land in its last part, so a run indexes that part again and keeps the others (whose
 * page lists did not change). At 300 articles a day, a run indexes at most 100 pages instead of
 * up to 300 (Pagefind: about 6.5 ms a page), and a reader's search loads 2 shards more.
 */
export const OPEN_DAY_PAGES = 100;

/** Each article page's date (any string that sorts in date order, e.g. its ISO date), when the caller knows it. */
export type DateOf = (path: string) => string | undefined;

/** How the newest day is cut (see OPEN_DAY_PAGES): by each page's date, in parts of `pages`. */
export interface OpenDay {
  dateOf: DateOf;
  pages?: number;
}

/** `pages` cut into parts of `size` in page order: keys `<key>.N` … `<key>.1` (newest first), or `key` alone when they fit. */
function cut(out: Map<string, string[]>, key: string, pages: readonly string[], size: number): void {
  if (pages.length <= size) {
    out.set(key, [...pages]);
    return;
  }
  const parts = Math.ceil(pages.length / size);
  for (let part = parts; part >= 1; part--) out.set(`${key}.${part}`, pages.slice((part - 1) * size, part * size));
}

/**
 * Article pages grouped by shard (days of the newest month when `dayOf` is given, and the newest
 * day in date-ordered parts when `open` is too): keys newest first, pages sorted by path within
 * each (the order Pagefind is given them).
 */
export function groupByShard(paths: readonly string[], dayOf?: DayOf, maxPages = MAX_SHARD_PAGES, open?: OpenDay): Map<string, string[]> {
  const newest = dayOf ? newestMonth(paths) : newestYear(paths);
  const groups = new Map<string, string[]>();
  for (const path of paths) {
    const key = shardKey(path, newest, dayOf?.(path));
    if (!key) continue;
    const group = groups.get(key);
    if (group) group.push(path);
    else groups.set(key, [path]);
  }
  const keys = [...groups.keys()].sort().reverse();
  const openDay = open && dayOf ? keys.find((key) => /^\d{4}-\d{2}-\d{2}$/.test(key)) : undefined;
  const out = new Map<string, string[]>();
  for (const key of keys) {
    const pages = groups.get(key)!.sort();
    if (key !== openDay) {
      cut(out, key, pages, maxPages);
      continue;
    }
    // Oldest first by date (then path), so later articles fill the last part; each part's pages then by path.
    const when = new Map(pages.map((p) => [p, `${open!.dateOf(p) ?? ''}\0${p}`]));
    const byDate = [...pages].sort((a, b) => (when.get(a)! < when.get(b)! ? -1 : 1));
    const parts = new Map<string, string[]>();
    cut(parts, key, byDate, Math.min(open!.pages ?? OPEN_DAY_PAGES, maxPages));
    for (const [part, members] of parts) out.set(part, members.sort());
  }
  return out;
}

/**
 * Shards (of a site whose newest article is of `newest`, see shardKey) that hold a page added,
 * changed or removed: the root-relative paths in `changed`, placed by `dayOf` (their day now),
 * and the days in `days` (`yyyy-mm-dd`: where changed or removed pages were before, so an
 * article whose date moved within the month leaves its old day's shard too). A changed page of
 * the newest month whose day is unknown touches every day of that month (its month key).
 */
export function touchedShards(changed: Iterable<string>, newest: string, dayOf?: DayOf, days: Iterable<string> = []): Set<string> {
  const keys = new Set<string>(days);
  for (const path of changed) {
    const key = shardKey(path.replace(/^\/+/, ''), newest, dayOf?.(path.replace(/^\/+/, '')));
    if (key) keys.add(key);
  }
  return keys;
}

/** Whether shard `key` is among `touched`: a part (`2025.3`) when its calendar shard is, a day shard also when its whole month is. */
export function isTouched(key: string, touched: ReadonlySet<string>): boolean {
  const calendar = key.replace(/\.\d+$/, '');
  return touched.has(calendar) || (/^\d{4}-\d{2}-\d{2}$/.test(calendar) && touched.has(calendar.slice(0, 7)));
}

/**
 * Whether shard `key` (of a site whose newest article page is of month `newest`, `yyyy-mm`) is
 * indexed by title and lead only under site.yaml's `fullTextSearch` (see FullText): an earlier
 * year under `year`, any month before the newest under `month`. The rule follows the shards, so
 * every shard is indexed one way.
 */
export function leadOnly(key: string, fullText: FullText, newest: string): boolean {
  if (fullText === 'all') return false;
  const calendar = key.replace(/\.\d+$/, '');
  if (/^\d{4}$/.test(calendar)) return calendar < newest.slice(0, 4);
  return fullText === 'month' && /^\d{4}-\d{2}$/.test(calendar) && calendar < newest;
}

export interface ShardEntry {
  /** Folder under pagefind/ (`2026-02`, `2025`). */
  key: string;
  /** Language → tag of that shard's pagefind-entry.json (its sha256, cut), so the browser may cache it until it changes. */
  languages: Record<string, string>;
  /** Present when the shard holds titles and leads only (see FullText). */
  lead?: true;
  /**
   * Tag of the shard's page list (sha256 of its paths, one per line, cut like the others). A shard is reused, under whatever key, by a
   * shard with the same list, none of whose pages changed (a part of the newest day that
   * became `.1` when the day outgrew one part is the same bundle). Absent in older indexes.
   */
  list?: string;
}

export interface ShardsFile {
  /** Pagefind's version and the indexing settings: a shard written under another is not reused. */
  format: string;
  /** Tag of the root bundle's pagefind-entry.json. */
  tag: string;
  /** Result id of the root bundle's one placeholder page, which the search page drops. */
  placeholder: string;
  /** Newest first. */
  shards: ShardEntry[];
}

/** Pagefind's per-language entry file. */
export interface PagefindEntry {
  version: string;
  languages: Record<string, { hash: string; wasm: string | null; page_count: number }>;
}

/**
 * The language of the root bundle, whose WebAssembly (and so whose stemmer) the
 * browser loads for every shard: the site's language if any article is in it,
 * else the language with most articles (what Pagefind itself picks for a page
 * whose language has no index); ties by name, so it is deterministic.
 */
export function primaryLanguage(siteLang: string, entries: readonly PagefindEntry[]): string | undefined {
  const counts = new Map<string, number>();
  for (const entry of entries) for (const [lang, { page_count }] of Object.entries(entry.languages)) counts.set(lang, (counts.get(lang) ?? 0) + page_count);
  if (counts.has(siteLang)) return siteLang;
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}
