/**
 * Search benchmark (`npm run bench search`). For generated archives of 1,000 and 10,000
 * articles (SEARCH_BENCH_SIZES=1000,10000), in two kinds of text (SEARCH_BENCH_TEXT=zipf,syllables:
 * a realistic 40,000-word Zipf vocabulary from bench/zipf-text.ts, and the test generator's
 * random syllables, whose far larger vocabulary inflates Pagefind's cost), it reports:
 * - the time to index the whole archive: sharded (indexSite, cold) and as one Pagefind index;
 * - the time to index again after 10 new articles in the newest month, given the previous site
 *   (indexSite with `previous`), and that the result equals a cold index byte for byte;
 * - pagefind/ bytes and files, sharded and single;
 * - what one search costs a reader in Chromium (requests and bytes, all and index only),
 *   sharded and with the single index (served as one shard, so the same script runs both).
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from '../src/render/index.ts';
import { indexSite, SEARCH_DIR } from '../src/render/search-index.ts';
import { groupByShard, SHARDS_FILE, type ShardsFile } from '../src/render/search-shards.ts';
import { startServer } from '../src/serve/index.ts';
import { articleHtml, makeProject, prng } from '../tests/render/fixtures.ts';
import { makeZipfProject, zipfWords } from './zipf-text.ts';

const SIZES = (process.env.SEARCH_BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const TEXTS = (process.env.SEARCH_BENCH_TEXT ?? 'zipf,syllables').split(',') as ('zipf' | 'syllables')[];
/** In the titles of generated articles (tests/render/fixtures.ts WORDS): a common word. */
const QUERY = 'журналист';

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function sizes(dir: string): Promise<{ files: number; bytes: number }> {
  const out = { files: 0, bytes: 0 };
  for (const f of await readdir(dir, { recursive: true })) {
    const st = await stat(join(dir, f));
    if (st.isFile()) {
      out.files++;
      out.bytes += st.size;
    }
  }
  return out;
}

async function tree(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const f of (await readdir(dir, { recursive: true })).sort()) {
    const p = join(dir, f);
    if ((await stat(p)).isFile()) hash.update(f).update(await readFile(p));
  }
  return hash.digest('hex');
}

/** CPU ms of this process and of its children that have ended (Pagefind's binary ends with pagefind.close()), from /proc. */
async function cpuMs(): Promise<number> {
  const fields = (await readFile('/proc/self/stat', 'utf8')).replace(/^.*\) /, '').split(' ').map(Number);
  // After the command name: utime, stime, cutime, cstime are fields 14-17 of stat (11-14 here), in clock ticks of 10 ms.
  return (fields[11]! + fields[12]! + fields[13]! + fields[14]!) * 10;
}

/** Wall and CPU (node and Pagefind's process together) of some work. */
async function timed<T>(work: () => Promise<T>): Promise<[T, number, number]> {
  const cpu0 = await cpuMs();
  const t0 = performance.now();
  const out = await work();
  return [out, performance.now() - t0, (await cpuMs()) - cpu0];
}

/** The whole archive as one Pagefind index, the way it was built before shards: its files into `out`. */
async function singleIndex(site: string, out: string): Promise<void> {
  const pagefind = await import('pagefind');
  try {
    const { index } = await pagefind.createIndex({ keepIndexUrl: true, excludeSelectors: ['article > p.m', 'article > aside.n'] });
    await index!.addDirectory({ path: site });
    await index!.writeFiles({ outputPath: out });
    for (const f of await readdir(out)) if (/^pagefind-(ui|component-ui|modular-ui|highlight)\.(js|css)$/.test(f)) await rm(join(out, f));
  } finally {
    await pagefind.close();
  }
}

/** A copy of the sharded site whose index is the single one, served as the only shard (root files kept). */
async function singleSite(site: string, single: string, to: string): Promise<void> {
  await cp(site, to, { recursive: true });
  const root = join(to, SEARCH_DIR);
  const shards = JSON.parse(await readFile(join(root, SHARDS_FILE), 'utf8')) as ShardsFile;
  for (const s of shards.shards) await rm(join(root, s.key), { recursive: true });
  await mkdir(join(root, 'all'));
  for (const f of await readdir(single)) if (!/\.js$|^wasm\./.test(f)) await cp(join(single, f), join(root, 'all', f), { recursive: true });
  const entry = JSON.parse(await readFile(join(single, 'pagefind-entry.json'), 'utf8')) as { languages: Record<string, unknown> };
  await writeFile(join(root, SHARDS_FILE), JSON.stringify({ ...shards, shards: [{ key: 'all', languages: Object.fromEntries(Object.keys(entry.languages).map((l) => [l, 'x'])) }] }));
}

