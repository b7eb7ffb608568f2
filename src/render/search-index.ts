/**
 * The search index: Pagefind reads the rendered article pages (bodies only, marked
 * `data-pagefind-body`; the outlet as `data-pagefind-filter="outlet"`) and writes
 * pagefind/ into the site, before seal, so the index is signed with the rest.
 *
 * It is sharded (see search-shards.ts): one Pagefind bundle per day of the newest
 * month (pagefind/<yyyy>-<mm>-<dd>/), per other month of the newest year
 * (pagefind/<yyyy>-<mm>/) and per earlier year (pagefind/<yyyy>/),
 * holding only index data (entry, meta, index, fragment and filter chunks). The root pagefind/ holds the one copy of
 * Pagefind's script, worker and WebAssembly the browser loads, a one-page
 * placeholder index it needs to start (Pagefind cannot start without a primary
 * index; merged bundles never load their own WebAssembly), and shards.json.
 * Given the previous site and the article pages changed since, a shard with the
 * same page list as a previous one (shards.json keeps a tag of each list), none of
 * whose pages changed, is hard-linked from the previous site; the others are
 * indexed again. Either way the bytes are those of indexing from scratch.
 */
import { sha256Hex } from '../core/hash.ts';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import type * as pagefindModule from 'pagefind';
import type { PagefindIndex } from 'pagefind';
import { NewsmirrorError } from '../core/errors.ts';
import { linkOrCopySync } from '../core/fs.ts';
import { mapLimit } from '../core/pool.ts';
import { groupByShard, isTouched, leadOnly, MAX_SHARD_PAGES, newestMonth, newestYear, primaryLanguage, SHARDS_FILE, touchedShards, type DateOf, type DayOf, type FullText, type PagefindEntry, type ShardEntry, type ShardsFile } from './search-shards.ts';

/** Folder of the index inside the site. */
export const SEARCH_DIR = 'pagefind';

/** Files of a shard the browser fetches (everything else Pagefind writes is its runtime or its ready-made interfaces). */
const SHARD_FILE = /^(pagefind-entry\.json|pagefind\.[^/]+\.pf_meta|(index|fragment|filter)\/[^/]+)$/;
/** Files of the root bundle: the shard files plus the script and worker (the WebAssembly is picked by language). */
const ROOT_FILE = /^(pagefind\.js|pagefind-worker\.js)$/;

/** Pagefind's settings. The article's grey lines (outlet, author and dates, tags, the original link) are not its text: shown in a result, not searched. */
const CONFIG = { keepIndexUrl: true, excludeSelectors: ['article > p.m', 'article > aside.n'] };
/** The settings for a shard indexed by title and lead (see FullText): the article text after its first two blocks is left out too. */
const LEAD_CONFIG = { ...CONFIG, excludeSelectors: [...CONFIG.excludeSelectors, 'article > div.b > :nth-child(n+3)'] };
/**
 * Pagefind services to run at once on a machine with `cores` and `memory` bytes: one per core, at
 * most 2, and one per 2 GiB (a service grows to about 0.6 GB over a 1,500-page shard part, while
 * the build itself holds up to about 0.7 GB at 30,000 articles: a 2 GB VPS gets one).
 */
export function defaultServices(cores: number, memory: number): number {
  return Math.max(1, Math.min(2, cores, Math.floor(memory / 2 ** 31)));
}

/**
 * Memory this process may use: the machine's, or its container's limit (cgroup) when that is
 * lower. Inside a 2 GB container on a large host, os.totalmem() is the host's; Node itself sizes
 * its heap by the limit (process.constrainedMemory(), 0 or a huge number when there is none).
 */
export function usableMemory(total = totalmem(), constrained = process.constrainedMemory?.() ?? 0): number {
  return constrained > 0 && constrained < total ? constrained : total;
}
/** Pages one Pagefind service indexes before it is replaced by a fresh one (its memory grows with every page it has seen): one shard part. */
export const RESTART_PAGES = MAX_SHARD_PAGES;
/** Bump when the way a shard is built changes: a shard written under another format is not reused. */
const LAYOUT = 1;
/** The root bundle's one page: a word no article holds, and a page the search page drops from results. */
const PLACEHOLDER = { url: '/search.html', content: 'newsmirrorplaceholder', meta: { title: '' } };

