/**
 * clone and sync with real parts: nginx serves a published build (with its
 * bundles and deltas) at a subpath and at a domain root, and counts the bytes
 * it sends; clone from the URL, the subpath, the CAR and the zip; serve the
 * clone; tampered sources, rollbacks, a source down, SIGKILL mid-sync, and
 * publish --root of a clone to a bare git repo and s3rver.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CarReader } from '@ipld/car';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha, tree } from './helpers.ts';
import { clone } from '../../src/operator/clone.ts';
import { writeDist } from '../../src/operator/dist.ts';
import { openSource } from '../../src/operator/source.ts';
import { readOperatorConfig, writeOperatorConfig } from '../../src/operator/folder.ts';
import { sync } from '../../src/operator/sync.ts';
import { publish } from '../../src/publish/index.ts';
import { seal } from '../../src/seal/index.ts';
import { formatPublicKey, parseManifest, parsePublicKey } from '../../src/sealed/index.ts';
import { startServer } from '../../src/serve/index.ts';
import { verify } from '../../src/verify/index.ts';
import { buildSite, freePort, makeProject, newKey, range, S3_ENV, startS3rver, tempDir, waitForPort, write, type Service } from '../publish/helpers.ts';
import { cli, MAIN } from '../run/cli.ts';

let key: KeyObject;
let pub: KeyObject;
let root: string;
let work: string;
let www: string;
let nginx: Service;
let log: string;
let subpath: string;
let domain: string;

/** nginx with two sites: www/ (the copy at /news/) and www/news/ at a domain root; an access log of URI, status, bytes. */
async function startLoggingNginx(dir: string): Promise<Service & { port2: number }> {
  const [p1, p2] = [await freePort(), await freePort()];
  await mkdir(join(dir, 'tmp'), { recursive: true });
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, 'tmp', t)};`).join(' ');
  const conf = join(dir, 'nginx.conf');
  await writeFile(conf, `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;\nerror_log ${join(dir, 'error.log')} warn;\nevents { worker_connections 64; }\nhttp { ${temp}\n  log_format bytes '$uri $status $body_bytes_sent';\n  access_log ${log} bytes;\n  types { text/html html; application/json json; text/css css; application/zip zip; }\n  default_type application/octet-stream;\n  server { listen 127.0.0.1:${p1}; root ${www}; }\n  server { listen 127.0.0.1:${p2}; root ${www}/news; }\n}\n`);
  const child = spawn('nginx', ['-c', conf, '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`], { stdio: 'ignore' });
  await waitForPort(p1);
  await waitForPort(p2);
  return { port: p1, port2: p2, child, stop: async () => { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); } } as unknown as Service & { port2: number };
}

