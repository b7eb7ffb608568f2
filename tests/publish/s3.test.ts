// publish to s3rver: incremental uploads by ETag, Content-Type/Cache-Control, deletes last, refusals.
// Site publishing only (bundles: false); bundles beside the site are pinned in tests/operator/bundles.test.ts.
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/mirrors/index.ts';
import { publish } from '../../src/publish/index.ts';
import { buildSite, makeProject, newKey, range, S3_ENV, startS3rver, tempDir, write, type Service } from './helpers.ts';

/** A TCP relay to s3rver whose link the test can cut (every connection dropped, no new ones) and restore on the same port. */
async function relay(target: number): Promise<{ port: number; cut(): void; restore(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server;
  let port = 0;
  const listen = async () => {
    server = createServer((client) => {
      const upstream = connect(target, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  };
  await listen();
  const cut = () => {
    server.close();
    for (const s of sockets) s.destroy();
  };
  return { port, cut, restore: listen, close: async () => cut() };
}

const key = newKey();
let root: string;
let data: string;
let s3: Service;
let client: S3Client;

async function keys(prefix: string): Promise<string[]> {
  const page = await client.send(new ListObjectsV2Command({ Bucket: 'news', Prefix: prefix }));
  return (page.Contents ?? []).map((o) => o.Key as string).sort();
}

beforeAll(async () => {
  root = await makeProject(key);
  data = await tempDir('s3rver');
  s3 = await startS3rver(data, 'news');
  const endpoint = `http://127.0.0.1:${s3.port}`;
  client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  await write(join(root, 'mirrors/bucket.yaml'), `name: bucket\ntype: s3\nbundles: false\nbucket: news\nendpoint: ${endpoint}\nprefix: site\nforcePathStyle: true\naccessKeyEnv: S3_KEY\nsecretKeyEnv: S3_SECRET\nretries: 0\n`);
});
afterAll(async () => {
  client.destroy();
  await s3.stop();
  await rm(root, { recursive: true, force: true });
  await rm(data, { recursive: true, force: true });
});

describe('publish to s3', () => {
  it('uploads every file with its Content-Type and Cache-Control', async () => {
    await buildSite(root, key, { articles: range(0, 4), built: '2026-02-01T00:00:00Z' });
    const [result] = await publish({ root, env: S3_ENV });
    expect(result).toMatchObject({ target: 'bucket', status: 'ok', files: 11 });
    expect(await keys('site/')).toEqual(['site/.newsmirror-mirror', 'site/SHA256SUMS', 'site/SHA256SUMS.sig', 'site/articles/0.html', 'site/articles/1.html', 'site/articles/2.html', 'site/articles/3.html', 'site/build.json', 'site/index.html', 'site/manifest.json', 'site/manifest.sig', 'site/style.css']);
    const page = await client.send(new HeadObjectCommand({ Bucket: 'news', Key: 'site/articles/1.html' }));
    expect([page.ContentType, page.CacheControl]).toEqual(['text/html; charset=utf-8', 'public, max-age=300']);
    const manifest = await client.send(new HeadObjectCommand({ Bucket: 'news', Key: 'site/manifest.json' }));
    expect([manifest.ContentType, manifest.CacheControl]).toEqual(['application/json; charset=utf-8', 'no-cache']);
    const css = await client.send(new HeadObjectCommand({ Bucket: 'news', Key: 'site/style.css' }));
    expect([css.ContentType, css.CacheControl]).toEqual(['text/css; charset=utf-8', 'public, max-age=3600']);
    const body = await client.send(new GetObjectCommand({ Bucket: 'news', Key: 'site/manifest.sig' }));
    expect(Buffer.from(await body.Body!.transformToByteArray()).length).toBe(64);
  });

  it('sends only new and changed files and deletes what the new manifest no longer lists', async () => {
    await buildSite(root, key, { articles: [1, 2, 3, 4], built: '2026-02-02T00:00:00Z' });
    const dry = await publish({ root, env: S3_ENV, dryRun: true });
    expect(dry[0]?.detail).toMatch(/^would upload 7 files \(\d+ bytes\) and delete 1 objects in s3:\/\/news\/site\/$/);
    const [result] = await publish({ root, env: S3_ENV });
    // article 4 new; index.html, build.json, SHA256SUMS(.sig), manifest.json, manifest.sig changed; article 0 deleted.
    expect(result).toMatchObject({ status: 'ok', files: 7 });
    expect(result?.detail).toMatch(/deleted 1 objects/);
    expect(await keys('site/articles/')).toEqual(['site/articles/1.html', 'site/articles/2.html', 'site/articles/3.html', 'site/articles/4.html']);
    const [again] = await publish({ root, env: S3_ENV });
    expect([again?.files, again?.bytes]).toEqual([0, 0]);
  });

  it('check reads the bucket through its public URL: fresh, then tampered when an object is replaced', async () => {
    await write(join(root, 'mirrors/bucket.yaml'), `name: bucket\ntype: s3\nbundles: false\nurl: http://127.0.0.1:${s3.port}/news/site/\nbucket: news\nendpoint: http://127.0.0.1:${s3.port}\nprefix: site\nforcePathStyle: true\naccessKeyEnv: S3_KEY\nsecretKeyEnv: S3_SECRET\nretries: 0\n`);
    const [fresh] = await check({ root, sample: 100 });
    expect(fresh).toMatchObject({ name: 'bucket', kind: 's3', status: 'fresh', url: `http://127.0.0.1:${s3.port}/news/site/` });
    await client.send(new PutObjectCommand({ Bucket: 'news', Key: 'site/style.css', Body: 'body { display: none }\n' }));
    const [tampered] = await check({ root, sample: 100 });
    expect(tampered).toMatchObject({ status: 'tampered', detail: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/news\/site\/style\.css: holds 23 of its signed 61 bytes \(truncated\)$/) });
    // The next publish repairs it: only that object moves.
    const [repair] = await publish({ root, env: S3_ENV });
    expect([repair?.status, repair?.files]).toEqual(['ok', 1]);
    expect((await check({ root, sample: 100 }))[0]?.status).toBe('fresh');
  });

  it('fails clearly when a secret is missing, and refuses a prefix holding foreign objects', async () => {
    const [missing] = await publish({ root, env: { S3_KEY: 'S3RVER' } });
    expect(missing).toMatchObject({ status: 'failed', reason: 'mirror "bucket": environment variable S3_SECRET (named by secretKeyEnv in its mirror file) is not set; export it before publishing' });
    await client.send(new PutObjectCommand({ Bucket: 'news', Key: 'other/keep.txt', Body: 'not ours' }));
    await write(join(root, 'mirrors/bucket.yaml'), `name: bucket\ntype: s3\nbundles: false\nbucket: news\nendpoint: http://127.0.0.1:${s3.port}\nprefix: other/\nforcePathStyle: true\naccessKeyEnv: S3_KEY\nsecretKeyEnv: S3_SECRET\n`);
    const [foreign] = await publish({ root, env: S3_ENV });
    expect(foreign?.reason).toBe('mirror "bucket": bucket news has objects under "other/" but no other/manifest.json, so it is not a newsmirror mirror; refusing to replace them (set "prefix" or use an empty bucket)');
    expect(await keys('other/')).toEqual(['other/keep.txt']);
  });

  it('the link dies mid-upload: no manifest goes up, and the next run completes the bucket', async () => {
    const link = await relay(s3.port);
    await write(join(root, 'mirrors/cut.yaml'), `name: cut\ntype: s3\nbundles: false\nbucket: news\nendpoint: http://127.0.0.1:${link.port}\nprefix: cut\nforcePathStyle: true\naccessKeyEnv: S3_KEY\nsecretKeyEnv: S3_SECRET\nretries: 0\n`);
    await buildSite(root, key, { articles: range(0, 300), built: '2026-02-03T00:00:00Z' });
    let cut = false;
    // A terminal's reporter: progress lines ("cut: uploading 40/300 files, …") as the upload goes.
    const reporter = { redraws: true, info() {}, warn() {}, progress: (line: string) => {
      if (!cut && line.startsWith('cut: uploading ')) {
        cut = true;
        link.cut();
      }
    } };
    const [failed] = await publish({ root, env: S3_ENV, targets: ['cut'], reporter });
    expect(cut).toBe(true);
    expect(failed?.status).toBe('failed');
    const partial = await keys('cut/');
    expect(partial).toContain('cut/.newsmirror-mirror');
    expect(partial).not.toContain('cut/manifest.json');
    expect(partial.length).toBeLessThan(300);
    await link.restore();
    const [done] = await publish({ root, env: S3_ENV, targets: ['cut'] });
    expect(done?.status, done?.reason).toBe('ok');
    expect(done?.files).toBeLessThan(305);
    const manifest = JSON.parse(await readFile(join(root, 'dist/manifest.json'), 'utf8')) as { files: { path: string }[] };
    const paths = [...manifest.files.map((f) => f.path), 'manifest.json', 'manifest.sig'].sort();
    expect(await keys('cut/')).toEqual(['cut/.newsmirror-mirror', ...paths.map((p) => `cut/${p}`)].sort());
    // Every object, including any the cut left half-written, now has the build's bytes (ETag = MD5).
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'news', Prefix: 'cut/' }));
    for (const path of paths) {
      const etag = listed.Contents?.find((o) => o.Key === `cut/${path}`)?.ETag?.replace(/"/g, '');
      expect(etag, path).toBe(createHash('md5').update(await readFile(join(root, '_site', path))).digest('hex'));
    }
    await link.close();
  });
});
