// check against a hostile mirror (a real HTTP server on 127.0.0.1): a short or foreign signature, an endless manifest, bad redirects.
import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/mirrors/index.ts';
import { formatPublicKey } from '../../src/sealed/index.ts';
import { buildSite, makeProject, newKey, range, write } from '../publish/helpers.ts';

const key = newKey();
let root: string;
let server: Server;
let base: string;
let routes: Record<string, (res: ServerResponse) => void> = {};
const send = (body: Buffer | string) => (res: ServerResponse) => res.writeHead(200).end(body);

beforeAll(async () => {
  root = await makeProject(key);
  server = createServer((req, res) => (routes[req.url ?? ''] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  await write(join(root, 'mirrors/evil.yaml'), `name: evil\ntype: dir\nurl: ${base}\npath: www\n`);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(root, { recursive: true, force: true });
});

describe('check a hostile mirror', () => {
  it('a 63-byte signature, and a valid signature over another manifest, are tampered', async () => {
    await buildSite(root, key, { articles: range(0, 2), built: '2026-01-01T00:00:00Z' });
    const oldSig = await readFile(join(root, 'dist/manifest.sig'));
    await buildSite(root, key, { articles: range(0, 3), built: '2026-02-01T00:00:00Z' });
    const manifest = await readFile(join(root, 'dist/manifest.json'));
    const sig = await readFile(join(root, 'dist/manifest.sig'));
    const detail = `manifest.sig: the signature does not match manifest.json under the key ${formatPublicKey(key)} (wrong key, or the manifest was changed)`;
    routes = { '/manifest.json': send(manifest), '/manifest.sig': send(sig.subarray(0, 63)) };
    expect((await check({ root }))[0]).toMatchObject({ name: 'evil', status: 'tampered', detail });
    routes['/manifest.sig'] = send(oldSig);
    expect((await check({ root }))[0]).toMatchObject({ name: 'evil', status: 'tampered', detail });
  });

  it('a manifest.json that never ends is cut at 64 MiB: down, naming the URL', async () => {
    routes = {
      '/manifest.sig': send(Buffer.alloc(64)),
      '/manifest.json': (res) => {
        res.writeHead(200);
        const chunk = Buffer.alloc(1 << 16, 0x20);
        const push = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', push);
        };
        push();
      },
    };
    expect((await check({ root }))[0]).toMatchObject({ status: 'down', detail: `${base}manifest.json: holds more than 67108864 bytes` });
  }, 30_000);

  it('a redirect to file: or to something that is not a URL: down, saying so', async () => {
    routes = { '/manifest.json': (res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(), '/manifest.sig': send(Buffer.alloc(64)) };
    expect((await check({ root }))[0]).toMatchObject({ status: 'down', detail: `${base}manifest.json: redirects to file: (only http and https are followed)` });
    routes['/manifest.json'] = (res) => res.writeHead(302, { location: 'http://[::1' }).end();
    expect((await check({ root }))[0]).toMatchObject({ status: 'down', detail: `${base}manifest.json: redirects to "http://[::1", which is not a URL` });
  });
});