export class SearchIndexError extends NewsmirrorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SEARCH_INDEX', message, options);
  }
}

export interface SearchIndexReport {
  /** Article pages indexed, over all shards. */
  pages: number;
  /** Languages Pagefind split the index into (e.g. ["en", "kk", "ru"]). */
  languages: string[];
  /** Shards in the index. */
  shards: number;
  /** Shards indexed by Pagefind this time (the others were reused from the previous site). */
  indexed: number;
  /** With keepInPlace: the shards left in the previous site's index, as `pagefind/<key>`. */
  kept: string[];
}

export interface IndexOptions {
  signal?: AbortSignal;
  /** The day (`dd`) of each article page: the newest month is then split into day shards (see search-shards.ts). */
  dayOf?: DayOf;
  /** With dayOf, each article page's date: the newest day is then cut in date order into parts of `openDayPages` (see OPEN_DAY_PAGES). */
  dateOf?: DateOf;
  /** Pages in one part of the newest day (default OPEN_DAY_PAGES; tests make it small). */
  openDayPages?: number;
  /**
   * The previous build: its site folder, the root-relative article page paths added, changed or
   * removed since, and the days (`yyyy-mm-dd`) those pages had before.
   */
  previous?: { dir: string; changed: ReadonlySet<string>; days?: Iterable<string> };
  /** Pages one Pagefind service indexes before a fresh one takes over (default RESTART_PAGES). */
  restartEvery?: number;
  /** Pagefind services indexing shards at once (default: defaultServices() of this machine). */
  services?: number;
  /** Pages in one shard at most (default MAX_SHARD_PAGES; tests make it small). */
  maxShardPages?: number;
  /** Whose full text is indexed (site.yaml `fullTextSearch`, default `all`); the others by title and lead. */
  fullText?: FullText;
  /**
   * The article pages and where each one's file is, when they are not all in `siteDir` (a build
   * committed in place: the pages it rendered are in `siteDir`, those it kept in the previous site).
   */
  pages?: { paths: string[]; file: (page: string) => string };
  /**
   * Leave a shard reused under its own key where it is, in `previous.dir` (the caller keeps it
   * there: a build committed in place), instead of linking its files into the new index
   * (at 100,000 articles, some 100,000 files linked and unlinked every run).
   */
  keepInPlace?: boolean;
}

type Pagefind = typeof pagefindModule;

/** Which Pagefind and which settings write the shards: recorded in shards.json, compared before reusing one. */
async function indexFormat(fullText: FullText): Promise<string> {
  const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.resolve('pagefind')), 'utf8')) as { version: string };
  // `all` adds nothing, so an index written before the setting existed is still reused.
  const lead = fullText === 'all' ? '' : `; full text: ${fullText}; lead: ${JSON.stringify(LEAD_CONFIG)}`;
  return `pagefind ${version}; layout ${LAYOUT}; ${JSON.stringify(CONFIG)}${lead}`;
}

const tag = (bytes: Uint8Array | string) => sha256Hex(bytes).slice(0, 16);

/** Whether a root-relative path is an article page's place in the site (`<outlet>/<yyyy>/<mm>/<slug>.html`), where articlePages() finds them. */
export const isArticlePage = (path: string): boolean => /^[^/]+\/\d{4}\/\d{2}\/[^/]+\.html$/.test(path) && !path.startsWith(SEARCH_DIR);

/** Root-relative paths of the article pages in the site (`<outlet>/<yyyy>/<mm>/<slug>.html`). */
async function articlePages(siteDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const top of await readdir(siteDir, { withFileTypes: true })) {
    if (!top.isDirectory() || top.name.startsWith(SEARCH_DIR)) continue;
    for (const year of await readdir(join(siteDir, top.name), { withFileTypes: true })) {
      if (!year.isDirectory() || !/^\d{4}$/.test(year.name)) continue;
      for (const month of await readdir(join(siteDir, top.name, year.name), { withFileTypes: true })) {
        if (!month.isDirectory() || !/^\d{2}$/.test(month.name)) continue;
        for (const file of await readdir(join(siteDir, top.name, year.name, month.name), { withFileTypes: true })) {
          if (file.isFile() && file.name.endsWith('.html')) out.push(`${top.name}/${year.name}/${month.name}/${file.name}`);
        }
      }
    }
  }
  return out;
}

