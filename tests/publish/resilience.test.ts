// One host dies mid-upload (sshd and its sessions killed during the rsync) while dir, git and s3 succeed; the next run makes it whole.
// (sshd rather than s3rver: s3rver writes its metadata files non-atomically, so a SIGKILL can leave a bucket it cannot list again,
// which real S3 never does.)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, readdir, readlink, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishExitCode } from '../../src/cli/commands/publish.ts';
import { publish } from '../../src/publish/index.ts';
import { buildSite, killSshd, makeProject, newKey, range, S3_ENV, startS3rver, startSshd, tempDir, write, type Service, type Sshd } from './helpers.ts';

const key = newKey();
let root: string;
let s3Data: string;
let sshDir: string;
let serverDir: string;
let remote: string;
let s3: Service;
let sshd: Sshd;

beforeAll(async () => {
  root = await makeProject(key);
  [s3Data, sshDir, serverDir, remote] = (await Promise.all(['s3', 'sshd', 'rsync', 'git'].map((p) => tempDir(p)))) as [string, string, string, string];
  [s3, sshd] = await Promise.all([startS3rver(s3Data, 'news'), startSshd(sshDir)]);
  spawnSync('git', ['init', '--bare', '--quiet', join(remote, 'site.git')]);
  const mirrors: Record<string, string> = {
    local: 'type: dir\nbundles: false\npath: public',
    pages: `type: git\nbundles: false\nrepo: ${remote}/site.git`,
    bucket: `type: s3\nbundles: false\nbucket: news\nendpoint: http://127.0.0.1:${s3.port}\nforcePathStyle: true\naccessKeyEnv: S3_KEY\nsecretKeyEnv: S3_SECRET`,
    // 256 KiB/s: the test can kill the server while files are still moving.
    server: `type: rsync\nbundles: false\nhost: 127.0.0.1\nport: ${sshd.port}\nuser: root\npath: ${serverDir}/www\nidentityFile: ${sshd.keyFile}\nknownHostsFile: ${sshd.knownHosts}\nbwlimit: 256\nretries: 1\nretryDelay: 0.05`,
  };
  for (const [name, body] of Object.entries(mirrors)) await write(join(root, `mirrors/${name}.yaml`), `name: ${name}\n${body}\n`);
});
afterAll(async () => {
  await Promise.all([s3.stop(), sshd.stop()]);
  for (const dir of [root, s3Data, sshDir, serverDir, remote]) await rm(dir, { recursive: true, force: true });
});

async function bucketMatchesBuild(): Promise<void> {
  const client = new S3Client({ region: 'us-east-1', endpoint: `http://127.0.0.1:${s3.port}`, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const objects = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: 'news', ContinuationToken: token }));
    for (const o of page.Contents ?? []) objects.set(o.Key as string, (o.ETag as string).replace(/"/g, ''));
    token = page.NextContinuationToken;
  } while (token);
  client.destroy();
  const paths = await builtPaths();
  expect([...objects.keys()].sort()).toEqual(['.newsmirror-mirror', ...paths]);
  for (const path of paths) expect(objects.get(path), path).toBe(createHash('md5').update(await readFile(join(root, '_site', path))).digest('hex'));
}

async function builtPaths(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(root, 'dist/manifest.json'), 'utf8')) as { files: { path: string }[] };
  return [...manifest.files.map((f) => f.path), 'manifest.json', 'manifest.sig'].sort();
}

/** Resolve once the rsync has written some files of the new release (it is still sending the rest). */
async function releaseStarted(dir: string): Promise<void> {
  for (const until = Date.now() + 30_000; ; ) {
    const files = await readdir(dir, { recursive: true }).catch(() => []);
    if (files.length > 20) return;
    if (Date.now() > until) throw new Error(`rsync never started writing into ${dir}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('one target dies mid-upload', () => {
  it('the others succeed, the failed one is whole after the next run', async () => {
    const report = await buildSite(root, key, { articles: range(0, 200), built: '2026-06-01T00:00:00Z' });
    const warnings: string[] = [];
    const reporter = { info() {}, progress() {}, warn: (line: string) => warnings.push(line) };
    const running = publish({ root, env: { ...process.env, ...S3_ENV }, reporter });
    await releaseStarted(join(serverDir, 'www/releases', String(report.version)));
    killSshd(sshd);
    const results = await running;
    expect(results.map((r) => [r.target, r.status])).toEqual([['bucket', 'ok'], ['local', 'ok'], ['pages', 'ok'], ['server', 'failed']]);
    expect(results[3]?.reason).toMatch(/^mirror "server": ssh .*failed/);
    expect(warnings[0]).toMatch(/^server: attempt 1 of 2 failed \(.*\); retrying in 0\.\d s$/);
    expect(publishExitCode(results)).toBe(3);
    // Nothing half-sent is live: the release never became current.
    await expect(readlink(join(serverDir, 'www/current'))).rejects.toThrow();
    const partial = await readdir(join(serverDir, 'www/releases', String(report.version)), { recursive: true });
    expect(partial.length).toBeLessThan(205);

    sshd = await startSshd(sshDir, sshd.port);
    const again = await publish({ root, env: { ...process.env, ...S3_ENV } });
    expect(again.map((r) => [r.target, r.status]), again[3]?.reason).toEqual([['bucket', 'ok'], ['local', 'ok'], ['pages', 'ok'], ['server', 'ok']]);
    expect(again.slice(0, 3).map((r) => r.files)).toEqual([0, 0, 0]);
    expect(await readlink(join(serverDir, 'www/current'))).toBe(`releases/${report.version}`);
    const live = (await readdir(join(serverDir, 'www/current'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => relative(join(serverDir, 'www/current'), join(e.parentPath, e.name))).sort();
    expect(live).toEqual(await builtPaths());
    for (const path of live) expect(await readFile(join(serverDir, 'www/current', path)), path).toEqual(await readFile(join(root, '_site', path)));
    await bucketMatchesBuild();
  });

  it('exit codes: 1 when every target failed, 0 when all ok or skipped', () => {
    const r = (status: 'ok' | 'failed' | 'skipped') => ({ target: status, type: 'dir', status, files: 0, bytes: 0, ms: 0 });
    expect(publishExitCode([r('failed'), r('failed'), r('skipped')])).toBe(1);
    expect(publishExitCode([r('ok'), r('skipped')])).toBe(0);
    expect(publishExitCode([])).toBe(0);
  });
});
