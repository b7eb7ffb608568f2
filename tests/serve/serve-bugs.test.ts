// Regressions in `serve`: GET // answered 500 "Invalid URL"; a missing page got plain English text; a published
// dir target answered 404 for the sealed CID because of the marker file publish adds.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish } from '../../src/publish/index.ts';
import { MIRROR_MARKER } from '../../src/sealed/index.ts';
import { FALLBACK_404, startServer, type RunningServer } from '../../src/serve/index.ts';
import { buildSite, makeProject, newKey, range, write } from '../publish/helpers.ts';

const key = newKey();
let root: string;
let published: string;
let server: RunningServer;
let cid: string;

/** One raw request line (so "*", "//" and absolute-form reach the server as sent); the status code. */
function rawStatus(base: string, target: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let head = '';
    socket.on('data', (d: Buffer) => (head += d.toString('latin1')));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

beforeAll(async () => {
  root = await makeProject(key);
  published = join(root, 'www/public');
  await write(join(root, 'mirrors/local.yaml'), 'name: local\ntype: dir\nurl: http://127.0.0.1:8080/\npath: www/public\n');
  await buildSite(root, key, { articles: range(0, 3), built: '2026-04-01T00:00:00Z' });
  expect((await publish({ root, targets: ['local'] }))[0]?.status).toBe('ok');
  cid = (await readFile(join(root, 'dist/cid.txt'), 'utf8')).trim();
  server = await startServer({ source: published, port: 0 });
}, 60_000);
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('serve', () => {
  it('GET /ipfs/<dist/cid.txt>?format=car on a published dir target answers for the sealed CID, marker file and all', async () => {
    expect(await readFile(join(published, MIRROR_MARKER), 'utf8')).toMatch(/newsmirror mirror/);
    const r = await fetch(`${server.url}ipfs/${cid}?format=car`);
    expect([r.status, r.headers.get('x-ipfs-roots'), r.headers.get('content-type')]).toEqual([200, cid, 'application/vnd.ipld.car; version=1; order=dfs; dups=n']);
    expect((await r.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it('GET // (and every other odd request target) gets 400, 404 or 405, never 500 "Invalid URL"', async () => {
    const targets = ['//', '///x', '/%', '/%00', '/..%2f', '/..%2f..%2fetc/passwd', '/%2e%2e/', '/a/../..', '/\\..\\', '/%c0%ae%c0%ae/', `/${'a'.repeat(8000)}`, 'http://x/', '*', '/?%', '/%ZZ', '/index.html/'];
    const statuses = Object.fromEntries(await Promise.all(targets.map(async (t) => [t.length > 40 ? 'very long' : t, await rawStatus(server.url, t)] as const)));
    expect(statuses).toEqual({
      '//': 400, '///x': 400, '/%': 400, '/%00': 400, '/..%2f': 400, '/..%2f..%2fetc/passwd': 400, '/%2e%2e/': 400,
      '/a/../..': 400, '/\\..\\': 400, '/%c0%ae%c0%ae/': 400, 'very long': 404, 'http://x/': 400, '*': 400, '/?%': 200, '/%ZZ': 400, '/index.html/': 200,
    });
    const post = await fetch(`${server.url}/`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it("a missing page is the copy's own 404.html with status 404, else a small HTML page in three languages, never plain English text", async () => {
    const missing = await fetch(`${server.url}kk/nothing-here.html`);
    expect([missing.status, missing.headers.get('content-type'), missing.headers.get('cache-control')]).toEqual([404, 'text/html; charset=utf-8', 'no-cache']);
    expect(await missing.text()).toBe(FALLBACK_404);
    const own = '<!doctype html><title>Табылмады</title><p>404</p>\n';
    await writeFile(join(published, '404.html'), own);
    const page = await fetch(`${server.url}kk/nothing-here.html`);
    expect([page.status, page.headers.get('content-type'), await page.text()]).toEqual([404, 'text/html; charset=utf-8', own]);
  });
});
