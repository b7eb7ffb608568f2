/**
 * Seal a generated 10,000-article site (small HTML pages in month folders):
 * manifest (hash pass), CAR and zip times, CAR files/s and MB/s, beside
 * `ipfs-car pack` on the same folder in the same run; CAR overhead per article.
 * Targets: ≥ 5,000 files/s, ≥ 3× faster than ipfs-car pack, ≤ 250 bytes/article.
 * Then, at 1,000 and 10,000 articles (BENCH_SEAL_SIZES), cold seal vs an
 * incremental seal after 10 new articles and 20 rewritten listing pages
 * (target ≤ 1 s for the incremental seal at 10,000); with
 * BENCH_SEAL_REALISTIC=10000, the same on a site shaped like the scale
 * bench's (22,500 files, about 216 MB; 190 files changed).
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { discardBlocks, importTree, writeCar, listSite, readInOrder } from '../src/sealed/index.ts';
import { seal } from '../src/seal/index.ts';
import { articleHtml, prng } from '../tests/render/fixtures.ts';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 10_000);
const root = await mkdtemp(join(tmpdir(), 'newsmirror-bench-seal-'));
const site = join(root, '_site');

function page(i: number): string {
  const words = 'Степь город новости суд выборы вода дорога школа больница рынок'.split(' ');
  const body = Array.from({ length: 12 }, (_, p) => `<p>${Array.from({ length: 30 }, (_, w) => words[(i * 7 + p * 3 + w) % words.length]).join(' ')}.</p>`).join('\n');
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Статья ${i}</title><link rel="stylesheet" href="../../../style.css"></head><body><main><h1>Статья номер ${i}</h1>\n${body}\n</main></body></html>\n`;
}

/** Write `n` articles (4 outlets × months) and an index into `site`; returns the bytes of pages. */
async function generate(site: string, n: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const outlet = ['steppe-herald', 'almaty-daily', 'river-news', 'mountain-post'][i % 4]!;
    const month = Math.floor(i / 4) % 36;
    const dir = join(site, outlet, String(2024 + Math.floor(month / 12)), String((month % 12) + 1).padStart(2, '0'));
    await mkdir(dir, { recursive: true });
    const html = page(i);
    total += Buffer.byteLength(html);
    await writeFile(join(dir, `article-${i}-${'novosti-stepi'.slice(0, (i % 13) + 1)}.html`), html);
  }
  await writeFile(join(site, 'index.html'), page(-1));
  for (let i = 0; i < 20; i++) await writeFile(join(site, `listing-${i}.html`), page(-2 - i));
  await writeFile(join(site, 'style.css'), 'body{font:16px/1.5 serif}\n');
  await writeFile(join(site, 'build.json'), JSON.stringify({ built: '2026-03-01T00:00:00Z', articles: n }));
  return total;
}

/** Write `path` as a new file (a new inode, as an incremental build leaves a changed file). */
async function replace(path: string, bytes: string | Uint8Array): Promise<void> {
  await writeFile(`${path}.new`, bytes);
  await rename(`${path}.new`, path);
}

