/**
 * The sharded search index: one Pagefind bundle per month of the newest year and per
 * earlier year, and an index built from the previous site plus the changed pages
 * equals, byte for byte, one built from scratch (after a new, an edited and a removed
 * article, a month emptied, and a new year's first article); shards without a change
 * are hard links to the previous site's files (same inode), not indexed again.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontMatter } from '../../src/core/article.ts';
import { build } from '../../src/render/index.ts';
import { defaultServices, indexSite, SEARCH_DIR, usableMemory } from '../../src/render/search-index.ts';
import { groupByShard, isTouched, leadOnly, newestMonth, OPEN_DAY_PAGES, newestYear, primaryLanguage, shardKey, touchedShards, type ShardsFile } from '../../src/render/search-shards.ts';
import { makeProject, writeArticle } from '../render/fixtures.ts';
import { fileTree as tree } from '../helpers/tree.ts';

let root: string;
let tmp: string;
/** The first build's site, kept aside as "the previous site". */
let previous: string;

const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04'];

function article(n: number, month: string, lang: string, outlet: string): FrontMatter {
  const date = `${month}-${String(1 + (n % 27)).padStart(2, '0')}T10:00:00Z`;
  return { id: `${outlet}/${String(n).padStart(16, '0')}`, outlet, title: `Статья ${n}`, url: `https://${outlet}.example/news/${n}`, date, author: '', lang, tags: [], summary: '', source: { feed: `https://${outlet}.example/rss/`, fetched: date } };
}

const page = (n: number, month: string, outlet = 'steppe-herald') => `${outlet}/${month.replace('-', '/')}/${String(n).padStart(16, '0')}.html`;


/** A copy of `from` without its index, to index again in another way. */
async function copySite(from: string, name: string): Promise<string> {
  const to = join(tmp, name);
  await rm(to, { recursive: true, force: true });
  await cp(from, to, { recursive: true, filter: (src) => !src.startsWith(join(from, SEARCH_DIR)) });
  return to;
}

