/**
 * Seal a generated 10,000-article site (small HTML pages in month folders):
 * manifest (hash pass), CAR and zip times, CAR files/s and MB/s, beside
 * `ipfs-car pack` on the same folder in the same run; CAR overhead per article.
 * Targets: ≥ 5,000 files/s, ≥ 3× faster than ipfs-car pack, ≤ 250 bytes/article.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { discardBlocks, importTree, writeCar } from '../src/seal/car.ts';
import { seal } from '../src/seal/index.ts';
import { listSite, readAhead } from '../src/seal/walk.ts';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 10_000);
const root = await mkdtemp(join(tmpdir(), 'newsmirror-bench-seal-'));
const site = join(root, '_site');

function page(i: number): string {
  const words = 'Степь город новости суд выборы вода дорога школа больница рынок'.split(' ');
  const body = Array.from({ length: 12 }, (_, p) => `<p>${Array.from({ length: 30 }, (_, w) => words[(i * 7 + p * 3 + w) % words.length]).join(' ')}.</p>`).join('\n');
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Статья ${i}</title><link rel="stylesheet" href="../../../style.css"></head><body><main><h1>Статья номер ${i}</h1>\n${body}\n</main></body></html>\n`;
}

try {
  // 1. Generate: 4 outlets × months; 10,000 articles + index pages.
  let bytes = 0;
  for (let i = 0; i < ARTICLES; i++) {
    const outlet = ['steppe-herald', 'almaty-daily', 'river-news', 'mountain-post'][i % 4]!;
    const month = Math.floor(i / 4) % 36;
    const dir = join(site, outlet, String(2024 + Math.floor(month / 12)), String((month % 12) + 1).padStart(2, '0'));
    await mkdir(dir, { recursive: true });
    const html = page(i);
    bytes += Buffer.byteLength(html);
    await writeFile(join(dir, `article-${i}-${'novosti-stepi'.slice(0, (i % 13) + 1)}.html`), html);
  }
  await writeFile(join(site, 'index.html'), page(-1));
  await writeFile(join(site, 'style.css'), 'body{font:16px/1.5 serif}\n');
  await writeFile(join(site, 'build.json'), JSON.stringify({ built: '2026-03-01T00:00:00Z', articles: ARTICLES }));
  const listing = await listSite(site);
  const files = listing.files.length;
  const mb = bytes / 1e6;
  console.log(`site: ${files} files, ${mb.toFixed(1)} MB of pages`);

  // 2. Phases on their own (warm page cache: generate just wrote everything).
  let t = performance.now();
  await importTree((async function* () {
    for await (const { file, bytes: b } of readAhead(listing.files)) yield { path: file.path, content: b };
  })(), discardBlocks);
  const hashMs = performance.now() - t;
  t = performance.now();
  const car = await writeCar((async function* () {
    for await (const { file, bytes: b } of readAhead(listing.files)) yield { path: file.path, content: b };
  })(), join(root, 'bench.car'));
  const carMs = performance.now() - t;
  const overhead = (car.bytes - bytes) / ARTICLES;

  // 3. The whole seal (manifest + CAR + zip), as `newsmirror seal` runs it.
  const { privateKey } = generateKeyPairSync('ed25519');
  t = performance.now();
  const report = await seal({ root, key: privateKey });
  const sealMs = performance.now() - t;
  const zipBytes = (await stat(join(root, 'dist', 'site.zip'))).size;

  // 4. ipfs-car pack on the same folder, same run.
  t = performance.now();
  const pack = spawnSync('npx', ['--no-install', 'ipfs-car', 'pack', site, '--output', join(root, 'ipfs-car.car')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const packMs = performance.now() - t;
  if (pack.status !== 0) console.log(`ipfs-car pack failed: ${pack.stderr.toString().slice(0, 300)}`);

  const rate = (ms: number) => `${Math.round(files / (ms / 1000))} files/s, ${(mb / (ms / 1000)).toFixed(1)} MB/s`;
  console.log(`hash pass (manifest + content CID): ${hashMs.toFixed(0)} ms (${rate(hashMs)})`);
  console.log(`CAR: ${carMs.toFixed(0)} ms (${rate(carMs)}), ${car.blocks} blocks, ${car.bytes} bytes, overhead ${overhead.toFixed(0)} bytes/article (target ≤ 250)`);
  console.log(`full seal: ${sealMs.toFixed(0)} ms (manifest + CAR + zip; zip ${zipBytes} bytes), v${report.version} ${report.cid}`);
  console.log(`zip (full seal − hash − CAR, approx.): ${(sealMs - hashMs - carMs).toFixed(0)} ms`);
  console.log(`ipfs-car pack: ${packMs.toFixed(0)} ms (${rate(packMs)}, incl. npx start-up); ours ${(packMs / carMs).toFixed(1)}× faster (target ≥ 3×; ≥ 5,000 files/s: ${files / (carMs / 1000) >= 5000 ? 'met' : 'NOT met'})`);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await rm(root, { recursive: true, force: true });
}