/**
 * Pagefind again, as a module instance of its own (the URL differs by its query), so it starts a
 * service process of its own: the npm package runs one service per module instance.
 */
async function anotherPagefind(n: number): Promise<Pagefind> {
  return (await import(`${import.meta.resolve('pagefind')}?service=${n}`)) as Pagefind;
}

/** Index one set of pages (or the placeholder) in a fresh Pagefind index; returns its files in memory. */
async function pagefindFiles(pagefind: Pagefind, what: string, add: (index: PagefindIndex) => Promise<string[]>, config: typeof CONFIG = CONFIG) {
  const { index, errors } = await pagefind.createIndex(config);
  if (!index) throw new SearchIndexError(`Pagefind could not start: ${errors.join('; ')}`);
  try {
    const failed = await add(index);
    if (failed.length) throw new SearchIndexError(`Pagefind could not index ${what}: ${failed.join('; ')}`);
    const { files, errors: written } = await index.getFiles();
    if (written.length) throw new SearchIndexError(`Pagefind could not write ${what}: ${written.join('; ')}`);
    return files;
  } finally {
    await index.deleteIndex();
  }
}

async function writeFiles(dir: string, files: { path: string; content: Uint8Array }[]): Promise<void> {
  for (const file of files) {
    await mkdir(dirname(join(dir, file.path)), { recursive: true });
    await writeFile(join(dir, file.path), file.content);
  }
}

/** Index one shard's pages into `dir` (by title and lead only with `lead`). */
async function indexShard(pagefind: Pagefind, file: (page: string) => string, key: string, pages: readonly string[], dir: string, lead: boolean): Promise<void> {
  const files = await pagefindFiles(pagefind, `${SEARCH_DIR}/${key} (${pages.length} pages${lead ? ', title and lead' : ''})`, async (index) => {
    const errors: string[] = [];
    for (const page of pages) {
      const added = await index.addHTMLFile({ url: `/${page}`, content: await readFile(file(page), 'utf8') });
      errors.push(...added.errors.map((e) => `${page}: ${e}`));
    }
    return errors;
  }, lead ? LEAD_CONFIG : CONFIG);
  await writeFiles(dir, files.filter((f) => SHARD_FILE.test(f.path)));
}

/**
 * Hard-link (else copy) every file of previous shard folders into the new index: no file of
 * the previous site is ever opened for writing. Folders are made once and links are made
 * synchronously (measured on 10,000 articles' shards: 0.1 s, against 0.5 s as 64 thread-pool
 * round trips at a time and seconds one at a time).
 */
async function reuseShards(pairs: readonly { from: string; to: string }[], signal?: AbortSignal): Promise<void> {
  const files: { from: string; to: string }[] = [];
  const dirs = new Set<string>();
  for (const { from, to } of pairs) {
    dirs.add(to);
    for (const entry of await readdir(from, { recursive: true, withFileTypes: true })) {
      const at = join(to, entry.parentPath.slice(from.length));
      if (entry.isDirectory()) dirs.add(join(at, entry.name));
      else if (entry.isFile()) files.push({ from: join(entry.parentPath, entry.name), to: join(at, entry.name) });
    }
  }
  for (const dir of [...dirs].sort()) await mkdir(dir, { recursive: true });
  for (const [i, { from, to }] of files.entries()) {
    if (i % 1024 === 0) signal?.throwIfAborted();
    linkOrCopySync(from, to);
  }
}

/** A previous shard: indexed by title and lead only, and the tag of its page list (absent in indexes written before it was kept). */
interface PreviousShard {
  lead: boolean;
  list?: string;
}

