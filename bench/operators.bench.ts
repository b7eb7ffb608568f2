/**
 * operators: a sealed site of BENCH_ARTICLES (default 10,000) articles
 * published to a folder served by nginx on loopback; then `clone` (time,
 * bytes), `sync` with nothing new (target ≤ 1 s, ≤ 10 KB moved), `sync` after
 * 10 new articles (bytes moved vs the full zip) and the delta's size vs the full zip.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clone } from '../src/operator/clone.ts';
import { sync } from '../src/operator/sync.ts';
import { publish } from '../src/publish/index.ts';
import { formatPublicKey, parsePublicKey } from '../src/sealed/index.ts';
import { buildSite, freePort, makeProject, newKey, range, tempDir, waitForPort, write } from '../tests/publish/helpers.ts';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 10_000);
const key = newKey();
const pub = parsePublicKey(formatPublicKey(key));
const root = await makeProject(key);
const work = await tempDir('bench-operators');
const www = join(work, 'www');
const log = join(work, 'access.log');
await write(join(root, 'mirrors/www.yaml'), `name: www\ntype: dir\npath: ${www}\nbundleRefresh: 0s\ntimeout: 1800\n`);
const port = await freePort();
await mkdir(join(work, 'tmp'), { recursive: true });
const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(work, 'tmp', t)};`).join(' ');
await writeFile(join(work, 'nginx.conf'), `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;\nerror_log ${join(work, 'error.log')} warn;\nevents { worker_connections 256; }\nhttp { ${temp}\n  log_format bytes '$uri $status $body_bytes_sent';\n  access_log ${log} bytes;\n  types { text/html html; application/json json; }\n  default_type application/octet-stream;\n  server { listen 127.0.0.1:${port}; root ${www}; }\n}\n`);
const nginx = spawn('nginx', ['-c', join(work, 'nginx.conf'), '-g', `daemon off; pid ${join(work, 'nginx.pid')};`], { stdio: 'ignore' });
await waitForPort(port);
const url = `http://127.0.0.1:${port}/`;

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
async function moved(): Promise<{ requests: number; bytes: number }> {
  await new Promise((r) => setTimeout(r, 200));
  const lines = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  await writeFile(log, '');
  return { requests: lines.length, bytes: lines.reduce((s, l) => s + Number(l.split(' ')[2]), 0) };
}
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, (performance.now() - started) / 1000];
}

try {
  const [first, buildSeconds] = await timed(() => buildSite(root, key, { articles: range(0, ARTICLES), built: '2026-08-01T00:00:00Z' }));
  await publish({ root });
  const zip = (await stat(join(root, 'dist/site.zip'))).size;
  process.stdout.write(`build + seal + publish of ${ARTICLES} articles: ${first.files} files, ${mib(first.bytes)}; site.zip ${mib(zip)} (${buildSeconds.toFixed(1)} s to build and seal)\n\n`);
  await moved();
  const dir = join(work, 'copy');
  const [report, cloneSeconds] = await timed(() => clone({ source: url, dir, key: pub }));
  let m = await moved();
  process.stdout.write(`clone:                 ${cloneSeconds.toFixed(2).padStart(7)} s  ${String(m.requests).padStart(6)} requests  ${mib(m.bytes).padStart(11)} (site ${mib(report.bytes)}, bundles ${mib(report.bundles)})\n`);
  const [idle, idleSeconds] = await timed(() => sync({ dir }));
  m = await moved();
  process.stdout.write(`sync, nothing new:     ${idleSeconds.toFixed(2).padStart(7)} s  ${String(m.requests).padStart(6)} requests  ${kib(m.bytes).padStart(11)}  [${idle.status}] (target ≤ 1 s, ≤ 10 KB)\n`);
  await buildSite(root, key, { articles: range(0, ARTICLES + 10), built: '2026-08-02T00:00:00Z' });
  await publish({ root });
  const release = JSON.parse(await readFile(join(root, 'dist/release.json'), 'utf8')) as { deltas: { path: string; size: number }[]; bundles: { 'site.zip': { size: number } } };
  const delta = release.deltas[0]!;
  process.stdout.write(`delta ${delta.path}: ${kib(delta.size)} = ${((delta.size / release.bundles['site.zip'].size) * 100).toFixed(2)} % of the full zip (target < 5 %)\n`);
  await moved();
  const [update, updateSeconds] = await timed(() => sync({ dir, now: () => new Date(Date.now() + 3_600_000) }));
  m = await moved();
  process.stdout.write(`sync, 10 new articles: ${updateSeconds.toFixed(2).padStart(7)} s  ${String(m.requests).padStart(6)} requests  ${kib(m.bytes).padStart(11)} = ${((m.bytes / release.bundles['site.zip'].size) * 100).toFixed(2)} % of the full zip  [${update.status} via ${update.via}]\n`);
} finally {
  nginx.kill('SIGTERM');
  await rm(root, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
}