/** One cold search in Chromium: requests and bytes of the whole visit, and of pagefind/ alone. */
async function searchCost(browser: Browser, site: string): Promise<{ requests: number; bytes: number; indexRequests: number; indexBytes: number; found: string }> {
  const server = await startServer({ source: site, port: 0 });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const seen: Promise<[string, number]>[] = [];
    page.on('response', (r) => seen.push(r.body().then((b) => [r.url(), b.length] as [string, number], () => [r.url(), 0] as [string, number])));
    context.on('response', (r) => seen.push(r.body().then((b) => [r.url(), b.length] as [string, number], () => [r.url(), 0] as [string, number])));
    await page.goto(`${server.url}search.html?q=${encodeURIComponent(QUERY)}`);
    await page.waitForFunction(() => /\d/.test(document.getElementById('ss')!.textContent ?? ''), undefined, { timeout: 120_000 });
    const found = (await page.textContent('#ss')) ?? '';
    const all = new Map(await Promise.all(seen));
    const index = [...all].filter(([u]) => u.includes(`/${SEARCH_DIR}/`));
    return { requests: all.size, bytes: [...all.values()].reduce((a, b) => a + b, 0), indexRequests: index.length, indexBytes: index.reduce((a, [, b]) => a + b, 0), found };
  } finally {
    await context.close();
    await server.close();
  }
}

/** 10 new article pages in the newest month: copies of its newest page with new text. Returns their paths. */
async function addTen(site: string, text: 'zipf' | 'syllables'): Promise<string[]> {
  const pages: string[] = [];
  for (const top of await readdir(site, { withFileTypes: true })) {
    if (!top.isDirectory()) continue;
    for (const f of await readdir(join(site, top.name), { recursive: true })) pages.push(`${top.name}/${f}`);
  }
  const [, newest] = [...groupByShard(pages)][0]!;
  const template = await readFile(join(site, newest.at(-1)!), 'utf8');
  const random = prng(4242);
  const word = zipfWords();
  const added: string[] = [];
  for (let i = 0; i < 10; i++) {
    const body = articleHtml(600, 'ru', random, text === 'zipf' ? word : undefined);
    const path = newest[0]!.replace(/[^/]+\.html$/, `new-${i}.html`);
    await writeFile(join(site, path), template.replace(/(<div class="b" dir="auto">)[\s\S]*?(<\/div>)/, `$1${body}$2`));
    added.push(path);
  }
  return added;
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
try {
  for (const text of TEXTS) {
    for (const n of SIZES) {
      const tmp = await mkdtemp(join(tmpdir(), 'newsmirror-bench-search-'));
      try {
        const root = join(tmp, 'project');
        if (text === 'zipf') await makeZipfProject(root, { articles: n, words: 600 });
        else await makeProject(root, { articles: n, words: 600 });
        await build({ root });
        const site = join(root, '_site');
        await rm(join(site, SEARCH_DIR), { recursive: true });
        const [cold, coldMs, coldCpu] = await timed(() => indexSite(site));
        const single = join(tmp, 'single');
        const [, singleMs, singleCpu] = await timed(() => singleIndex(site, single));
        const sharded = await sizes(join(site, SEARCH_DIR));
        const one = await sizes(single);
        // 10 new articles in the newest month, indexed from the previous site; then the same site cold, to compare.
        const next = join(tmp, 'next');
        await cp(site, next, { recursive: true, filter: (src) => !src.startsWith(join(site, SEARCH_DIR)) });
        const added = await addTen(next, text);
        const scratch = join(tmp, 'scratch');
        await cp(next, scratch, { recursive: true });
        const [inc, incMs, incCpu] = await timed(() => indexSite(next, { previous: { dir: site, changed: new Set(added) } }));
        const [, scratchMs, scratchCpu] = await timed(() => indexSite(scratch));
        const same = (await tree(join(next, SEARCH_DIR))) === (await tree(join(scratch, SEARCH_DIR)));
        const shardedCost = await searchCost(browser, site);
        const singleCopy = join(tmp, 'single-site');
        await singleSite(site, single, singleCopy);
        const singleCost = await searchCost(browser, singleCopy);
        console.log(`${n} articles, ${text} text (${cold.pages} indexed, ${cold.shards} shards, languages ${cold.languages.join(',')}):`);
        console.log(`  cold: sharded ${sec(coldMs)} wall (CPU ${sec(coldCpu)}, node and Pagefind); one index ${sec(singleMs)} wall (CPU ${sec(singleCpu)})`);
        console.log(`  10 new in the newest month: ${sec(incMs)} wall (CPU ${sec(incCpu)}), ${inc.indexed} of ${inc.shards} shards indexed; cold on the same site ${sec(scratchMs)} (CPU ${sec(scratchCpu)}); byte-identical: ${same ? 'yes' : 'NO'}`);
        console.log(`  pagefind/: sharded ${kib(sharded.bytes)} in ${sharded.files} files; one index ${kib(one.bytes)} in ${one.files} files`);
        for (const [what, c] of [['sharded', shardedCost], ['one index', singleCost]] as const) {
          console.log(`  a search for «${QUERY}» (${c.found}), ${what}: ${c.requests} requests, ${kib(c.bytes)} in all; pagefind/ ${c.indexRequests} requests, ${kib(c.indexBytes)}`);
        }
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    }
  }
} finally {
  await browser.close();
}
