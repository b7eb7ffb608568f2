/**
 * publish: a 10,000-article build to dir, git (bare repo), s3 (s3rver) and rsync
 * (sshd on 127.0.0.1), one target at a time; then 10 new articles and again.
 * Reports time, files and bytes sent per target: the second run should move
 * only the new articles, the index and the manifest.
 */
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { publish, type PublishResult } from '../src/publish/index.ts';
import { buildSite, makeProject, newKey, range, S3_ENV, startS3rver, startSshd, tempDir, write } from '../tests/publish/helpers.ts';

const ARTICLES = Number(process.env.BENCH_ARTICLES ?? 10_000);
const key = newKey();
const root = await makeProject(key);
const dirs = await Promise.all(['s3', 'sshd', 'rsync', 'git'].map((p) => tempDir(`bench-${p}`)));
const [s3Data, sshDir, serverDir, gitDir] = dirs as [string, string, string, string];
const [s3, sshd] = await Promise.all([startS3rver(s3Data, 'news'), startSshd(sshDir)]);
spawnSync('git', ['init', '--bare', '--quiet', join(gitDir, 'site.git')]);
const mirrors: Record<string, string> = {
  dir: 'type: dir\npath: public',
  git: `type: git\nrepo: ${gitDir}/site.git`,
  s3: `type: s3\nbucket: news\nendpoint: http://127.0.0.1:${s3.port}\nforcePathStyle: true\naccessKeyEnv: S3_KEY\nsecretKeyEnv: S3_SECRET`,
  rsync: `type: rsync\nhost: 127.0.0.1\nport: ${sshd.port}\nuser: root\npath: ${serverDir}/www\nidentityFile: ${sshd.keyFile}\nknownHostsFile: ${sshd.knownHosts}`,
};
for (const [name, body] of Object.entries(mirrors)) await write(join(root, `mirrors/${name}.yaml`), `name: ${name}\n${body}\ntimeout: 1800\n`);
const env = { ...process.env, ...S3_ENV };

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

async function round(label: string): Promise<PublishResult[]> {
  const results: PublishResult[] = [];
  for (const name of Object.keys(mirrors)) {
    const [result] = await publish({ root, targets: [name], env });
    if (!result || result.status !== 'ok') throw new Error(`${name}: ${result?.reason}`);
    results.push(result);
    process.stdout.write(`${label.padEnd(7)} ${name.padEnd(6)} ${(result.ms / 1000).toFixed(2).padStart(7)} s  ${String(result.files).padStart(6)} files  ${mib(result.bytes).padStart(11)}${result.type === 'rsync' ? `  (${/(\d+) on the wire/.exec(result.detail ?? '')?.[1] ?? '?'} bytes on the wire)` : ''}\n`);
  }
  return results;
}

try {
  let started = performance.now();
  const first = await buildSite(root, key, { articles: range(0, ARTICLES), built: '2026-08-01T00:00:00Z' });
  process.stdout.write(`build + seal of ${ARTICLES} articles: ${first.files} files, ${mib(first.bytes)} in ${((performance.now() - started) / 1000).toFixed(1)} s\n\n`);
  await round('first');
  started = performance.now();
  await buildSite(root, key, { articles: range(0, ARTICLES + 10), built: '2026-08-02T00:00:00Z' });
  process.stdout.write(`\nrebuild + seal with 10 new articles in ${((performance.now() - started) / 1000).toFixed(1)} s\n\n`);
  await round('second');
  process.stdout.write('\nsecond run: only the 10 new articles, index.html, build.json, manifest.json and manifest.sig should move (14 files)\n');
} finally {
  await Promise.all([s3.stop(), sshd.stop()]);
  for (const dir of [root, ...dirs]) await rm(dir, { recursive: true, force: true });
}
