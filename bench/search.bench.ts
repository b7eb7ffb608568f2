/**
 * Search benchmark (`npm run bench search`): for generated projects of 1,000 and
 * 2,000 articles (set SEARCH_BENCH_SIZES=1000,10000 for the 10,000; slow on
 * a shared machine), the bytes and files Pagefind adds to the site (per 1,000
 * articles, with and without its fixed scripts and WebAssembly), the time
 * indexing adds to a build (wall and CPU of indexSite() on the built site), and
 * the whole build for scale. Then what a reader downloads for one search.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../src/render/index.ts';
import { indexSite, SEARCH_DIR } from '../src/render/search-index.ts';
import { makeProject } from '../tests/render/fixtures.ts';

const SIZES = (process.env.SEARCH_BENCH_SIZES ?? '1000,2000').split(',').map(Number);
/** Loaded once per search page whatever the query (script, worker, entry, WebAssembly of one language). */
const FIXED = /^(pagefind\.js|pagefind-worker\.js|pagefind-entry\.json|wasm\..*\.pagefind)$/;

async function sizes(dir: string): Promise<{ files: number; bytes: number; fixedBytes: number; fragments: number }> {
  const out = { files: 0, bytes: 0, fixedBytes: 0, fragments: 0 };
  for (const f of await readdir(dir, { recursive: true })) {
    const st = await stat(join(dir, f));
    if (!st.isFile()) continue;
    out.files++;
    out.bytes += st.size;
    if (FIXED.test(f)) out.fixedBytes += st.size;
    if (f.startsWith('fragment/')) out.fragments++;
  }
  return out;
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

for (const n of SIZES) {
  const root = await mkdtemp(join(tmpdir(), 'newsmirror-bench-search-'));
  try {
    await makeProject(root, { articles: n, words: 600 });
    const t0 = performance.now();
    const report = await build({ root });
    const buildMs = performance.now() - t0;
    const site = join(root, '_site');
    const index = await sizes(join(site, SEARCH_DIR));
    // Index again on the same site, alone: the time search adds to a build.
    await rm(join(site, SEARCH_DIR), { recursive: true });
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    const again = await indexSite(site);
    const indexMs = performance.now() - t1;
    const cpu = process.cpuUsage(cpu0);
    // The same work by Pagefind's own CLI under bash's `time`: its CPU, which the wall time above hides on a busy machine.
    const timed = spawnSync('bash', ['-c', `TIMEFORMAT='%R %U %S'; time ${join(import.meta.dirname, '../node_modules/.bin/pagefind')} --site "$0" --output-path "$0/../pf-cli" >/dev/null`, site], { encoding: 'utf8' });
    const [wall, user, sys] = timed.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    const perK = (x: number) => (x * 1000) / n;
    console.log(`${n} articles (${report.pages} files in _site, ${again.pages} indexed, languages ${again.languages.join(',')}):`);
    console.log(`  build total ${(buildMs / 1000).toFixed(1)} s; Pagefind adds ${(indexMs / 1000).toFixed(1)} s wall (this process's CPU ${((cpu.user + cpu.system) / 1000 / 1000).toFixed(1)} s; the Pagefind binary's own CPU is not counted)`);
    console.log(`  Pagefind CLI on the same site: ${wall!.toFixed(1)} s wall, ${(user! + sys!).toFixed(1)} s CPU`);
    console.log(`  index ${kb(index.bytes)} in ${index.files} files (${index.fragments} fragments); fixed part ${kb(index.fixedBytes)}`);
    console.log(`  per 1,000 articles: ${kb(perK(index.bytes - index.fixedBytes))} and ${perK(index.files).toFixed(0)} files beyond the fixed part`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
