// One host dies mid-upload (s3rver killed) while dir, git and rsync succeed; the next run makes it whole. Also the CLI's exit codes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishExitCode } from '../../src/cli/commands/publish.ts';
import { publish } from '../../src/publish/index.ts';
import { buildSite, makeProject, newKey, range, S3_ENV, startS3rver, startSshd, tempDir, write, type Service, type Sshd } from './helpers.ts';

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
    local: 'type: dir\npath: public',
    pages: `type: git\nrepo: ${remote}/site.git`,
    bucket: `type: s3\nbucket: news\nendpoint: http://127.0.0.1:${s3.port}\nforcePathStyle: true\naccessKeyEnv: S3_KEY\nsecretKeyEnv: S3_SECRET\nretries: 1\nretryDelay: 0.05`,
    server: `type: rsync\nhost: 127.0.0.1\nport: ${sshd.port}\nuser: root\npath: ${serverDir}/www\nidentityFile: ${sshd.keyFile}\nknownHostsFile: ${sshd.knownHosts}`,
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
  const manifest = JSON.parse(await readFile(join(root, 'dist/manifest.json'), 'utf8')) as { files: { path: string }[] };
  const paths = [...manifest.files.map((f) => f.path), 'manifest.json', 'manifest.sig'].sort();
  expect([...objects.keys()].sort()).toEqual(['.newsmirror-mirror', ...paths]);
  for (const path of paths) expect(objects.get(path), path).toBe(createHash('md5').update(await readFile(join(root, '_site', path))).digest('hex'));
}

describe('one target dies mid-upload', () => {
  it('the others succeed, the failed one is whole after the next run', async () => {
    await buildSite(root, key, { articles: range(0, 300), built: '2026-06-01T00:00:00Z' });
    let killed = false;
    const warnings: string[] = [];
    const reporter = {
      info() {},
      warn: (line: string) => warnings.push(line),
      progress(line: string) {
        if (!killed && line.startsWith('bucket: uploaded')) {
          killed = true;
          s3.child.kill('SIGKILL');
        }
      },
    };
    const results = await publish({ root, env: { ...process.env, ...S3_ENV }, reporter });
    expect(killed).toBe(true);
    expect(results.map((r) => [r.target, r.status])).toEqual([['bucket', 'failed'], ['local', 'ok'], ['pages', 'ok'], ['server', 'ok']]);
    expect(results[0]?.reason).toMatch(/^mirror "bucket": (uploading|listing) .*in bucket news at http:\/\/127\.0\.0\.1:\d+ failed/);
    expect(warnings[0]).toMatch(/^bucket: attempt 1 of 2 failed \(.*\); retrying in 0\.\d s$/);
    expect(publishExitCode(results)).toBe(3);
    // The manifest goes last, so the half-uploaded bucket still has none: readers see no new, broken build.
    s3 = await startS3rver(s3Data, 'news', s3.port);
    const again = await publish({ root, env: { ...process.env, ...S3_ENV } });
    expect(again.map((r) => [r.target, r.status])).toEqual([['bucket', 'ok'], ['local', 'ok'], ['pages', 'ok'], ['server', 'ok']]);
    expect(again[0]?.files).toBeGreaterThan(0);
    expect(again[0]?.files).toBeLessThan(305);
    expect(again.slice(1).map((r) => r.files)).toEqual([0, 0, 0]);
    await bucketMatchesBuild();
  });

  it('exit codes: 1 when every target failed, 0 when all ok or skipped', () => {
    const r = (status: 'ok' | 'failed' | 'skipped') => ({ target: status, type: 'dir', status, files: 0, bytes: 0, ms: 0 });
    expect(publishExitCode([r('failed'), r('failed'), r('skipped')])).toBe(1);
    expect(publishExitCode([r('ok'), r('skipped')])).toBe(0);
    expect(publishExitCode([])).toBe(0);
  });
});