/** A page as the renderer makes one: a few KB of layout around `words` words of article text. */
function realisticPage(i: number, words: number): string {
  const random = prng(1_000_003 + i);
  const nav = Array.from({ length: 40 }, (_, k) => `<li><a href="/outlet-${String(k % 10).padStart(2, '0')}/page/${k}/">Раздел ${k}</a></li>`).join('');
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Статья ${i}</title><link rel="stylesheet" href="/style.css"></head><body><nav><ul>${nav}</ul></nav><main><h1>Статья номер ${i}</h1>\n${articleHtml(words, 'ru', random)}\n</main></body></html>\n`;
}

/** Search-index bytes (already compressed, so incompressible). */
const fragment = (i: number, size: number): Buffer => {
  const random = prng(7_000_003 + i);
  return Buffer.from(Array.from({ length: size }, () => Math.floor(random() * 256)));
};

const REALISTIC_LISTINGS = 1_650;
const outlet = (i: number) => `outlet-${String(i % 10).padStart(2, '0')}`;
const year = (i: number) => String(2020 + ((i >> 5) % 7));
const articlePath = (site: string, i: number) => join(site, outlet(i), year(i), String(((i >> 3) % 12) + 1).padStart(2, '0'), `${i.toString(16).padStart(16, '0')}.html`);
const fragmentPath = (site: string, i: number) => join(site, 'pagefind', year(i), 'fragment', `ru_${(i * 2654435761 >>> 0).toString(16).padStart(8, '0').slice(0, 7)}${i}.pf_fragment`);
const listingPath = (site: string, k: number) => join(site, outlet(k), `page-${k}.html`);

async function writeArticle(site: string, i: number): Promise<void> {
  await mkdir(join(articlePath(site, i), '..'), { recursive: true });
  await writeFile(articlePath(site, i), realisticPage(i, 950));
  await mkdir(join(fragmentPath(site, i), '..'), { recursive: true });
  await writeFile(fragmentPath(site, i), fragment(i, 5_000));
}

/**
 * A site shaped like the scale bench's at 10,000 articles (about 22,500
 * files, 216 MB): articles as pages in outlet/year/month/ folders, a search
 * fragment each in pagefind/<year>/fragment/ (about 1,500 a folder, under the
 * sharding threshold), and listing pages.
 */
async function generateRealistic(site: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await writeArticle(site, i);
  for (let k = 0; k < REALISTIC_LISTINGS; k++) await writeFile(listingPath(site, k), realisticPage(-1 - k, 950));
  await writeFile(join(site, 'style.css'), 'body{font:16px/1.5 serif}\n');
  await writeFile(join(site, 'build.json'), JSON.stringify({ built: '2026-03-01T00:00:00Z', articles: n }));
}

/** The realistic site after 10 new articles (`round` of them): their pages and fragments, 150 listing pages and 20 fragments rewritten. */
async function changeRealistic(site: string, n: number, round = 0): Promise<void> {
  for (let i = n + 10 * round; i < n + 10 * round + 10; i++) await writeArticle(site, i);
  for (let k = 0; k < 150; k++) await replace(listingPath(site, k), realisticPage(-5_000 - k - 1_000 * round, 950));
  for (let i = 0; i < 20; i++) await replace(fragmentPath(site, i * 97), fragment(-1 - i - 100 * round, 5_000));
}

/** Cold seal, then 10 new articles and 20 listings rewritten as new files (as an incremental build leaves them), then seal again. */
async function incremental(n: number, realistic: boolean): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `newsmirror-bench-seal-inc-${n}-`));
  try {
    const s = join(dir, '_site');
    if (realistic) await generateRealistic(s, n);
    else await generate(s, n);
    const { privateKey } = generateKeyPairSync('ed25519');
    let t = performance.now();
    await seal({ root: dir, key: privateKey });
    const coldMs = performance.now() - t;
    if (realistic) await changeRealistic(s, n);
    else {
      for (let i = 0; i < 10; i++) await writeFile(join(s, 'steppe-herald', `new-${i}.html`), page(n + i));
      for (let i = 0; i < 20; i++) await replace(join(s, `listing-${i}.html`), page(-100 - i));
    }
    await writeFile(join(s, 'build.json'), JSON.stringify({ built: '2026-03-01T01:00:00Z', articles: n + 10 }));
    const lines: string[] = [];
    const marks: [string, number][] = [];
    const keep = (line: string) => (lines.push(line), marks.push([line, performance.now()]));
    t = performance.now();
    await seal({ root: dir, key: privateKey, reporter: { progress: keep, info: keep, warn: keep } });
    const incMs = performance.now() - t;
    // The incremental run's phases, from the reporter's lines (each phase ends where the next one's line is).
    const at = (pattern: RegExp) => marks.find(([line]) => pattern.test(line))?.[1] ?? NaN;
    const steps: [string, number][] = [
      ['stat + hash', at(/^seal: planning/) - t],
      ['plan', at(/^seal: writing dist\/site\.zip$/) - at(/^seal: planning/)],
      ['zip site records', at(/^seal: writing dist\/site\.car$/) - at(/^seal: writing dist\/site\.zip$/)],
      ['CAR + its zip pieces', at(/blocks of site\.car taken/) - at(/^seal: writing dist\/site\.car$/)],
      ['deltas, release, commit', t + incMs - at(/blocks of site\.car taken/)],
    ];
    const car = (await stat(join(dir, 'dist', 'site.car'))).size;
    const changed = realistic ? '190 changed files, realistic shape' : '31 changed files';
    console.log(`incremental seal, ${n} articles (CAR ${(car / 1e6).toFixed(1)} MB): cold ${coldMs.toFixed(0)} ms, after ${changed} ${incMs.toFixed(0)} ms (target ≤ 1,000 ms at 10,000: ${incMs <= 1000 ? 'met' : 'NOT met'})`);
    for (const line of lines.filter((l) => / of \d+ (files read|blocks|files in|pieces)/.test(l))) console.log(`  ${line}`);
    console.log(`  phases: ${steps.map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`).join(', ')}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

try {
  // 1. Generate: 4 outlets × months; 10,000 articles + index and listing pages.
  const bytes = await generate(site, ARTICLES);
  const listing = await listSite(site);
  const files = listing.files.length;
  const mb = bytes / 1e6;
  console.log(`site: ${files} files, ${mb.toFixed(1)} MB of pages`);

  // 2. Phases on their own, best of three (the machine is shared; the minimum is the least disturbed run).
  const entries = async function* () {
    for await (const { file, bytes: b } of readInOrder(listing.files)) yield { path: file.path, content: b };
  };
  const best = async (runs: number, work: () => Promise<unknown>): Promise<number> => {
    let min = Infinity;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await work();
      min = Math.min(min, performance.now() - t);
    }
    return min;
  };
  const hashMs = await best(3, () => importTree(entries(), discardBlocks));
  let car = { bytes: 0, blocks: 0 };
  const carMs = await best(3, async () => {
    car = await writeCar(entries(), join(root, 'bench.car'));
  });
  const overhead = (car.bytes - bytes) / ARTICLES;

  // 3. The whole seal (manifest + CAR + zip), as `newsmirror seal` runs it.
  const { privateKey } = generateKeyPairSync('ed25519');
  const marks: [string, number][] = [];
  const mark = (line: string) => marks.push([line, performance.now()]);
  let t = performance.now();
  const report = await seal({ root, key: privateKey, reporter: { progress: mark, info: mark, warn: mark } });
  const sealMs = performance.now() - t;
  const at = (pattern: RegExp) => marks.find(([line]) => pattern.test(line))?.[1] ?? NaN;
  const phases = {
    manifest: at(/^seal: planning/) - t,
    car: at(/blocks of site\.car taken/) - at(/^seal: planning/),
    zip: at(/^sealed /) - at(/blocks of site\.car taken/),
  };
  const zipBytes = (await stat(join(root, 'dist', 'site.zip'))).size;

  // 4. ipfs-car pack on the same folder, same run, best of two.
  const packMs = await best(2, async () => {
    const pack = spawnSync('npx', ['--no-install', 'ipfs-car', 'pack', site, '--output', join(root, 'ipfs-car.car')], { stdio: ['ignore', 'pipe', 'pipe'] });
    if (pack.status !== 0) console.log(`ipfs-car pack failed: ${pack.stderr.toString().slice(0, 300)}`);
  });
  t = performance.now();
  spawnSync('npx', ['--no-install', 'ipfs-car', '--version'], { stdio: 'ignore' });
  const npxMs = performance.now() - t;

  const rate = (ms: number) => `${Math.round(files / (ms / 1000))} files/s, ${(mb / (ms / 1000)).toFixed(1)} MB/s`;
  console.log(`hash pass (manifest + content CID): ${hashMs.toFixed(0)} ms (${rate(hashMs)})`);
  console.log(`CAR: ${carMs.toFixed(0)} ms (${rate(carMs)}), ${car.blocks} blocks, ${car.bytes} bytes, overhead ${overhead.toFixed(0)} bytes/article (target ≤ 250)`);
  console.log(`full seal: ${sealMs.toFixed(0)} ms = list and hash ${phases.manifest.toFixed(0)} ms + plan, CAR and zip (written together) ${phases.car.toFixed(0)} ms + deltas, release record, commit ${phases.zip.toFixed(0)} ms (${zipBytes} bytes, site + CAR deflated); v${report.version} ${report.cid}`);
  console.log(`ipfs-car pack: ${packMs.toFixed(0)} ms (${rate(packMs)}; npx start-up alone ${npxMs.toFixed(0)} ms); ours ${(packMs / carMs).toFixed(1)}× faster, ${((packMs - npxMs) / carMs).toFixed(1)}× without npx start-up (target ≥ 3×)`);
  console.log(`targets: ≥ 5,000 files/s ${files / (carMs / 1000) >= 5000 ? 'met' : 'NOT met'}; ≥ 3× ipfs-car ${(packMs - npxMs) / carMs >= 3 ? 'met' : 'NOT met'}; ≤ 250 B/article ${overhead <= 250 ? 'met' : 'NOT met'} (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  for (const n of (process.env.BENCH_SEAL_SIZES ?? '1000,10000').split(',').map(Number)) await incremental(n, false);
  // BENCH_SEAL_REALISTIC=10000: also the shape of the scale bench's site (22,500 files, about 216 MB).
  for (const n of (process.env.BENCH_SEAL_REALISTIC ?? '').split(',').filter(Boolean).map(Number)) await incremental(n, true);
} finally {
  await rm(root, { recursive: true, force: true });
}
