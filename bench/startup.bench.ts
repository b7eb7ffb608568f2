/**
 * Start-up time of the CLI, against the targets of issue 9 (this machine):
 * `newsmirror --help` ≤ 0.3 s and `verify <zip>` of the demo site ≤ 1 s, run
 * from the compiled .build/ (bin/compile.js, run by `npm ci`); the TypeScript
 * through tsx (NEWSMIRROR_FROM_SOURCE=1) for comparison, and `node -e 0`, the
 * floor on this machine (on a loaded machine every figure rises with it). Median of 5 runs each.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = new URL('..', import.meta.url).pathname;
const BIN = join(REPO, 'bin', 'newsmirror.js');
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall-clock seconds of `node …args`, median of RUNS. */
function time(args: string[], env: Record<string, string> = {}): { wall: number; status: number | null } {
  const walls: number[] = [];
  let status: number | null = null;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
    walls.push((performance.now() - t) / 1000);
    status = r.status;
    if (r.status !== 0) console.log(`  (exit ${r.status}: ${r.stderr.trim().split('\n')[0]})`);
  }
  return { wall: median(walls), status };
}

let floor = 0;
function report(label: string, target: number, m: { wall: number; status: number | null }): void {
  const verdict = m.wall <= target ? 'meets' : 'MISSES';
  console.log(`${label.padEnd(48)} ${m.wall.toFixed(3)} s, ${(m.wall - floor).toFixed(3)} s above node's own start  (target ≤ ${target} s: ${verdict}; exit ${m.status})`);
}

const compile = spawnSync(process.execPath, [join(REPO, 'bin', 'compile.js')], { encoding: 'utf8' });
if (compile.status !== 0) throw new Error(`bin/compile.js failed: ${compile.stderr}`);
console.log(compile.stderr.trim());

const dir = await mkdtemp(join(tmpdir(), 'nm-bench-startup-'));
try {
  const demo = spawnSync(process.execPath, [BIN, 'demo', '--no-serve', '--dir', join(dir, 'demo')], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
  if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);
  const zip = join(dir, 'demo', 'dist', 'site.zip');
  const key = /publicKey: (ed25519:\S+)/.exec(await readFile(join(dir, 'demo', 'content', '_data', 'site.yaml'), 'utf8'))![1]!;

  floor = time(['-e', '0']).wall;
  console.log(`${'node -e 0 (the floor on this machine now)'.padEnd(48)} ${floor.toFixed(3)} s`);
  report('newsmirror --help (compiled)', 0.3, time([BIN, '--help']));
  report(`newsmirror verify site.zip (compiled)`, 1, time([BIN, 'verify', zip, '--key', key]));
  report('newsmirror --help (TypeScript via tsx)', 0.3, time([BIN, '--help'], { NEWSMIRROR_FROM_SOURCE: '1' }));
  report('newsmirror verify site.zip (TypeScript via tsx)', 1, time([BIN, 'verify', zip, '--key', key], { NEWSMIRROR_FROM_SOURCE: '1' }));
} finally {
  await rm(dir, { recursive: true, force: true });
}