/** The previous index's shards by key, when it was written by this format; else nothing is reused. */
async function previousShards(dir: string, format: string): Promise<Map<string, PreviousShard>> {
  try {
    const file = JSON.parse(await readFile(join(dir, SEARCH_DIR, SHARDS_FILE), 'utf8')) as ShardsFile;
    return new Map(file.format === format ? file.shards.map((s) => [s.key, { lead: s.lead === true, ...(typeof s.list === 'string' ? { list: s.list } : {}) }]) : []);
  } catch {
    return new Map();
  }
}

/** Tag of a shard's page list (paths sorted, one per line). */
const listTag = (pages: readonly string[]) => tag(pages.join('\n'));

/**
 * Which previous shard (its key) each new shard reuses as it is. One with the same page list,
 * indexed the same way, none of whose pages changed, under any key; for a previous index that
 * kept no page lists, the shard of the same key when none of its pages changed (`touched`).
 */
function reusableShards(groups: ReadonlyMap<string, string[]>, lists: ReadonlyMap<string, string>, before: ReadonlyMap<string, PreviousShard>, changed: ReadonlySet<string>, touched: ReadonlySet<string>, lead: (key: string) => boolean): Map<string, string> {
  const byList = new Map<string, string>();
  for (const [key, shard] of before) if (shard.list) byList.set(`${shard.lead}\0${shard.list}`, key);
  const out = new Map<string, string>();
  for (const [key, members] of groups) {
    const old = before.get(key);
    if (old && old.list === undefined) {
      if (old.lead === lead(key) && !isTouched(key, touched)) out.set(key, key);
      continue;
    }
    const from = byList.get(`${lead(key)}\0${lists.get(key)}`);
    if (from !== undefined && !members.some((page) => changed.has(page))) out.set(key, from);
  }
  return out;
}

/** The site's language as the search page declares it (Pagefind in the browser starts from it). */
async function pageLanguage(siteDir: string): Promise<string> {
  const html = await readFile(join(siteDir, 'search.html'), 'utf8').catch(() => '');
  return /<html[^>]*\slang="([^"]+)"/.exec(html)?.[1]?.toLowerCase() ?? 'unknown';
}

/**
 * Index the article pages of `siteDir` into `siteDir/pagefind/`, one shard per
 * day of the newest month (with `dayOf`; the newest day in date-ordered parts with `dateOf`),
 * month of the newest year and earlier year. With `previous`, shards of a page list the previous
 * index had, none of whose pages are in `previous.changed`, are taken from `previous.dir/pagefind/` as they are.
 */
