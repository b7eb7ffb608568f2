/**
 * Render benchmark: build time and peak RSS of `build()` for 1,000 and 10,000
 * generated articles, beside plain Eleventy (defaults, a minimal Liquid layout)
 * building the same Markdown files in the same run; each build in its own
 * process. Then article page sizes (median and p95, raw, gzip, brotli).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { makeProject } from '../tests/render/fixtures.ts';
import { plainEleventyCopy } from './plain-eleventy.ts';

const self = fileURLToPath(import.meta.url);

async function child(mode: string, root: string): Promise<void> {
  const start = performance.now();
  if (mode === 'newsmirror') {
    const { build } = await import('../src/render/index.ts');
    await build({ root });
  } else {
    const { default: Eleventy } = await import('@11ty/eleventy');
    await new Eleventy(join(root, 'content'), join(root, '_site'), { quietMode: true }).write();
  }
  const ms = performance.now() - start;
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

interface Sample {
  ms: number;
  /** CPU time (user + system, all threads): steadier than wall time on a shared machine. */
  cpuMs: number;
  rssMb: number;
}

function run(mode: string, root: string): Sample {
  const result = spawnSync(process.execPath, ['--import', 'tsx', self, 'child', mode, root], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`${mode} build failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Sample;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? 0;
}

async function articleSizes(site: string): Promise<string> {
  // Every 10th article page (brotli at quality 11 is slow; a 10% sample gives the same median and p95).
  const files = (await readdir(site, { recursive: true }))
    .filter((f) => /^[a-z0-9-]+\/\d{4}\/\d{2}\/[^/]+\.html$/.test(f))
    .sort()
    .filter((_, i) => i % 10 === 0);
  const raw: number[] = [];
  const gz: number[] = [];
  const br: number[] = [];
  for (const file of files) {
    const bytes = await readFile(join(site, file));
    raw.push(bytes.length);
    gz.push(gzipSync(bytes).length);
    br.push(brotliCompressSync(bytes).length);
  }
  const row = (name: string, list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return `  ${name.padEnd(7)} median ${String(percentile(sorted, 0.5)).padStart(6)} B   p95 ${String(percentile(sorted, 0.95)).padStart(6)} B   max ${String(sorted.at(-1)).padStart(6)} B`;
  };
  return [`article pages (${files.length} sampled):`, row('raw', raw), row('gzip', gz), row('brotli', br)].join('\n');
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'newsmirror-bench-render-'));
  try {
    let sizes = '';
    for (const n of [1000, 10000]) {
      const ours = join(work, `ours-${n}`);
      const plain = join(work, `plain-${n}`);
      await makeProject(ours, { articles: n });
      await plainEleventyCopy(ours, plain);
      // Alternate the two and keep each one's best time: the machine is shared.
      const times: Record<'plain' | 'newsmirror', Sample[]> = { plain: [], newsmirror: [] };
      for (let round = 0; round < (n <= 1000 ? 3 : 2); round++) {
        times.plain.push(run('plain', plain));
        times.newsmirror.push(run('newsmirror', ours));
      }
      const best = (list: Sample[]) => ({ ms: Math.min(...list.map((t) => t.ms)), cpuMs: Math.min(...list.map((t) => t.cpuMs)), rssMb: Math.max(...list.map((t) => t.rssMb)) });
      const p = best(times.plain);
      const o = best(times.newsmirror);
      const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      process.stdout.write(
        `${n} articles: plain Eleventy ${s(p.ms)} (cpu ${s(p.cpuMs)}), ${p.rssMb.toFixed(0)} MB peak; newsmirror build ${s(o.ms)} (cpu ${s(o.cpuMs)}), ${o.rssMb.toFixed(0)} MB peak; ratio wall ${(o.ms / p.ms).toFixed(2)}, cpu ${(o.cpuMs / p.cpuMs).toFixed(2)} (target ≤ 1.2)\n`,
      );
      if (n === 10000) sizes = await articleSizes(join(ours, '_site'));
      await rm(plain, { recursive: true, force: true });
    }
    process.stdout.write(`${sizes}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') await child(process.argv[3]!, process.argv[4]!);
else await main();
