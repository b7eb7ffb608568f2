/**
 * Bundles on every mirror: dir, a bare git repo and s3rver carry site.zip,
 * site.car, the signed release record and deltas/ beside the site; deltas go
 * with every run, the full bundle at most every bundleRefresh; `bundles: false` carries none.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish } from '../../src/publish/index.ts';
import { listFiles } from '../../src/publish/dir.ts';
import { buildSite, makeProject, newKey, range, S3_ENV, startS3rver, tempDir, write, type Service } from '../publish/helpers.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const key = newKey();
let root: string;
let remote: string;
let data: string;
let s3: Service;
let client: S3Client;

function git(args: string[], cwd: string): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}
const gitFiles = (branch: string) => git(['ls-tree', '-r', '--name-only', branch], remote).trim().split('\n').filter((p) => !p.startsWith('articles/'));
const gitBlob = (branch: string, path: string) => spawnSync('git', ['cat-file', 'blob', `${branch}:${path}`], { cwd: remote }).stdout as Buffer;
async function s3Keys(): Promise<string[]> {
  const page = await client.send(new ListObjectsV2Command({ Bucket: 'news', Prefix: 'site/' }));
  return (page.Contents ?? []).map((o) => (o.Key as string).slice(5)).filter((k) => !k.startsWith('articles/')).sort();
}
async function s3Object(path: string): Promise<Buffer> {
  const got = await client.send(new GetObjectCommand({ Bucket: 'news', Key: `site/${path}` }));
  return Buffer.from(await got.Body!.transformToByteArray());
}
const T0 = Date.parse('2026-02-01T06:00:00Z');
const at = (hours: number) => () => new Date(T0 + hours * 3_600_000);

beforeAll(async () => {
  root = await makeProject(key);
  remote = join(await tempDir('bundles-git'), 'site.git');
  git(['init', '--bare', '--quiet', remote], '.');
  data = await tempDir('bundles-s3');
  s3 = await startS3rver(data, 'news');
  client = new S3Client({ region: 'us-east-1', endpoint: `http://127.0.0.1:${s3.port}`, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  await write(join(root, 'mirrors/local.yaml'), 'name: local\ntype: dir\npath: .newsmirror/public\n');
  await write(join(root, 'mirrors/pages.yaml'), `name: pages\ntype: git\nrepo: ${remote}\nbranch: gh-pages\n`);
  await write(join(root, 'mirrors/small.yaml'), `name: small\ntype: git\nrepo: ${remote}\nbranch: small\nbundles: false\n`);
  await write(join(root, 'mirrors/bucket.yaml'), `name: bucket\ntype: s3\nbucket: news\nendpoint: http://127.0.0.1:${s3.port}\nprefix: site\nforcePathStyle: true\naccessKeyEnv: S3_KEY\nsecretKeyEnv: S3_SECRET\nretries: 0\nbundleRefresh: 12h\n`);
});
afterAll(async () => {
  await s3?.stop();
  for (const dir of [root, join(remote, '..'), data]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe('bundles beside the site on every mirror', () => {
  const dist: Record<string, Buffer> = {};
  let v1 = 0;
  let v2 = 0;

  it('the first publish carries site.zip, site.car and the signed release record everywhere bundles are on', async () => {
    v1 = (await buildSite(root, key, { articles: range(0, 30), built: '2026-02-01T05:00:00Z' })).version;
    for (const f of ['site.zip', 'site.car', 'release.json', 'release.sig']) dist[`v1/${f}`] = await readFile(join(root, 'dist', f));
    const results = await publish({ root, env: S3_ENV, now: at(0) });
    expect(results.map((r) => [r.target, r.status, r.reason])).toEqual([['bucket', 'ok', undefined], ['local', 'ok', undefined], ['pages', 'ok', undefined], ['small', 'ok', undefined]]);
    const beside = ['.newsmirror-mirror', 'SHA256SUMS', 'SHA256SUMS.sig', 'build.json', 'index.html', 'manifest.json', 'manifest.sig', 'release.json', 'release.sig', 'site.car', 'site.zip', 'style.css'];
    const local = join(root, '.newsmirror/public');
    expect((await listFiles(local)).filter((p) => !p.startsWith('articles/')).sort()).toEqual(beside);
    expect(gitFiles('gh-pages')).toEqual(['.nojekyll', ...beside.slice(1)]);
    expect(gitFiles('small')).toEqual(['.nojekyll', 'SHA256SUMS', 'SHA256SUMS.sig', 'build.json', 'index.html', 'manifest.json', 'manifest.sig', 'style.css']);
    expect(await s3Keys()).toEqual(beside);
    for (const f of ['site.zip', 'site.car', 'release.json', 'release.sig']) {
      expect(sha(await readFile(join(local, f)))).toBe(sha(dist[`v1/${f}`]!));
      expect(sha(gitBlob('gh-pages', f))).toBe(sha(dist[`v1/${f}`]!));
      expect(sha(await s3Object(f))).toBe(sha(dist[`v1/${f}`]!));
    }
  });

  it('10 new articles an hour later: the delta goes out, the full bundle and its release record stay yesterday\'s', async () => {
    v2 = (await buildSite(root, key, { articles: range(0, 40), built: '2026-02-01T07:00:00Z' })).version;
    const delta = `deltas/${v1}-${v2}.zip`;
    const deltaBytes = await readFile(join(root, 'dist', delta));
    const results = await publish({ root, env: S3_ENV, now: at(1) });
    const local = join(root, '.newsmirror/public');
    expect((await listFiles(local)).filter((p) => p.startsWith('deltas/'))).toEqual([delta]);
    expect(gitFiles('gh-pages')).toContain(delta);
    expect(await s3Keys()).toContain(delta);
    for (const f of ['site.zip', 'site.car', 'release.json', 'release.sig']) {
      expect(sha(await readFile(join(local, f)))).toBe(sha(dist[`v1/${f}`]!));
      expect(sha(gitBlob('gh-pages', f))).toBe(sha(dist[`v1/${f}`]!));
      expect(sha(await s3Object(f))).toBe(sha(dist[`v1/${f}`]!));
    }
    expect(sha(await s3Object(delta))).toBe(sha(deltaBytes));
    // What went to the folder: 10 articles, index, build.json, the SHA256SUMS and manifest pairs and the delta; no full bundle.
    const sent = [...range(30, 40).map((i) => `_site/articles/${i}.html`), '_site/index.html', '_site/build.json', '_site/SHA256SUMS', '_site/SHA256SUMS.sig', 'dist/manifest.json', 'dist/manifest.sig', `dist/${delta}`];
    const sizes = await Promise.all(sent.map(async (p) => (await readFile(join(root, p))).length));
    expect(results.find((r) => r.target === 'local')).toMatchObject({ files: 17, bytes: sizes.reduce((a, b) => a + b, 0) });
  });

  it('once bundleRefresh has passed the full bundle goes out again (12h for the bucket, 24h default elsewhere)', async () => {
    await publish({ root, env: S3_ENV, now: at(13) });
    const fresh = Object.fromEntries(await Promise.all(['site.zip', 'release.json'].map(async (f) => [f, sha(await readFile(join(root, 'dist', f)))])));
    expect(sha(await s3Object('site.zip'))).toBe(fresh['site.zip']);
    expect(sha(await s3Object('release.json'))).toBe(fresh['release.json']);
    expect(sha(await readFile(join(root, '.newsmirror/public/site.zip')))).toBe(sha(dist['v1/site.zip']!));
    await publish({ root, env: S3_ENV, now: at(25) });
    expect(sha(await readFile(join(root, '.newsmirror/public/site.zip')))).toBe(fresh['site.zip']);
    expect(sha(gitBlob('gh-pages', 'release.json'))).toBe(fresh['release.json']);
  });
});