/** What nginx sent since the log was last cleared: [uri, status, bytes]. */
async function served(): Promise<[string, number, number][]> {
  await new Promise((r) => setTimeout(r, 100));
  const text = await readFile(log, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((l) => l.split(' ')).map(([u, s, b]) => [u!, Number(s), Number(b)]);
}
const clearLog = () => writeFile(log, '');

/** Build, seal and publish a version to www/news (bundles on, full bundle every run). */
async function release(articles: number[], built: string, extra?: Record<string, string>): Promise<number> {
  let report = await buildSite(root, key, { articles, built });
  if (extra) {
    for (const [path, text] of Object.entries(extra)) await write(join(root, '_site', path), text);
    report = await seal({ root, key });
  }
  const results = await publish({ root });
  expect(results.map((r) => r.status)).toEqual(['ok']);
  return report.version;
}

beforeAll(async () => {
  key = newKey();
  pub = parsePublicKey(formatPublicKey(key));
  root = await makeProject(key);
  work = await tempDir('operator');
  www = join(work, 'www');
  log = join(work, 'access.log');
  await write(join(root, 'mirrors/www.yaml'), `name: www\ntype: dir\npath: ${www}/news\nbundleRefresh: 0s\n`);
  await mkdir(join(work, 'nginx'), { recursive: true });
  const n = await startLoggingNginx(join(work, 'nginx'));
  nginx = n;
  subpath = `http://127.0.0.1:${n.port}/news/`;
  domain = `http://127.0.0.1:${n.port2}/`;
}, 60_000);
afterAll(async () => {
  await nginx?.stop();
  await rm(root, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe('clone', () => {
  let v1 = 0;
  beforeAll(async () => {
    v1 = await release(range(0, 30), '2026-04-01T08:00:00Z');
    await cp(join(www, 'news'), join(www, 'v1'), { recursive: true });
  });

  it('refuses without --key (exit 2) and says where to get the outlet\'s key', async () => {
    const r = await cli(['clone', subpath, join(work, 'nokey')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--key is required: the copy is checked against the outlet\'s key, and that key is pinned for every later sync. Get the outlet\'s public key');
    expect(await readdir(work)).not.toContain('nokey');
  }, 120_000);

  it('from a subpath URL: the verified site, the bundles, operator.json and a README in kk/ru/en', async () => {
    const dir = join(work, 'sub');
    const report = await clone({ source: subpath, dir, key: pub });
    expect(report).toMatchObject({ version: v1, files: 35 });
    expect(await tree(join(dir, '_site'))).toEqual(await tree(join(root, '_site')));
    for (const f of ['site.zip', 'site.car', 'release.json', 'release.sig', 'manifest.json', 'cid.txt']) expect(sha(await readFile(join(dir, 'dist', f)))).toBe(sha(await readFile(join(root, 'dist', f))));
    expect(await readOperatorConfig(dir)).toMatchObject({ key: formatPublicKey(key), source: subpath, version: v1 });
    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    for (const heading of ['## Қазақша', '## Русский', '## English', 'newsmirror sync --root .', 'type: external']) expect(readme).toContain(heading);
    expect((await readdir(dir)).sort()).toEqual(['.newsmirror', 'README.md', '_site', 'dist', 'mirrors', 'operator.json']);
  });

  it('from a domain root, the CAR and the zip: the same verified site', async () => {
    for (const [name, source] of [['root', domain], ['car', join(root, 'dist/site.car')], ['zip', join(root, 'dist/site.zip')]]) {
      const dir = join(work, `from-${name}`);
      expect((await clone({ source: source!, dir, key: pub })).version).toBe(v1);
      expect(await tree(join(dir, '_site'))).toEqual(await tree(join(root, '_site')));
    }
  });

  it('serve --root of the clone answers /ipfs/<cid>?format=car with the sealed root', async () => {
    const server = await startServer({ source: join(work, 'sub', '_site'), port: 0 });
    try {
      const cid = (await readFile(join(root, 'dist/cid.txt'), 'utf8')).trim();
      const r = await fetch(`${server.url}ipfs/${cid}?format=car`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/vnd.ipld.car; version=1; order=dfs; dups=n');
      const car = await CarReader.fromBytes(new Uint8Array(await r.arrayBuffer()));
      expect((await car.getRoots()).map(String)).toEqual([cid]);
    } finally {
      await server.close();
    }
  });

  it('bundles are written piece by piece, never read whole, and counted exactly', async () => {
    const dir = join(work, 'streamed');
    await mkdir(dir);
    const source = await openSource(subpath);
    const asked: string[] = [];
    const readBeside = source.readBeside;
    source.readBeside = (path, maxBytes) => (asked.push(path), readBeside(path, maxBytes));
    try {
      const signed = { manifest: parseManifest(await readFile(join(root, 'dist/manifest.json')), 'manifest.json'), bytes: await readFile(join(root, 'dist/manifest.json')), signature: await readFile(join(root, 'dist/manifest.sig')) };
      const sizes = await Promise.all(['site.zip', 'site.car'].map(async (f) => (await readFile(join(root, 'dist', f))).length));
      expect(await writeDist(dir, signed, source, pub, true)).toBe(sizes[0]! + sizes[1]!);
    } finally {
      await source.close();
    }
    expect(asked).toEqual(['release.json', 'release.sig']);
    // From a published folder on disk the bundles stream the same way.
    const local = join(work, 'from-folder');
    const sizes = await Promise.all(['site.zip', 'site.car'].map(async (f) => (await readFile(join(root, 'dist', f))).length));
    expect((await clone({ source: join(www, 'news'), dir: local, key: pub })).bundles).toBe(sizes[0]! + sizes[1]!);
    expect(sha(await readFile(join(local, 'dist', 'site.zip')))).toBe(sha(await readFile(join(root, 'dist', 'site.zip'))));
    for (const f of ['site.zip', 'site.car', 'release.json', 'cid.txt']) expect(sha(await readFile(join(dir, 'dist', f)))).toBe(sha(await readFile(join(root, 'dist', f))));
    expect((await readdir(join(dir, 'dist'))).sort()).toEqual(['cid.txt', 'manifest.json', 'manifest.sig', 'release.json', 'release.sig', 'site.car', 'site.zip']);
  });

  it.each([
    ['longer than signed', (zip: Buffer) => Buffer.concat([zip, Buffer.from('PK extra')])],
    ['cut short', (zip: Buffer) => zip.subarray(0, zip.length - 100)],
    ['one byte flipped at the same size', (zip: Buffer) => Buffer.concat([zip.subarray(0, 1000), Buffer.from([zip[1000]! ^ 1]), zip.subarray(1001)])],
  ])('a site.zip %s is not taken: the verified site is, with no bundle and nothing half-written in dist/', async (what, alter) => {
    const name = `zip-${what.split(' ')[0]}`;
    await cp(join(www, 'news'), join(www, name), { recursive: true });
    await writeFile(join(www, name, 'site.zip'), alter(await readFile(join(www, name, 'site.zip'))));
    const dir = join(work, `clone-${name}`);
    const report = await clone({ source: `http://127.0.0.1:${nginx.port}/${name}/`, dir, key: pub });
    expect(report).toMatchObject({ version: v1, files: 35, bundles: 0 });
    expect(await tree(join(dir, '_site'))).toEqual(await tree(join(root, '_site')));
    expect((await readdir(join(dir, 'dist'))).sort()).toEqual(['manifest.json', 'manifest.sig']);
  });

  it('a tampered source is refused and nothing is written', async () => {
    await cp(join(www, 'news'), join(www, 'tampered'), { recursive: true });
    await writeFile(join(www, 'tampered/articles/3.html'), '<p>forged</p>');
    const dir = join(work, 'tampered-clone');
    await expect(clone({ source: `http://127.0.0.1:${nginx.port}/tampered/`, dir, key: pub })).rejects.toThrow('articles/3.html does not match its sha256 in the signed manifest (altered copy); refusing it');
    expect((await readdir(work)).filter((n) => n.includes('tampered-clone'))).toEqual([]);
    await expect(clone({ source: subpath, dir, key: parsePublicKey(formatPublicKey(newKey())) })).rejects.toThrow('manifest.sig does not verify with the pinned key');
    expect((await readdir(work)).filter((n) => n.includes('tampered-clone'))).toEqual([]);
  });
});

describe('sync', () => {
  const dir = () => join(work, 'sub');

  it('with nothing new moves under 10 KB and says so in one line', async () => {
    await clearLog();
    const report = await sync({ dir: dir() });
    expect(report).toMatchObject({ status: 'current', bytes: 0 });
    const got = await served();
    expect(got.map(([u]) => u).sort()).toEqual(['/news/release.json', '/news/release.sig']);
    expect(got.reduce((s, [, , b]) => s + b, 0)).toBeLessThan(10_000);
  });

  it('after 10 new articles takes the delta only', async () => {
    const before = (await readOperatorConfig(dir()))!.version;
    const v2 = await release(range(0, 40), '2026-04-02T08:00:00Z');
    await clearLog();
    const report = await sync({ dir: dir() });
    expect(report).toMatchObject({ status: 'updated', from: before, to: v2, via: 'delta', source: subpath });
    const got = await served();
    // The delta carries the new manifest (its changed entries, merged into the held one) and its signature: the manifest itself is not fetched.
    expect(got.map(([u]) => u).sort()).toEqual([`/news/deltas/${before}-${v2}.zip`, '/news/release.json', '/news/release.sig']);
    expect(await tree(join(dir(), '_site'))).toEqual(await tree(join(root, '_site')));
    expect((await verify({ source: join(dir(), '_site'), publicKey: pub })).ok).toBe(true);
  });

  it('without a delta moves only the changed files', async () => {
    const v3 = await release(range(0, 50), '2026-04-03T08:00:00Z');
    await rm(join(www, 'news/deltas'), { recursive: true, force: true });
    await clearLog();
    const report = await sync({ dir: dir() });
    expect(report).toMatchObject({ status: 'updated', to: v3, via: 'files', files: 14 });
    const fetched = (await served()).filter(([, s]) => s === 200).map(([u]) => u).sort();
    expect(fetched).toEqual([...range(40, 50).map((i) => `/news/articles/${i}.html`), '/news/build.json', '/news/index.html', '/news/SHA256SUMS', '/news/SHA256SUMS.sig', '/news/manifest.json', '/news/manifest.sig', '/news/release.json', '/news/release.sig'].sort());
    expect(await tree(join(dir(), '_site'))).toEqual(await tree(join(root, '_site')));
  });

  it('a tampered source leaves the old copy live', async () => {
    const before = await tree(join(dir(), '_site'));
    await release(range(0, 52), '2026-04-04T08:00:00Z');
    await rm(join(www, 'news/deltas'), { recursive: true, force: true });
    await writeFile(join(www, 'news/articles/51.html'), '<p>forged</p>');
    await expect(sync({ dir: dir() })).rejects.toThrow('articles/51.html does not match its sha256');
    expect(await tree(join(dir(), '_site'))).toEqual(before);
    await release(range(0, 52), '2026-04-04T08:00:00Z'); // publish repairs the source
  });

  it('a validly signed older build is refused as a rollback', async () => {
    const config = (await readOperatorConfig(dir()))!;
    const before = await tree(join(dir(), '_site'));
    await writeOperatorConfig(dir(), { ...config, source: `http://127.0.0.1:${nginx.port}/v1/` });
    const report = await sync({ dir: dir() });
    expect(report.status).toBe('refused');
    expect(report.sources[0]).toMatchObject({ status: 'rollback', version: (await readOperatorConfig(join(work, 'from-car')))!.version });
    expect(await tree(join(dir(), '_site'))).toEqual(before);
    await writeOperatorConfig(dir(), config);
  });

  it('source A down, B in the copy\'s mirrors.json current: sync takes it from B', async () => {
    const mirrors = JSON.stringify({ mirrors: [{ name: 'root', url: domain, kind: 'dir', status: 'fresh' }] });
    await release(range(0, 55), '2026-04-05T08:00:00Z', { 'mirrors.json': mirrors });
    expect((await sync({ dir: dir() })).status).toBe('updated');
    const config = (await readOperatorConfig(dir()))!;
    await writeOperatorConfig(dir(), { ...config, source: 'http://127.0.0.1:9/news/' });
    const v = await release(range(0, 58), '2026-04-06T08:00:00Z', { 'mirrors.json': mirrors });
    const report = await sync({ dir: dir() });
    expect(report).toMatchObject({ status: 'updated', to: v, source: domain });
    expect(report.sources.map((s) => [s.source, s.status])).toEqual([['http://127.0.0.1:9/news/', 'failed'], [domain, 'newer']]);
    await writeOperatorConfig(dir(), { ...(await readOperatorConfig(dir()))!, source: subpath });
  });

  it('killed at random points, the live copy is always one complete verified version', async () => {
    const target = join(work, 'killed');
    await cp(join(work, 'from-root'), target, { recursive: true, verbatimSymlinks: true });
    const versions = new Set([(await readOperatorConfig(target))!.version]);
    const latest = await release(range(0, 60), '2026-04-07T08:00:00Z');
    versions.add(latest);
    // Each round starts again from the old copy, so every kill lands somewhere in a real update (or just before/after it).
    for (const delay of [600, 900, 1200, 1500, 1800, 2100, 2600]) {
      await rm(target, { recursive: true, force: true });
      await cp(join(work, 'from-root'), target, { recursive: true, verbatimSymlinks: true });
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'sync', '--root', target], { stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await exited;
      const check = await verify({ source: join(target, '_site'), publicKey: pub });
      expect(check.problems).toEqual([]);
      expect(versions.has(check.version!)).toBe(true);
    }
    const r = await cli(['sync', '--root', target]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^(updated v\d+ → v\d+|current: v\d+)/);
    expect((await verify({ source: join(target, '_site'), publicKey: pub })).version).toBe(latest);
    expect((await readdir(join(target, '.newsmirror/releases'))).length).toBe(1);
    // The bookkeeping follows the live copy, wherever the kills fell.
    expect((await readOperatorConfig(target))!.version).toBe(latest);
    expect(sha(await readFile(join(target, 'dist/manifest.json')))).toBe(sha(await readFile(join(target, '_site/manifest.json'))));
  }, 120_000);
});

describe('publish --root of a clone', () => {
  let s3: Service;
  let data: string;
  afterAll(async () => {
    await s3?.stop();
    if (data) await rm(data, { recursive: true, force: true });
  });

  it('sends the verified build to a bare git repo and s3rver without a signing key', async () => {
    const dir = join(work, 'sub');
    const remote = join(work, 'pages.git');
    expect(spawnSync('git', ['init', '--bare', '--quiet', remote]).status).toBe(0);
    data = await tempDir('op-s3');
    s3 = await startS3rver(data, 'news');
    await write(join(dir, 'mirrors/pages.yaml'), `name: pages\ntype: git\nrepo: ${remote}\nbranch: gh-pages\n`);
    await write(join(dir, 'mirrors/bucket.yaml'), `name: bucket\ntype: s3\nbucket: news\nendpoint: http://127.0.0.1:${s3.port}\nforcePathStyle: true\naccessKeyEnv: S3_KEY\nsecretKeyEnv: S3_SECRET\nretries: 0\n`);
    const r = await cli(['publish', '--root', dir, '--json'], S3_ENV);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as { target: string; status: string }[];
    expect(results.map((x) => [x.target, x.status])).toEqual([['bucket', 'ok'], ['pages', 'ok']]);
    const manifest = spawnSync('git', ['cat-file', 'blob', 'gh-pages:manifest.json'], { cwd: remote }).stdout as Buffer;
    expect(sha(manifest)).toBe(sha(await readFile(join(dir, '_site/manifest.json'))));
    const got = await fetch(`http://127.0.0.1:${s3.port}/news/manifest.json`);
    expect(sha(new Uint8Array(await got.arrayBuffer()))).toBe(sha(manifest));
  }, 60_000);
});