export async function indexSite(siteDir: string, options: IndexOptions = {}): Promise<SearchIndexReport> {
  const { signal, previous } = options;
  signal?.throwIfAborted();
  const fullText = options.fullText ?? 'all';
  const format = await indexFormat(fullText);
  const out = join(siteDir, `${SEARCH_DIR}.new`);
  const reusable = previous ? await previousShards(previous.dir, format) : new Map<string, PreviousShard>();
  const services: Pagefind[] = [await import('pagefind')];
  const pagefind = services[0]!;
  let indexed = 0;
  try {
    await rm(out, { recursive: true, force: true });
    const pages = options.pages?.paths ?? (await articlePages(siteDir));
    const file = options.pages?.file ?? ((page: string) => join(siteDir, page));
    const groups = groupByShard(pages, options.dayOf, options.maxShardPages, options.dateOf && { dateOf: options.dateOf, pages: options.openDayPages });
    const newest = newestMonth(pages);
    const touched = touchedShards(previous?.changed ?? [], options.dayOf ? newest : newestYear(pages), options.dayOf, previous?.days);
    const entries: ShardEntry[] = [];
    const parsed: PagefindEntry[] = [];
    const lead = (key: string) => leadOnly(key, fullText, newest);
    // A shard is reused when none of its pages changed and it was indexed the same way (a month that stopped being the newest is indexed again by title and lead).
    const changed = new Set([...(previous?.changed ?? [])].map((path) => path.replace(/^\/+/, '')));
    const lists = new Map([...groups].map(([key, members]) => [key, listTag(members)]));
    const sources = reusableShards(groups, lists, reusable, changed, touched, lead);
    const reused = new Set(sources.keys());
    const inPlace = new Set(options.keepInPlace ? [...sources].filter(([key, from]) => key === from).map(([key]) => key) : []);
    await reuseShards([...sources].filter(([key]) => !inPlace.has(key)).map(([key, from]) => ({ from: join(previous!.dir, SEARCH_DIR, from), to: join(out, key) })), signal);
    // The others, largest first, on as many Pagefind services as the machine has cores for (each service is one process on one core).
    const pending = [...groups].filter(([key]) => !reused.has(key)).sort((a, b) => b[1].length - a[1].length);
    const width = Math.max(1, Math.min(options.services ?? defaultServices(availableParallelism(), usableMemory()), pending.length));
    for (let i = 1; i < width; i++) services.push(await anotherPagefind(i));
    const free = services.map((service) => ({ service, sinceRestart: 0 }));
    await mapLimit(pending, width, async ([key, members]) => {
      const slot = free.pop()!;
      try {
        // Pagefind's service keeps what it indexed in memory (GBs over 100,000 pages): a fresh one every so many pages keeps that bounded.
        if (slot.sinceRestart > 0 && slot.sinceRestart + members.length > (options.restartEvery ?? RESTART_PAGES)) {
          await slot.service.close();
          slot.sinceRestart = 0;
        }
        await indexShard(slot.service, file, key, members, join(out, key), lead(key));
        slot.sinceRestart += members.length;
        indexed++;
      } finally {
        free.push(slot);
      }
    }, signal);
    for (const key of groups.keys()) {
      const bytes = await readFile(join(inPlace.has(key) ? join(previous!.dir, SEARCH_DIR) : out, key, 'pagefind-entry.json'));
      const entry = JSON.parse(bytes.toString('utf8')) as PagefindEntry;
      parsed.push(entry);
      entries.push({ key, languages: Object.fromEntries(Object.keys(entry.languages).sort().map((lang) => [lang, tag(bytes)])), ...(lead(key) ? { lead: true as const } : {}), list: lists.get(key)! });
    }
    signal?.throwIfAborted();
    // The root bundle: Pagefind's script, worker and the WebAssembly of one language, with a one-page index to start from.
    const lang = primaryLanguage(await pageLanguage(siteDir), parsed) ?? 'unknown';
    const root = await pagefindFiles(pagefind, `${SEARCH_DIR}/ (the placeholder page)`, async (index) => (await index.addCustomRecord({ ...PLACEHOLDER, language: lang })).errors);
    const rootEntry = root.find((f) => f.path === 'pagefind-entry.json');
    const wasm = (JSON.parse(Buffer.from(rootEntry?.content ?? []).toString('utf8')) as PagefindEntry).languages[lang]?.wasm ?? 'unknown';
    const fragment = root.find((f) => f.path.startsWith('fragment/'));
    if (!rootEntry || !fragment) throw new SearchIndexError(`Pagefind wrote no placeholder index for ${lang}`);
    await writeFiles(out, root.filter((f) => SHARD_FILE.test(f.path) || ROOT_FILE.test(f.path) || f.path === `wasm.${wasm}.pagefind`));
    const shards: ShardsFile = { format, tag: tag(rootEntry.content), placeholder: fragment.path.slice('fragment/'.length, -'.pf_fragment'.length), shards: entries };
    await writeFile(join(out, SHARDS_FILE), `${JSON.stringify(shards, null, 1)}\n`);
    signal?.throwIfAborted();
    await rm(join(siteDir, SEARCH_DIR), { recursive: true, force: true });
    await rename(out, join(siteDir, SEARCH_DIR));
    const languages = [...new Set(parsed.flatMap((e) => Object.keys(e.languages)))].sort();
    const indexedPages = parsed.reduce((sum, e) => sum + Object.values(e.languages).reduce((s, l) => s + l.page_count, 0), 0);
    return { pages: indexedPages, languages, shards: entries.length, indexed, kept: [...inPlace].sort().map((key) => `${SEARCH_DIR}/${key}`) };
  } catch (error) {
    await rm(out, { recursive: true, force: true });
    if (error instanceof SearchIndexError || signal?.aborted) throw error;
    throw new SearchIndexError(`Pagefind failed on ${siteDir}: ${(error as Error).message}`, { cause: error });
  } finally {
    for (const service of services) await service.close();
  }
}