/** Index `site` incrementally from `previous`, and a copy of it from scratch: both trees, and the incremental report. */
async function both(site: string, changed: string[]) {
  const scratch = await copySite(site, `scratch-${Math.random().toString(36).slice(2)}`);
  const report = await indexSite(site, { previous: { dir: previous, changed: new Set(changed) } });
  const cold = await indexSite(scratch);
  return { report, cold, incremental: await tree(join(site, SEARCH_DIR)), fromScratch: await tree(join(scratch, SEARCH_DIR)) };
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'newsmirror-shards-'));
  root = join(tmp, 'project');
  await makeProject(root, { articles: 0, words: 40, site: { pageSize: 10 } });
  let n = 1;
  for (const month of MONTHS) {
    for (let i = 0; i < 3; i++, n++) await writeArticle(root, article(n, month, 'ru', 'steppe-herald'), `<p>Слово${n} встречается в статье номер ${n}, город степь ${month}.</p>`);
  }
  await writeArticle(root, article(99, '2026-04', 'kk', 'kz-voice'), '<p>Ауылдағы мектепте жаңа кітапхана ашылды.</p>');
  // An earlier year: one shard for the whole year.
  await writeArticle(root, article(201, '2025-06', 'ru', 'alma-daily'), '<p>Прошлый год, июнь.</p>');
  await writeArticle(root, article(202, '2025-11', 'ru', 'alma-daily'), '<p>Прошлый год, ноябрь.</p>');
  await build({ root });
  // build() splits the newest month by day; the tests below index without days (month shards), as indexSite alone does.
  previous = await copySite(join(root, '_site'), 'previous');
  await indexSite(previous);
}, 60_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('shard keys', () => {
  it('puts an article page of the newest year in the shard of its month, an older one in the shard of its year, and nothing else in any shard', () => {
    expect(newestYear(['index.html', 'a/2025/12/1.html', 'b/2026/01/1.html', 'titles/a/2027-01.html'])).toBe('2026');
    expect(shardKey('steppe-herald/2026/02/0000000000000004.html', '2026')).toBe('2026-02');
    expect(shardKey('steppe-herald/2025/11/0000000000000004.html', '2026')).toBe('2025');
    for (const other of ['index.html', 'archive/2026-02.html', 'titles/kz-voice/2026-02.html', 'steppe-herald/index.html', 'steppe-herald/2026/02/x.css', 'a/2026/2/x.html', 'a/b/2026/02/x.html']) expect(shardKey(other, '2026')).toBeUndefined();
    expect([...groupByShard(['b/2026/01/2.html', 'a/2026/03/1.html', 'a/2026/01/9.html', 'search.html', 'a/2024/05/1.html', 'b/2024/01/1.html'])]).toEqual([
      ['2026-03', ['a/2026/03/1.html']],
      ['2026-01', ['a/2026/01/9.html', 'b/2026/01/2.html']],
      ['2024', ['a/2024/05/1.html', 'b/2024/01/1.html']],
    ]);
    expect([...touchedShards(['/a/2026/01/1.html', 'index.html', 'b/2025/12/x.html'], '2026')]).toEqual(['2026-01', '2025']);
  });

  it('splits the newest month into day shards when the days are known, and touches the old and the new day of a moved article', () => {
    const pages = ['a/2026/03/1.html', 'b/2026/03/2.html', 'a/2026/03/3.html', 'a/2026/02/4.html', 'a/2025/12/5.html'];
    const days: Record<string, string> = { 'a/2026/03/1.html': '07', 'b/2026/03/2.html': '07', 'a/2026/03/3.html': '31', 'a/2026/02/4.html': '14', 'a/2025/12/5.html': '01' };
    const dayOf = (path: string) => days[path];
    expect(newestMonth([...pages, 'archive/2027-01.html'])).toBe('2026-03');
    expect(shardKey('a/2026/03/1.html', '2026-03', '07')).toBe('2026-03-07');
    expect(shardKey('a/2026/03/1.html', '2026-03', undefined)).toBe('2026-03');
    expect(shardKey('a/2026/02/4.html', '2026-03', '14')).toBe('2026-02');
    expect(shardKey('a/2025/12/5.html', '2026-03', '01')).toBe('2025');
    expect([...groupByShard(pages, dayOf)]).toEqual([
      ['2026-03-31', ['a/2026/03/3.html']],
      ['2026-03-07', ['a/2026/03/1.html', 'b/2026/03/2.html']],
      ['2026-02', ['a/2026/02/4.html']],
      ['2025', ['a/2025/12/5.html']],
    ]);
    // a/2026/03/1.html moved from the 2nd to the 7th: both days are indexed again, and nothing else.
    const touched = touchedShards(['/a/2026/03/1.html'], '2026-03', dayOf, ['2026-03-02']);
    expect([...touched].sort()).toEqual(['2026-03-02', '2026-03-07']);
    expect(['2026-03-31', '2026-03-07', '2026-02', '2025'].filter((key) => isTouched(key, touched))).toEqual(['2026-03-07']);
    // A changed page of the newest month whose day is not known touches every day of that month.
    const unknown = touchedShards(['c/2026/03/9.html'], '2026-03', dayOf);
    expect(['2026-03-31', '2026-03-07', '2026-02', '2025'].filter((key) => isTouched(key, unknown))).toEqual(['2026-03-31', '2026-03-07']);
  });

  it('cuts a calendar shard larger than the limit into parts of that many pages, in page order, all touched by a change to any of its pages', () => {
    const pages = ['a/2026/03/1.html', 'a/2026/03/2.html', 'b/2026/03/3.html', 'b/2026/03/4.html', 'c/2026/03/5.html', 'a/2026/02/6.html'];
    expect([...groupByShard(pages, undefined, 2)]).toEqual([
      ['2026-03.3', ['c/2026/03/5.html']],
      ['2026-03.2', ['b/2026/03/3.html', 'b/2026/03/4.html']],
      ['2026-03.1', ['a/2026/03/1.html', 'a/2026/03/2.html']],
      ['2026-02', ['a/2026/02/6.html']],
    ]);
    const touched = touchedShards(['b/2026/03/4.html'], '2026');
    expect(['2026-03.3', '2026-03.2', '2026-03.1', '2026-02'].filter((key) => isTouched(key, touched))).toEqual(['2026-03.3', '2026-03.2', '2026-03.1']);
    expect(isTouched('2026-04-07.2', new Set(['2026-04']))).toBe(true);
  });

  it('cuts the newest day, and only it, into parts of 100 pages in date order (then path), oldest first; each part by path', () => {
    expect(OPEN_DAY_PAGES).toBe(100);
    // The 7th has five pages (dated out of path order), the 6th three: only the 7th is cut, in parts of 2.
    const dates: Record<string, string> = {
      'a/2026/03/1.html': '2026-03-07T09:00:00Z',
      'b/2026/03/2.html': '2026-03-07T08:00:00Z',
      'c/2026/03/3.html': '2026-03-07T12:00:00Z',
      'a/2026/03/4.html': '2026-03-07T10:00:00Z',
      'b/2026/03/5.html': '2026-03-07T10:00:00Z',
      'a/2026/03/6.html': '2026-03-06T10:00:00Z',
      'b/2026/03/7.html': '2026-03-06T11:00:00Z',
      'c/2026/03/8.html': '2026-03-06T12:00:00Z',
      'a/2026/02/9.html': '2026-02-14T10:00:00Z',
    };
    const pages = Object.keys(dates);
    const dayOf = (path: string) => dates[path]?.slice(8, 10);
    const dateOf = (path: string) => dates[path];
    expect([...groupByShard(pages, dayOf, undefined, { dateOf, pages: 2 })]).toEqual([
      ['2026-03-07.3', ['c/2026/03/3.html']],
      ['2026-03-07.2', ['a/2026/03/4.html', 'b/2026/03/5.html']],
      ['2026-03-07.1', ['a/2026/03/1.html', 'b/2026/03/2.html']],
      ['2026-03-06', ['a/2026/03/6.html', 'b/2026/03/7.html', 'c/2026/03/8.html']],
      ['2026-02', ['a/2026/02/9.html']],
    ]);
    // The default: 100 pages a part; fewer, and the day is one shard under its own key.
    expect([...groupByShard(pages, dayOf, undefined, { dateOf })].map(([key]) => key)).toEqual(['2026-03-07', '2026-03-06', '2026-02']);
    // Without days there is no newest day to cut.
    expect([...groupByShard(pages, undefined, undefined, { dateOf, pages: 2 })].map(([key]) => key)).toEqual(['2026-03', '2026-02']);
  });

  it('indexes by title and lead only: nothing under all, earlier years under year, every month before the newest under month (parts too)', () => {
    const keys = ['2026-04-19', '2026-04', '2026-04.2', '2026-03', '2026-03.1', '2025', '2025.2', '2019'];
    const lead = (fullText: 'all' | 'year' | 'month') => keys.filter((key) => leadOnly(key, fullText, '2026-04'));
    expect(lead('all')).toEqual([]);
    expect(lead('year')).toEqual(['2025', '2025.2', '2019']);
    expect(lead('month')).toEqual(['2026-03', '2026-03.1', '2025', '2025.2', '2019']);
  });

  it('runs one Pagefind service per core, at most 2, and one per 2 GiB of memory (a 2 GB VPS or container gets one)', () => {
    const GiB = 2 ** 30;
    expect([defaultServices(2, 24 * GiB), defaultServices(8, 64 * GiB), defaultServices(1, 8 * GiB), defaultServices(2, 2 * GiB), defaultServices(2, 3.9 * GiB), defaultServices(2, 4 * GiB), defaultServices(4, 1 * GiB)]).toEqual([2, 2, 1, 1, 1, 2, 1]);
    // In a 2 GB container on a 24 GB host, the container's limit counts; no limit (0, or more than the machine) leaves the machine's memory.
    expect([usableMemory(24 * GiB, 2 * GiB), usableMemory(24 * GiB, 0), usableMemory(24 * GiB, 2 ** 64), usableMemory(2 * GiB, 4 * GiB)]).toEqual([2 * GiB, 24 * GiB, 24 * GiB, 2 * GiB]);
    expect(defaultServices(2, usableMemory(24 * GiB, 2 * GiB))).toBe(1);
  });

  it('starts the browser on the site language when articles are in it, else on the language with most articles', () => {
    const entry = (counts: Record<string, number>) => ({ version: '1.6.0', languages: Object.fromEntries(Object.entries(counts).map(([l, page_count]) => [l, { hash: l, wasm: l, page_count }])) });
    expect(primaryLanguage('ru', [entry({ kk: 5 }), entry({ ru: 1 })])).toBe('ru');
    expect(primaryLanguage('en', [entry({ kk: 5, ru: 2 }), entry({ ru: 4 })])).toBe('ru');
    expect(primaryLanguage('en', [entry({ kk: 3 }), entry({ ru: 3 })])).toBe('kk');
    expect(primaryLanguage('en', [])).toBeUndefined();
  });
});

