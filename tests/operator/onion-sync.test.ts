/**
 * clone and sync of an onion mirror through SOCKS5 (tor's SOCKS port stood in
 * by a real RFC 1928 server routing one .onion name to nginx): refused
 * without --socks before any name reaches DNS, cloned with it, the proxy kept
 * for sync, and onion mirrors from mirrors.json tried only with a proxy.
 */
import type { KeyObject } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tree } from './helpers.ts';
import { clone } from '../../src/operator/clone.ts';
import { readOperatorConfig } from '../../src/operator/folder.ts';
import { sync } from '../../src/operator/sync.ts';
import { publish } from '../../src/publish/index.ts';
import { seal } from '../../src/seal/index.ts';
import { formatPublicKey, parsePublicKey } from '../../src/sealed/index.ts';
import { buildSite, makeProject, newKey, range, startNginx, tempDir, write, type Service } from '../publish/helpers.ts';
import { startSocksServer, type SocksServer } from '../mirrors/socks-server.ts';
import { cli } from '../run/cli.ts';

const ONION = 'abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion';
let key: KeyObject;
let pub: KeyObject;
let root: string;
let work: string;
let nginx: Service;
let socks: SocksServer;
let clearnet: string;
const onion = `http://${ONION}/public/`;

/** Build and seal a version whose mirrors.json lists the onion, and publish it to www/public. */
async function release(articles: number[], built: string): Promise<number> {
  await buildSite(root, key, { articles, built });
  await write(join(root, '_site', 'mirrors.json'), `${JSON.stringify({ mirrors: [{ url: onion }, { url: 'not a url' }] })}\n`);
  const report = await seal({ root, key });
  expect((await publish({ root })).map((r) => r.status)).toEqual(['ok']);
  return report.version;
}

beforeAll(async () => {
  key = newKey();
  pub = parsePublicKey(formatPublicKey(key));
  root = await makeProject(key);
  work = await tempDir('onion-sync');
  await write(join(root, 'mirrors/www.yaml'), `name: www\ntype: dir\npath: ${join(root, 'www', 'public')}\nbundleRefresh: 0s\n`);
  nginx = await startNginx(join(work, 'nginx'), join(root, 'www'));
  clearnet = `http://127.0.0.1:${nginx.port}/public/`;
  // tor reaches the web too: with a proxy every URL goes through it.
  socks = await startSocksServer((host, port) => (host === ONION ? nginx.port : host === '127.0.0.1' ? port : undefined));
}, 60_000);
afterAll(async () => {
  await Promise.all([nginx?.stop(), socks?.close()]);
  await rm(root, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe('an onion source through SOCKS5', () => {
  let v1 = 0;
  beforeAll(async () => {
    v1 = await release(range(0, 12), '2026-05-01T08:00:00Z');
  });

  it('clone of an onion without --socks is refused before any name is looked up, and leaves nothing', async () => {
    const dir = join(work, 'no-socks');
    await expect(clone({ source: onion, dir, key: pub })).rejects.toThrow(`${onion}: an onion address: give --socks HOST:PORT (tor, e.g. 127.0.0.1:9050) to reach it`);
    expect(await readdir(work)).not.toContain('no-socks');
    expect(socks.asked).toEqual([]);
  });

  it('clone --socks with something that is not HOST:PORT exits 2 and names the option', async () => {
    const r = await cli(['clone', onion, join(work, 'bad-socks'), '--key', formatPublicKey(key), '--socks', '9050']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--socks "9050" is not HOST:PORT, e.g. 127.0.0.1:9050 (tor\'s SOCKS port)');
    expect(await readdir(work)).not.toContain('bad-socks');
  }, 60_000);

  it('clone --socks takes the verified copy through the proxy and keeps the proxy for sync', async () => {
    const dir = join(work, 'via-tor');
    const report = await clone({ source: onion, dir, key: pub, socks: `127.0.0.1:${socks.port}` });
    expect(report).toMatchObject({ version: v1, source: onion });
    expect(await tree(join(dir, '_site'))).toEqual(await tree(join(root, '_site')));
    expect(await readOperatorConfig(dir)).toMatchObject({ source: onion, socks: `127.0.0.1:${socks.port}`, version: v1 });
    expect(new Set(socks.asked)).toEqual(new Set([`${ONION}:80`]));
  });

  it('sync of that copy goes through the kept proxy: the next version, by its delta', async () => {
    const v2 = await release(range(0, 14), '2026-05-02T08:00:00Z');
    socks.asked.length = 0;
    const report = await sync({ dir: join(work, 'via-tor') });
    expect(report).toMatchObject({ status: 'updated', from: v1, to: v2, via: 'delta', source: onion });
    expect(await tree(join(work, 'via-tor', '_site'))).toEqual(await tree(join(root, '_site')));
    expect(socks.asked.length).toBeGreaterThan(0);
    expect(new Set(socks.asked)).toEqual(new Set([`${ONION}:80`]));
  });

  it('a copy cloned from the web skips the onion in mirrors.json without a proxy, and tries it with sync --socks', async () => {
    const dir = join(work, 'web');
    await clone({ source: clearnet, dir, key: pub });
    await nginx.stop(); // the web address goes down; the onion (the same nginx, through the proxy) comes back below
    try {
      const without = sync({ dir });
      await expect(without).rejects.toThrow(`no source could be read, the copy in ${dir}`);
      await expect(without).rejects.not.toThrow(ONION);
    } finally {
      nginx = await startNginx(join(work, 'nginx'), join(root, 'www'), nginx.port);
    }
    const v3 = await release(range(0, 16), '2026-05-03T08:00:00Z');
    socks.asked.length = 0;
    const report = await sync({ dir, socks: `127.0.0.1:${socks.port}` });
    expect(report.status).toBe('updated');
    expect(report.to).toBe(v3);
    expect(report.sources.map((s) => [s.source, s.status])).toEqual([[clearnet, 'newer'], [onion, 'newer']]);
    expect(new Set(socks.asked)).toEqual(new Set([`${ONION}:80`, `127.0.0.1:${nginx.port}`]));
    // Given for one run, not kept.
    expect((await readOperatorConfig(dir))?.socks).toBeUndefined();
  });
});
