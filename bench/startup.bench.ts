/**
 * Start-up time of the CLI, against the targets of issue 9 (this machine):
 * `newsmirror --help` ≤ 0.3 s and `verify <zip>` of the demo site ≤ 1 s, run
 * from the compiled .build/ (bin/compile.js, run by `npm ci`); the TypeScript
 * through tsx (NEWSMIRROR_FROM_SOURCE=1) for comparison, and `node -e 0`, the
 * floor on this machine (on a loaded machine every figure rises with it). Median of 5 runs each.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Wall-clock and CPU (user + system) seconds of `node …args`, median of RUNS. CPU comes
 * from /usr/bin/time when it is there (NaN otherwise): on a machine shared with other
 * work the wall clock mostly measures the queue for a core, CPU what the start costs.
 */
function time(args: string[], env: Record<string, string> = {}): { wall: number; cpu: number; status: number | null } {
  const walls: number[] = [];
  const cpus: number[] = [];
  let status: number | null = null;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const argv = TIME ? [TIME, '-f', 'cpu %U %S', process.execPath, ...args] : [process.execPath, ...args];
    const r = spawnSync(argv[0]!, argv.slice(1), { env: { ...process.env, ...env }, encoding: 'utf8' });
    walls.push((performance.now() - t) / 1000);
    const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
    cpus.push(cpu ? Number(cpu[1]) + Number(cpu[2]) : Number.NaN);
    status = r.status;
    if (r.status !== 0) console.log(`  (exit ${r.status}: ${r.stderr.trim().split('\n')[0]})`);
  }
  return { wall: median(walls), cpu: median(cpus), status };
}

let floor = 0;
function report(label: string, target: number, m: { wall: number; cpu: number; status: number | null }): void {
  const verdict = (value: number) => (value <= target ? 'meets' : 'MISSES');
  console.log(
    `${label.padEnd(48)} wall ${m.wall.toFixed(3)} s (${(m.wall - floor).toFixed(3)} s above node -e 0; target ≤ ${target} s: ${verdict(m.wall)}), ` +
      `CPU ${m.cpu.toFixed(3)} s (${verdict(m.cpu)}); exit ${m.status}`,
  );
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

  const bare = time(['-e', '0']);
  floor = bare.wall;
  console.log(`${'node -e 0 (the floor on this machine now)'.padEnd(48)} wall ${bare.wall.toFixed(3)} s, CPU ${bare.cpu.toFixed(3)} s`);
  report('newsmirror --help (compiled)', 0.3, time([BIN, '--help']));
  report(`newsmirror verify site.zip (compiled)`, 1, time([BIN, 'verify', zip, '--key', key]));
  report('newsmirror --help (TypeScript via tsx)', 0.3, time([BIN, '--help'], { NEWSMIRROR_FROM_SOURCE: '1' }));
  report('newsmirror verify site.zip (TypeScript via tsx)', 1, time([BIN, 'verify', zip, '--key', key], { NEWSMIRROR_FROM_SOURCE: '1' }));
} finally {
  await rm(dir, { recursive: true, force: true });
}
