// check against real nginx serving a published copy: fresh, tampered, stale, down; an ipfs gateway path; an onion through SOCKS5.
import { spawnSync } from 'node:child_process';
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHealth } from '../../src/core/health.ts';
import { check } from '../../src/mirrors/index.ts';
import { formatPublicKey } from '../../src/sealed/index.ts';
import { publish } from '../../src/publish/index.ts';
import { buildSite, makeProject, newKey, range, startNginx, tempDir, write, type Service } from '../publish/helpers.ts';
import { startSocksServer, type SocksServer } from './socks-server.ts';

const key = newKey();
const ONION = 'abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion';
let root: string;
let nginxDir: string;
let nginx: Service;
let socks: SocksServer;
let base: string;
let version1: number;

beforeAll(async () => {
  root = await makeProject(key);
  nginxDir = await tempDir('nginx');
  nginx = await startNginx(nginxDir, join(root, 'www'));
  base = `http://127.0.0.1:${nginx.port}`;
  socks = await startSocksServer((host) => (host === ONION ? nginx.port : undefined));
  await write(join(root, 'mirrors/local.yaml'), `name: local\ntype: dir\nurl: ${base}/public/\npath: www/public\n`);
  await write(join(root, 'mirrors/ipfs.yaml'), `name: ipfs\ntype: ipfs\napi: http://127.0.0.1:9/\ngateway: ${base}/\n`);
  await write(join(root, 'mirrors/onion.yaml'), `name: onion\ntype: onion\nurl: http://${ONION}/public/\nserves: local\nout: onion\n`);
  await write(join(root, 'mirrors/nourl.yaml'), 'name: nourl\ntype: git\nrepo: ./nowhere.git\n');
  const report = await buildSite(root, key, { articles: range(0, 8), built: '2026-07-01T00:00:00Z' });
  version1 = report.version;
  const results = await publish({ root, targets: ['local'] });
  expect(results[0]?.status).toBe('ok');
  // The gateway: /ipfs/<cid>/ served from the same copy.
  await write(join(root, 'www/ipfs/.keep'), '');
  await symlink(join(root, 'www/public'), join(root, 'www/ipfs', report.cid));
});
afterAll(async () => {
  await Promise.all([nginx.stop(), socks.close()]);
  await rm(root, { recursive: true, force: true });
  await rm(nginxDir, { recursive: true, force: true });
});

const byName = (health: Awaited<ReturnType<typeof check>>) => Object.fromEntries(health.map((h) => [h.name, [h.status, h.version, h.detail]]));

describe('check', () => {
  it('fresh over HTTP, through the IPFS gateway and through SOCKS5; unknown when it cannot check', async () => {
    const cid = (await readFile(join(root, 'dist/cid.txt'), 'utf8')).trim();
    const health = await check({ root, socksProxy: `127.0.0.1:${socks.port}`, sample: 100 });
    expect(byName(health)).toEqual({
      local: ['fresh', version1, 'signature and sampled files ok'],
      ipfs: ['fresh', version1, 'signature and sampled files ok'],
      onion: ['fresh', version1, 'signature and sampled files ok'],
      nourl: ['unknown', undefined, 'no public "url" in its mirror file'],
    });
    expect(health.find((h) => h.name === 'ipfs')?.url).toBe(`${base}/ipfs/${cid}/`);
    expect(socks.asked[0]).toBe(`${ONION}:80`);
    expect(await loadHealth(root)).toEqual(health);
    const without = await check({ root });
    expect(without.find((h) => h.name === 'onion')).toMatchObject({ status: 'unknown', detail: 'an onion address: give --socks HOST:PORT (tor, e.g. 127.0.0.1:9050) to check it' });
  });

  it('tampered: one altered file, or a manifest edited after signing', async () => {
    const page = join(root, 'www/public/articles/5.html');
    const original = await readFile(page);
    await writeFile(page, original.toString().replace('Independent', 'Dependent'));
    const local = (await check({ root, sample: 100 })).find((h) => h.name === 'local');
    expect(local).toMatchObject({ name: 'local', status: 'tampered', version: version1 });
    expect(local?.detail).toBe(`${base}/public/articles/5.html: holds ${original.length - 2} of its signed ${original.length} bytes (truncated)`);
    // Same length, other bytes: the hash says so.
    await writeFile(page, original.toString().replace('Independent', 'Indep3ndent'));
    const sameSize = (await check({ root, sample: 100 })).find((h) => h.name === 'local');
    expect(sameSize?.detail).toMatch(/^articles\/5\.html: expected \d+ bytes with sha256 [0-9a-f]{64}, found \d+ bytes with sha256 [0-9a-f]{64}$/);
    await writeFile(page, original);
    const manifestPath = join(root, 'www/public/manifest.json');
    const manifest = await readFile(manifestPath);
    await writeFile(manifestPath, manifest.toString().replace(`"version":${version1}`, `"version":${version1 + 999}`));
    expect((await check({ root })).find((h) => h.name === 'local')).toMatchObject({ status: 'tampered', detail: `manifest.sig: the signature does not match manifest.json under the key ${formatPublicKey(key)} (wrong key, or the manifest was changed)` });
    await writeFile(manifestPath, manifest);
  });

  it('stale when the local build is newer, down when the server is gone; the CLI exits 3 then', async () => {
    const report = await buildSite(root, key, { articles: range(0, 9), built: '2026-07-02T00:00:00Z' });
    expect((await check({ root })).find((h) => h.name === 'local')).toMatchObject({ status: 'stale', version: version1, detail: `serves version ${version1}, the latest build is ${report.version}` });
    await nginx.stop();
    const health = await check({ root, timeout: 5 });
    expect(health.find((h) => h.name === 'local')).toMatchObject({ status: 'down', detail: expect.stringMatching(/ECONNREFUSED/) });
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'check', '--root', root, '--json'], { encoding: 'utf8' });
    expect(cli.status).toBe(3);
    expect((JSON.parse(cli.stdout) as { name: string; status: string }[]).map((h) => [h.name, h.status])).toEqual([['ipfs', 'down'], ['local', 'down'], ['nourl', 'unknown'], ['onion', 'unknown']]);
  });
});