describe('sharded index', () => {
  it('writes one bundle per month of the newest year and per earlier year, newest first in shards.json, and one copy of the script, worker and WebAssembly', async () => {
    const files = await tree(join(previous, SEARCH_DIR));
    const shards = JSON.parse(await readFile(join(previous, SEARCH_DIR, 'shards.json'), 'utf8')) as ShardsFile;
    expect(shards.shards.map((s) => [s.key, Object.keys(s.languages)])).toEqual([['2026-04', ['kk', 'ru']], ['2026-03', ['ru']], ['2026-02', ['ru']], ['2026-01', ['ru']], ['2025', ['ru']]]);
    expect(shards.format).toMatch(/^pagefind 1\.6\.0; layout 1; /);
    // The root holds the runtime once (the site is Russian: the Russian WebAssembly only) and a one-page placeholder index.
    expect([...files.keys()].filter((f) => !f.includes('/')).map((f) => f.replace(/_[0-9a-f]+\./, '_H.'))).toEqual(['pagefind-entry.json', 'pagefind-worker.js', 'pagefind.js', 'pagefind.ru_H.pf_meta', 'shards.json', 'wasm.ru.pagefind']);
    expect([...files.keys()].filter((f) => f.startsWith('fragment/'))).toEqual([`fragment/${shards.placeholder}.pf_fragment`]);
    // Shards hold index data only.
    expect([...files.keys()].filter((f) => f.startsWith('202') && !/^(2026-0\d|2025)\/(pagefind-entry\.json|pagefind\.(ru|kk)_[0-9a-f]+\.pf_meta|(index|fragment|filter)\/(ru|kk)_[0-9a-f]+\.pf_(index|fragment|filter))$/.test(f))).toEqual([]);
    expect([...files.keys()].filter((f) => f.startsWith('2026-03/fragment/'))).toHaveLength(3);
    const entry = JSON.parse(await readFile(join(previous, SEARCH_DIR, '2026-04/pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
    expect(Object.fromEntries(Object.entries(entry.languages).map(([l, v]) => [l, v.page_count]))).toEqual({ kk: 1, ru: 3 });
  });

  it('build() splits the newest month into one shard per day', async () => {
    const shards = JSON.parse(await readFile(join(root, '_site', SEARCH_DIR, 'shards.json'), 'utf8')) as ShardsFile;
    // Articles 10, 11 and 12 of 2026-04 are dated the 11th, 12th and 13th; the Kazakh one (99) the 19th.
    expect(shards.shards.map((s) => [s.key, Object.keys(s.languages)])).toEqual([['2026-04-19', ['kk']], ['2026-04-13', ['ru']], ['2026-04-12', ['ru']], ['2026-04-11', ['ru']], ['2026-03', ['ru']], ['2026-02', ['ru']], ['2026-01', ['ru']], ['2025', ['ru']]]);
  });

  it('with day shards, an article whose date moved within the month leaves its old day: equal to scratch, two days indexed', async () => {
    const day = (moved: string) => (path: string) => ({ [page(10, '2026-04')]: moved, [page(11, '2026-04')]: '12', [page(12, '2026-04')]: '13', [page(99, '2026-04', 'kz-voice')]: '19' })[path];
    const before = await copySite(previous, 'days-before');
    expect(await indexSite(before, { dayOf: day('12') })).toMatchObject({ shards: 7, indexed: 7 });
    const site = await copySite(before, 'days-after');
    const edited = page(10, '2026-04');
    await writeFile(join(site, edited), (await readFile(join(site, edited), 'utf8')).replace('Слово10', 'Правка'));
    const scratch = await copySite(site, 'days-scratch');
    const report = await indexSite(site, { dayOf: day('13'), previous: { dir: before, changed: new Set([edited]), days: ['2026-04-12'] } });
    expect(report).toMatchObject({ shards: 7, indexed: 2 });
    await indexSite(scratch, { dayOf: day('13') });
    expect(await tree(join(site, SEARCH_DIR))).toEqual(await tree(join(scratch, SEARCH_DIR)));
    // Without the old day, the 12th is indexed again all the same: its page list changed.
    const unsaid = await copySite(before, 'days-unsaid');
    await writeFile(join(unsaid, edited), await readFile(join(site, edited)));
    expect(await indexSite(unsaid, { dayOf: day('13'), previous: { dir: before, changed: new Set([edited]) } })).toMatchObject({ indexed: 2 });
    expect(await tree(join(unsaid, SEARCH_DIR))).toEqual(await tree(join(scratch, SEARCH_DIR)));
    // An index written before shards.json kept page lists is reused by key: there the old day is what sends the 12th to be indexed again.
    const listless = join(tmp, 'days-listless');
    await cp(before, listless, { recursive: true });
    const file = JSON.parse(await readFile(join(listless, SEARCH_DIR, 'shards.json'), 'utf8')) as ShardsFile;
    await writeFile(join(listless, SEARCH_DIR, 'shards.json'), JSON.stringify({ ...file, shards: file.shards.map(({ list: _, ...rest }) => rest) }));
    for (const [days, indexed, equal] of [[['2026-04-12'], 2, true], [[], 1, false]] as const) {
      const stale = await copySite(before, `days-stale-${indexed}`);
      await writeFile(join(stale, edited), await readFile(join(site, edited)));
      expect(await indexSite(stale, { dayOf: day('13'), previous: { dir: listless, changed: new Set([edited]), days } })).toMatchObject({ indexed });
      const [got, want] = [await tree(join(stale, SEARCH_DIR)), await tree(join(scratch, SEARCH_DIR))];
      if (equal) expect(got).toEqual(want);
      // Without the old day, the 12th is kept with the article still in it.
      else expect(got.get('2026-04-12/pagefind-entry.json')).not.toEqual(want.get('2026-04-12/pagefind-entry.json'));
    }
  }, 30_000);

  it('after a new, an edited and a removed article, equals an index from scratch byte for byte and indexes only their three months', async () => {
    const site = await copySite(previous, 'changed');
    // New: a fourth article in 2026-03 (a copy of one with another word). Edited: 2026-02's first. Removed: 2026-01's first.
    const added = page(50, '2026-03');
    await writeFile(join(site, added), (await readFile(join(site, page(7, '2026-03')), 'utf8')).replaceAll('Слово7', 'Новое'));
    const edited = page(4, '2026-02');
    await writeFile(join(site, edited), (await readFile(join(site, edited), 'utf8')).replace('Слово4', 'Правка'));
    const removed = page(1, '2026-01');
    await rm(join(site, removed));
    const { report, cold, incremental, fromScratch } = await both(site, [added, edited, `/${removed}`, 'index.html']);
    expect(report).toEqual({ pages: 15, languages: ['kk', 'ru'], shards: 5, indexed: 3, kept: [] });
    expect(cold).toEqual({ ...report, indexed: 5 });
    expect([...incremental.keys()]).toEqual([...fromScratch.keys()]);
    expect(incremental).toEqual(fromScratch);
    // The untouched month is the previous site's files, linked: same inode, never rewritten.
    const reused = [...incremental.keys()].filter((f) => f.startsWith('2026-04/') || f.startsWith('2025/'));
    expect(reused.length).toBeGreaterThan(4);
    for (const f of reused) expect([f, (await stat(join(site, SEARCH_DIR, f))).ino]).toEqual([f, (await stat(join(previous, SEARCH_DIR, f))).ino]);
    // A changed month was written anew.
    const fresh = [...incremental.keys()].find((f) => f.startsWith('2026-02/index/'))!;
    expect((await stat(join(site, SEARCH_DIR, fresh))).ino).not.toBe((await stat(join(previous, SEARCH_DIR, fresh)).catch(() => ({ ino: -1 }))).ino);
  }, 30_000);

  it('with keepInPlace, leaves the shards reused under their own key in the previous index and names them; with those folders, the index equals scratch', async () => {
    const site = await copySite(previous, 'in-place');
    const added = page(51, '2026-03');
    await writeFile(join(site, added), (await readFile(join(site, page(7, '2026-03')), 'utf8')).replaceAll('Слово7', 'Другое'));
    const scratch = await copySite(site, 'in-place-scratch');
    const report = await indexSite(site, { previous: { dir: previous, changed: new Set([added]) }, keepInPlace: true });
    await indexSite(scratch);
    expect(report.kept).toEqual(['pagefind/2025', 'pagefind/2026-01', 'pagefind/2026-02', 'pagefind/2026-04']);
    expect(report.indexed).toBe(1);
    const written = await tree(join(site, SEARCH_DIR));
    expect([...written.keys()].filter((f) => /^(2025|2026-0[124])\//.test(f))).toEqual([]);
    // The new index plus the kept folders of the previous one: the index from scratch, byte for byte.
    const whole = new Map(written);
    for (const dir of report.kept) for (const [f, bytes] of await tree(join(previous, dir))) whole.set(`${dir.slice(SEARCH_DIR.length + 1)}/${f}`, bytes);
    expect(new Map([...whole].sort())).toEqual(new Map([...(await tree(join(scratch, SEARCH_DIR)))].sort()));
  }, 30_000);

  it('drops the shard of a month whose articles were all removed, equal to scratch', async () => {
    const site = await copySite(previous, 'emptied');
    const gone = [1, 2, 3].map((n) => page(n, '2026-01'));
    for (const p of gone) await rm(join(site, p));
    const { report, incremental, fromScratch } = await both(site, gone);
    expect(report).toEqual({ pages: 12, languages: ['kk', 'ru'], shards: 4, indexed: 0, kept: [] });
    expect(incremental).toEqual(fromScratch);
    expect([...incremental.keys()].some((f) => f.startsWith('2026-01'))).toBe(false);
  }, 30_000);

  it("with a new year's first article, makes the last year's months one year shard, equal to scratch", async () => {
    const site = await copySite(previous, 'new-year');
    const added = page(300, '2027-01');
    await mkdir(join(site, 'steppe-herald/2027/01'), { recursive: true });
    await writeFile(join(site, added), await readFile(join(site, page(7, '2026-03')), 'utf8'));
    const { report, incremental, fromScratch } = await both(site, [added]);
    // Shards 2027-01, 2026 and 2025; the last one is reused.
    expect(report).toEqual({ pages: 16, languages: ['kk', 'ru'], shards: 3, indexed: 2, kept: [] });
    expect(incremental).toEqual(fromScratch);
    const shards = JSON.parse(await readFile(join(site, SEARCH_DIR, 'shards.json'), 'utf8')) as ShardsFile;
    expect(shards.shards.map((s) => s.key)).toEqual(['2027-01', '2026', '2025']);
  }, 30_000);

  it('indexes in place when the previous site is the site itself', async () => {
    const site = await copySite(previous, 'in-place');
    await cp(join(previous, SEARCH_DIR), join(site, SEARCH_DIR), { recursive: true });
    const edited = page(10, '2026-04');
    await writeFile(join(site, edited), (await readFile(join(site, edited), 'utf8')).replace('Слово10', 'Правка'));
    const scratch = await copySite(site, 'in-place-scratch');
    expect(await indexSite(site, { previous: { dir: site, changed: new Set([edited]) } })).toMatchObject({ shards: 5, indexed: 1 });
    await indexSite(scratch);
    expect(await tree(join(site, SEARCH_DIR))).toEqual(await tree(join(scratch, SEARCH_DIR)));
    expect((await readdir(site)).filter((f) => f.startsWith(SEARCH_DIR))).toEqual([SEARCH_DIR]);
  }, 30_000);

  it('with one service, with two at once, and with a fresh service every few pages (as on a large archive, to bound its memory), writes the same bytes', async () => {
    for (const [name, options] of [['one', { services: 1 }], ['two', { services: 2 }], ['restarts', { services: 1, restartEvery: 3 }], ['two-restarts', { services: 2, restartEvery: 3 }]] as const) {
      const site = await copySite(previous, name);
      expect(await indexSite(site, options)).toMatchObject({ shards: 5, indexed: 5 });
      expect(await tree(join(site, SEARCH_DIR))).toEqual(await tree(join(previous, SEARCH_DIR)));
    }
  }, 60_000);

  it("with shards cut into parts (a month's 3 or 4 articles in parts of 2), an edit indexes its own part only and equals scratch", async () => {
    const before = await copySite(previous, 'parts-before');
    expect(await indexSite(before, { maxShardPages: 2 })).toMatchObject({ shards: 9, indexed: 9 });
    const keys = (JSON.parse(await readFile(join(before, SEARCH_DIR, 'shards.json'), 'utf8')) as ShardsFile).shards.map((s) => s.key);
    expect(keys).toEqual(['2026-04.2', '2026-04.1', '2026-03.2', '2026-03.1', '2026-02.2', '2026-02.1', '2026-01.2', '2026-01.1', '2025']);
    const site = await copySite(before, 'parts-after');
    const edited = page(8, '2026-03');
    await writeFile(join(site, edited), (await readFile(join(site, edited), 'utf8')).replace('Слово8', 'Правка'));
    const scratch = await copySite(site, 'parts-scratch');
    expect(await indexSite(site, { maxShardPages: 2, previous: { dir: before, changed: new Set([edited]) } })).toMatchObject({ shards: 9, indexed: 1 });
    await indexSite(scratch, { maxShardPages: 2 });
    expect(await tree(join(site, SEARCH_DIR))).toEqual(await tree(join(scratch, SEARCH_DIR)));
  }, 30_000);

  it('with nothing changed, indexes nothing and writes the same bytes', async () => {
    const site = await copySite(previous, 'same');
    const { report, incremental } = await both(site, []);
    expect(report.indexed).toBe(0);
    expect(incremental).toEqual(await tree(join(previous, SEARCH_DIR)));
  }, 30_000);

  it('indexes every shard when the previous index was written by another Pagefind or settings, or is missing', async () => {
    const other = join(tmp, 'other-format');
    await cp(previous, other, { recursive: true });
    const shards = JSON.parse(await readFile(join(other, SEARCH_DIR, 'shards.json'), 'utf8')) as ShardsFile;
    await writeFile(join(other, SEARCH_DIR, 'shards.json'), JSON.stringify({ ...shards, format: 'pagefind 1.5.0; layout 1' }));
    const site = await copySite(previous, 'reformat');
    expect((await indexSite(site, { previous: { dir: other, changed: new Set() } })).indexed).toBe(5);
    expect(await tree(join(site, SEARCH_DIR))).toEqual(await tree(join(previous, SEARCH_DIR)));
    expect((await indexSite(site, { previous: { dir: join(tmp, 'no-such-site'), changed: new Set() } })).indexed).toBe(5);
  }, 30_000);

  it('leaves the site without a half-written index when aborted', async () => {
    const site = await copySite(previous, 'aborted');
    const controller = new AbortController();
    controller.abort();
    await expect(indexSite(site, { signal: controller.signal })).rejects.toThrow();
    expect((await readdir(site)).filter((f) => f.startsWith(SEARCH_DIR))).toEqual([]);
  });
});

describe('the newest day in date-ordered parts', () => {
  // All four articles of 2026-04 are taken as published on the 13th, an hour apart.
  const dates: Record<string, string> = { [page(10, '2026-04')]: '2026-04-13T08:00:00Z', [page(11, '2026-04')]: '2026-04-13T09:00:00Z', [page(12, '2026-04')]: '2026-04-13T10:00:00Z', [page(99, '2026-04', 'kz-voice')]: '2026-04-13T11:00:00Z' };
  const options = (added: Record<string, string>, openDayPages: number) => {
    const all = { ...dates, ...added };
    return { dayOf: (path: string) => all[path]?.slice(8, 10), dateOf: (path: string) => all[path], openDayPages };
  };
  const keysOf = async (site: string) => (JSON.parse(await readFile(join(site, SEARCH_DIR, 'shards.json'), 'utf8')) as ShardsFile).shards.map((s) => s.key);
  const ino = async (site: string, key: string) => (await stat(join(site, SEARCH_DIR, key, 'pagefind-entry.json'))).ino;

  /** `base` plus new articles (page number → date), indexed from `base` and from scratch: the incremental site and report, after checking both are equal. */
  async function add(name: string, base: string, known: Record<string, string>, added: Record<number, string>, openDayPages: number) {
    const site = await copySite(base, name);
    const more: Record<string, string> = { ...known };
    for (const [n, date] of Object.entries(added)) {
      const path = page(Number(n), '2026-04');
      more[path] = date;
      await writeFile(join(site, path), (await readFile(join(site, page(7, '2026-03')), 'utf8')).replaceAll('Слово7', `Новое${n}`));
    }
    const scratch = await copySite(site, `${name}-scratch`);
    const changed = Object.keys(added).map((n) => page(Number(n), '2026-04'));
    const report = await indexSite(site, { ...options(more, openDayPages), previous: { dir: base, changed: new Set(changed) } });
    await indexSite(scratch, options(more, openDayPages));
    expect(await tree(join(site, SEARCH_DIR))).toEqual(await tree(join(scratch, SEARCH_DIR)));
    return { site, report, known: more };
  }

  it('indexes only the last part for a later article, re-cuts for an earlier one, and makes the day one shard when the next day begins; each equal to scratch', async () => {
    const base = await copySite(previous, 'open-base');
    expect(await indexSite(base, options({}, 3))).toMatchObject({ shards: 6, indexed: 6 });
    expect(await keysOf(base)).toEqual(['2026-04-13.2', '2026-04-13.1', '2026-03', '2026-02', '2026-01', '2025']);
    // A later article joins the last part: that part alone is indexed; the first is the previous one's files.
    const later = await add('open-later', base, {}, { 51: '2026-04-13T12:00:00Z' }, 3);
    expect(later.report).toMatchObject({ shards: 6, indexed: 1 });
    expect(await ino(later.site, '2026-04-13.1')).toBe(await ino(base, '2026-04-13.1'));
    // One dated earlier in the day moves the boundary: both parts are indexed again.
    const earlier = await add('open-earlier', later.site, later.known, { 52: '2026-04-13T08:30:00Z' }, 3);
    expect(earlier.report).toMatchObject({ shards: 6, indexed: 2 });
    // The first article of the 14th: the 13th is no longer the newest day and becomes one shard (indexed once), the 14th a shard of its own.
    const next = await add('open-next', earlier.site, earlier.known, { 53: '2026-04-14T07:00:00Z' }, 3);
    expect(next.report).toMatchObject({ shards: 6, indexed: 2 });
    expect(await keysOf(next.site)).toEqual(['2026-04-14', '2026-04-13', '2026-03', '2026-02', '2026-01', '2025']);
  }, 60_000);

  it('reuses the day shard as the first part when the day outgrows one part (same pages, another key)', async () => {
    const base = await copySite(previous, 'open-one');
    await indexSite(base, options({}, 4));
    expect(await keysOf(base)).toEqual(['2026-04-13', '2026-03', '2026-02', '2026-01', '2025']);
    const grown = await add('open-grown', base, {}, { 51: '2026-04-13T12:00:00Z' }, 4);
    expect(grown.report).toMatchObject({ shards: 6, indexed: 1 });
    expect(await keysOf(grown.site)).toEqual(['2026-04-13.2', '2026-04-13.1', '2026-03', '2026-02', '2026-01', '2025']);
    expect(await ino(grown.site, '2026-04-13.1')).toBe(await ino(base, '2026-04-13'));
    // An edit to a page of the first part indexes that part again, under its key.
    const site = await copySite(grown.site, 'open-edited');
    const edited = page(10, '2026-04');
    await writeFile(join(site, edited), (await readFile(join(site, edited), 'utf8')).replace('Слово10', 'Правка'));
    const scratch = await copySite(site, 'open-edited-scratch');
    expect(await indexSite(site, { ...options(grown.known, 4), previous: { dir: grown.site, changed: new Set([edited]) } })).toMatchObject({ shards: 6, indexed: 1 });
    await indexSite(scratch, options(grown.known, 4));
    expect(await tree(join(site, SEARCH_DIR))).toEqual(await tree(join(scratch, SEARCH_DIR)));
    expect(await ino(site, '2026-04-13.2')).toBe(await ino(grown.site, '2026-04-13.2'));
  }, 60_000);
});

/** The text Pagefind kept for each page of a shard (from its fragments), by page path. */
async function shardText(site: string, key: string): Promise<Record<string, string>> {
  const dir = join(site, SEARCH_DIR, key, 'fragment');
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    const bytes = gunzipSync(await readFile(join(dir, name)));
    const fragment = JSON.parse(bytes.subarray('pagefind_dcd'.length).toString('utf8')) as { url: string; content: string };
    out[fragment.url] = fragment.content;
  }
  return out;
}

/** A copy of the previous site whose pages 1 (2026-01), 10 (2026-04) and 201 (2025) have three paragraphs: Один, Два, Три and their number. */
async function threeParagraphs(name: string): Promise<string> {
  const site = await copySite(previous, name);
  for (const path of [page(1, '2026-01'), page(10, '2026-04'), page(201, '2025-06', 'alma-daily')]) {
    const n = Number(/(\d+)\.html$/.exec(path)![1]);
    const html = await readFile(join(site, path), 'utf8');
    await writeFile(join(site, path), html.replace(/(<div class="b" dir="auto">)[\s\S]*?(<\/div>)/, `$1<p>Один${n}.</p><p>Два${n}.</p><p>Три${n}.</p>$2`));
  }
  return site;
}

describe('title and lead only (site.yaml fullTextSearch)', () => {
  it('under month, keeps the whole text of the newest month and the title and first two paragraphs of the others; equal to scratch after the month moves on', async () => {
    const site = await threeParagraphs('lead-month');
    expect(await indexSite(site, { fullText: 'month' })).toMatchObject({ shards: 5, indexed: 5 });
    const shards = JSON.parse(await readFile(join(site, SEARCH_DIR, 'shards.json'), 'utf8')) as ShardsFile;
    expect(shards.shards.map((s) => [s.key, s.lead ?? false])).toEqual([['2026-04', false], ['2026-03', true], ['2026-02', true], ['2026-01', true], ['2025', true]]);
    expect(shards.format).toMatch(/^pagefind 1\.6\.0; layout 1; \{.*\}; full text: month; lead: \{.*"article > div\.b > :nth-child\(n\+3\)"\]\}$/);
    expect((await shardText(site, '2026-04'))[`/${page(10, '2026-04')}`]).toBe('Статья 10. Один10. Два10. Три10.');
    expect((await shardText(site, '2026-01'))[`/${page(1, '2026-01')}`]).toBe('Статья 1. Один1. Два1.');
    expect((await shardText(site, '2025'))[`/${page(201, '2025-06', 'alma-daily')}`]).toBe('Статья 201. Один201. Два201.');
    // The same site under all: every word, and a format an index written before the setting existed also had.
    const all = await threeParagraphs('lead-all');
    await indexSite(all);
    expect((await shardText(all, '2026-01'))[`/${page(1, '2026-01')}`]).toBe('Статья 1. Один1. Два1. Три1.');
    expect((JSON.parse(await readFile(join(all, SEARCH_DIR, 'shards.json'), 'utf8')) as ShardsFile).format).not.toContain('full text');
    // A first article of May: April is no longer the newest month, so it is indexed again (by title and lead) though none of its pages changed.
    const may = await copySite(site, 'lead-may');
    await mkdir(join(may, 'steppe-herald/2026/05'), { recursive: true });
    const added = page(60, '2026-05');
    await writeFile(join(may, added), (await readFile(join(may, page(10, '2026-04')), 'utf8')).replaceAll('Статья 10', 'Статья 60'));
    const scratch = await copySite(may, 'lead-may-scratch');
    expect(await indexSite(may, { fullText: 'month', previous: { dir: site, changed: new Set([added]) } })).toMatchObject({ shards: 6, indexed: 2 });
    expect((await shardText(may, '2026-04'))[`/${page(10, '2026-04')}`]).toBe('Статья 10. Один10. Два10.');
    await indexSite(scratch, { fullText: 'month' });
    expect(await tree(join(may, SEARCH_DIR))).toEqual(await tree(join(scratch, SEARCH_DIR)));
    // Changing the setting indexes every shard again.
    const back = await copySite(site, 'lead-back');
    expect(await indexSite(back, { fullText: 'year', previous: { dir: site, changed: new Set() } })).toMatchObject({ indexed: 5 });
    expect((await shardText(back, '2026-01'))[`/${page(1, '2026-01')}`]).toBe('Статья 1. Один1. Два1. Три1.');
    expect((await shardText(back, '2025'))[`/${page(201, '2025-06', 'alma-daily')}`]).toBe('Статья 201. Один201. Два201.');
  }, 60_000);
});

describe('build with fullTextSearch', () => {
  it('indexes earlier months by title and lead, and the search page says from which day the full text is searched', async () => {
    const project = join(tmp, 'lead-project');
    await cp(root, project, { recursive: true, filter: (src) => !src.startsWith(join(root, '_site')) && !src.startsWith(join(root, '.newsmirror')) });
    await writeFile(join(project, 'content/_data/site.yaml'), `${await readFile(join(project, 'content/_data/site.yaml'), 'utf8')}fullTextSearch: month\n`);
    await build({ root: project });
    const shards = JSON.parse(await readFile(join(project, '_site', SEARCH_DIR, 'shards.json'), 'utf8')) as ShardsFile;
    expect(shards.shards.map((s) => [s.key, s.lead ?? false])).toEqual([['2026-04-19', false], ['2026-04-13', false], ['2026-04-12', false], ['2026-04-11', false], ['2026-03', true], ['2026-02', true], ['2026-01', true], ['2025', true]]);
    const html = await readFile(join(project, '_site/search.html'), 'utf8');
    expect(html).toContain('<p class="m">Поиск идёт по полному тексту статей с 1 апреля 2026; более ранние статьи находятся по заголовку и первым абзацам.</p><p class="m">Ваши слова');
    // Without the setting, no such line.
    expect(await readFile(join(root, '_site/search.html'), 'utf8')).not.toContain('Поиск идёт по полному тексту');
    // Another setting renders no article again (only search.html shows it) and indexes the shards whose way changed.
    await writeFile(join(project, 'content/_data/site.yaml'), (await readFile(join(project, 'content/_data/site.yaml'), 'utf8')).replace('fullTextSearch: month', 'fullTextSearch: year'));
    const again = await build({ root: project });
    expect(again.rendered?.articles).toBe(0);
    expect((JSON.parse(await readFile(join(project, '_site', SEARCH_DIR, 'shards.json'), 'utf8')) as ShardsFile).shards.filter((s) => s.lead).map((s) => s.key)).toEqual(['2025']);
    expect(await readFile(join(project, '_site/search.html'), 'utf8')).toContain('<p class="m">Поиск идёт по полному тексту статей с 1 января 2026; более ранние статьи находятся по заголовку и первым абзацам.</p>');
  }, 60_000);
});

describe('build on a busy day', () => {
  it('cuts a newest day of 101 articles into parts of 100 by date; the next article indexes the second part only', async () => {
    const project = join(tmp, 'busy-day');
    // 101 articles a minute apart from 2026-04-13 08:00 UTC: all on the 13th.
    await makeProject(project, { articles: 101, words: 20, outlets: ['steppe-herald'], clock: { start: Date.UTC(2026, 3, 13, 8), stepMs: 60_000 } });
    expect((await build({ root: project })).indexed).toBe(101);
    const site = join(project, '_site', SEARCH_DIR);
    const counts = async () => Object.fromEntries(await Promise.all((JSON.parse(await readFile(join(site, 'shards.json'), 'utf8')) as ShardsFile).shards.map(async (s) => [s.key, (JSON.parse(await readFile(join(site, s.key, 'pagefind-entry.json'), 'utf8')) as { languages: { ru: { page_count: number } } }).languages.ru.page_count])));
    expect(await counts()).toEqual({ '2026-04-13.2': 1, '2026-04-13.1': 100 });
    const first = (await stat(join(site, '2026-04-13.1', 'pagefind-entry.json'))).ino;
    const second = (await stat(join(site, '2026-04-13.2', 'pagefind-entry.json'))).ino;
    await writeArticle(project, { ...article(500, '2026-04', 'ru', 'steppe-herald'), date: '2026-04-13T12:00:00Z' }, '<p>Ещё одна новость.</p>');
    expect((await build({ root: project })).rendered?.articles).toBe(1);
    expect(await counts()).toEqual({ '2026-04-13.2': 2, '2026-04-13.1': 100 });
    expect((await stat(join(site, '2026-04-13.1', 'pagefind-entry.json'))).ino).toBe(first);
    expect((await stat(join(site, '2026-04-13.2', 'pagefind-entry.json'))).ino).not.toBe(second);
  }, 60_000);
});
