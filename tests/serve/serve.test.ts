/** serve: static files (types, compression, ETag, Range, HEAD, folders, traversal) and trustless /ipfs/ responses, from a folder, CAR and bundle. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { CarBlockIterator } from '@ipld/car/iterator';
import { exporter } from 'ipfs-unixfs-exporter';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockMatches, rawCid, exporterStore } from '../../src/sealed/index.ts';
import { seal } from '../../src/seal/index.ts';
import { startServer, type RunningServer } from '../../src/serve/index.ts';
import { siteFiles, type Project } from '../seal/site-fixture.ts';
import { sealedServer, type SealedServer } from './sealed-server.ts';

const exec = promisify(execFile);
let p: Project;
let cid: string;
let server: RunningServer;
const files = siteFiles();
const indexHtml = Buffer.from(files['index.html']!);
const photo = Buffer.from(files['media/photo.bin']!);

let running: SealedServer;

beforeAll(async () => {
  running = await sealedServer([async (req, res) => {
    if (req.url !== '/__trigger') return false;
    res.writeHead(202, { 'content-type': 'text/plain; charset=utf-8' }).end('queued\n');
    return true;
  }]);
  ({ project: p, cid, server } = running);
});
afterAll(async () => {
  await running?.stop();
});

/** curl with the given arguments; status, headers (lowercase names) and body bytes. */
async function curl(path: string, ...args: string[]): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const { stdout } = await exec('curl', ['-s', '-i', '--path-as-is', ...args, `${server.url.slice(0, -1)}${path}`], { encoding: 'buffer', maxBuffer: 64 << 20 });
  const split = stdout.indexOf('\r\n\r\n');
  const head = stdout.subarray(0, split).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(head[0]!.split(' ')[1]), headers, body: stdout.subarray(split + 4) };
}

describe('static files', () => {
  it('serves / as index.html with type, ETag and caching headers; HEAD gives the headers only', async () => {
    const r = await curl('/');
    expect(r.status).toBe(200);
    expect(Buffer.compare(r.body, indexHtml)).toBe(0);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['cache-control']).toBe('public, max-age=300');
    expect(r.headers['etag']).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(r.headers['content-length']).toBe(String(indexHtml.length));
    const head = await curl('/', '-I');
    expect(head.status).toBe(200);
    expect(head.headers['etag']).toBe(r.headers['etag']);
    expect(head.headers['content-length']).toBe(String(indexHtml.length));
    expect(head.body.length).toBe(0);
    expect((await curl('/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await curl('/build.json')).headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('negotiates brotli and gzip, with Vary, and sends the same cached bytes twice', async () => {
    const br = await curl('/index.html', '-H', 'Accept-Encoding: gzip, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toBe('Accept-Encoding');
    expect(br.body.length).toBeLessThan(indexHtml.length / 4);
    expect(Buffer.compare(brotliDecompressSync(br.body), indexHtml)).toBe(0);
    const again = await curl('/index.html', '-H', 'Accept-Encoding: br');
    expect(Buffer.compare(again.body, br.body)).toBe(0);
    const gz = await curl('/index.html', '-H', 'Accept-Encoding: gzip, br;q=0');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(Buffer.compare(gunzipSync(gz.body), indexHtml)).toBe(0);
    expect(gz.headers['etag']).not.toBe(br.headers['etag']);
    const none = await curl('/index.html', '-H', 'Accept-Encoding: identity');
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(Buffer.compare(none.body, indexHtml)).toBe(0);
    // Already compressed types are sent as they are.
    expect((await curl('/media/photo.bin', '-H', 'Accept-Encoding: br')).headers['content-encoding']).toBeUndefined();
  });

  it('answers Range with the exact bytes (206), suffix ranges, 416 past the end, and ignores Accept-Encoding for ranges', async () => {
    const r = await curl('/media/photo.bin', '-H', 'Range: bytes=100000-100099');
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe(`bytes 100000-100099/${photo.length}`);
    expect(Buffer.compare(r.body, photo.subarray(100000, 100100))).toBe(0);
    const tail = await curl('/media/photo.bin', '-H', 'Range: bytes=-10');
    expect(Buffer.compare(tail.body, photo.subarray(photo.length - 10))).toBe(0);
    const ranged = await curl('/index.html', '-H', 'Range: bytes=0-14', '-H', 'Accept-Encoding: gzip, br');
    expect(ranged.status).toBe(206);
    expect(ranged.headers['content-encoding']).toBeUndefined();
    expect(ranged.body.toString('utf8')).toBe('<!doctype html>');
    const past = await curl('/index.html', '-H', `Range: bytes=${indexHtml.length}-`);
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${indexHtml.length}`);
  });

  it('answers If-None-Match with 304', async () => {
    const { headers } = await curl('/style.css');
    const r = await curl('/style.css', '-H', `If-None-Match: ${headers['etag']}`);
    expect(r.status).toBe(304);
    expect(r.body.length).toBe(0);
  });

  it('redirects a folder to its slash, 404s a folder without index.html and a missing file', async () => {
    const r = await curl('/steppe-herald/2026');
    expect(r.status).toBe(301);
    expect(r.headers['location']).toBe('/steppe-herald/2026/');
    await mkdir(join(p.site, 'empty-folder'));
    try {
      expect((await curl('/empty-folder/')).status).toBe(404);
    } finally {
      await rm(join(p.site, 'empty-folder'), { recursive: true });
    }
    expect((await curl('/nope.html')).status).toBe(404);
  });

  it('refuses paths outside the site: .., encoded .., encoded slashes, NUL and symlinks out', async () => {
    for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/%2E%2E/etc/passwd', '/..%2f..%2fetc/passwd', '/index.html%00.css', '/./index.html']) {
      const r = await curl(path);
      expect(r.status, path).toBe(400);
      expect(r.body.toString('utf8')).not.toContain('root:');
    }
    await symlink('/etc', join(p.site, 'etc-link'));
    await symlink(join(p.site, 'style.css'), join(p.site, 'style-link.css'));
    try {
      const out = await curl('/etc-link/passwd');
      expect(out.status).toBe(403);
      expect(out.body.toString('utf8')).toBe('forbidden: this path leads outside the site\n');
      expect((await curl('/style-link.css')).status).toBe(200);
    } finally {
      await rm(join(p.site, 'etc-link'));
      await rm(join(p.site, 'style-link.css'));
    }
    expect((await curl('/', '-X', 'POST')).status).toBe(405);
  });

  it('tries the handlers first', async () => {
    const r = await curl('/__trigger');
    expect(r.status).toBe(202);
    expect(r.body.toString('utf8')).toBe('queued\n');
  });
});

describe('trustless gateway', () => {
  it('serves a raw block by CID (format=raw and Accept), with the spec headers', async () => {
    for (const args of [['?format=raw'], ['', '-H', 'Accept: application/vnd.ipld.raw']]) {
      const [query, ...rest] = args;
      const r = await curl(`/ipfs/${cid}${query}`, ...rest);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/vnd.ipld.raw');
      expect(r.headers['content-disposition']).toBe(`attachment; filename="${cid}.bin"`);
      expect(r.headers['cache-control']).toBe('public, max-age=29030400, immutable');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(blockMatches(CID.parse(cid), r.body)).toBe(true);
    }
    const leaf = await curl(`/ipfs/${cid}/index.html?format=raw`);
    expect(leaf.headers['content-disposition']).toBe(`attachment; filename="${rawCid(indexHtml).toString()}.bin"`);
    expect(Buffer.compare(leaf.body, indexHtml)).toBe(0);
    expect((await curl(`/ipfs/${rawCid(Buffer.from('not here')).toString()}?format=raw`)).status).toBe(404);
    expect((await curl('/ipfs/not-a-cid?format=raw')).status).toBe(400);
  });

  it('serves a verifiable CAR for a path: proof blocks, then the file, each hash right', async () => {
    const r = await curl(`/ipfs/${cid}/media/photo.bin?format=car`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.ipld.car; version=1; order=dfs; dups=n');
    const iterator = await CarBlockIterator.fromBytes(r.body);
    const blocks = new Map<string, Uint8Array>();
    const order: string[] = [];
    for await (const block of iterator) {
      expect(blockMatches(CID.decode(block.cid.bytes), block.bytes)).toBe(true);
      blocks.set(block.cid.toString(), block.bytes);
      order.push(block.cid.toString());
    }
    expect(order[0]).toBe(cid); // the root folder proves the path
    expect(order.length).toBe(1 + 1 + 1 + 2); // root, media/, photo.bin's node, two 1 MiB leaves
    const store = exporterStore({ getBlock: async (c) => blocks.get(c.toString()) });
    const entry = await exporter(`${cid}/media/photo.bin`, store);
    const chunks: Uint8Array[] = [];
    if (entry.type !== 'file') throw new Error('expected a file');
    for await (const c of entry.content()) chunks.push(c);
    expect(createHash('sha256').update(Buffer.concat(chunks)).digest('hex')).toBe(createHash('sha256').update(photo).digest('hex'));
    const scoped = await curl(`/ipfs/${cid}/media/photo.bin?format=car&dag-scope=block`);
    let count = 0;
    for await (const _ of await CarBlockIterator.fromBytes(scoped.body)) count++;
    expect(count).toBe(3);
  });

  it('answers a CORS preflight for /ipfs/ so pages elsewhere can fetch blocks', async () => {
    const r = await curl(`/ipfs/${cid}?format=raw`, '-X', 'OPTIONS', '-H', 'Origin: https://reader.example', '-H', 'Access-Control-Request-Headers: accept');
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe('*');
    expect(r.headers['access-control-allow-headers']).toBe('Accept, Range, If-None-Match');
  });

  it('serves pages under /ipfs/<cid>/ to browsers, folders to index.html', async () => {
    const r = await curl(`/ipfs/${cid}/`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(Buffer.compare(r.body, indexHtml)).toBe(0);
  });
});

describe('other sources', () => {
  for (const name of ['site.car', 'site.zip']) {
    it(`serves ${name}: the same pages and the same root over /ipfs/`, async () => {
      const other = await startServer({ source: join(p.dist, name), port: 0 });
      try {
        const page = await fetch(new URL('steppe-herald/2026/02/second.html', other.url));
        expect(await page.text()).toBe(files['steppe-herald/2026/02/second.html']);
        const img = Buffer.from(await (await fetch(new URL('media/photo.bin', other.url))).arrayBuffer());
        expect(Buffer.compare(img, photo)).toBe(0);
        const raw = await fetch(new URL(`ipfs/${cid}?format=raw`, other.url));
        expect(raw.status).toBe(200);
        expect(blockMatches(CID.parse(cid), new Uint8Array(await raw.arrayBuffer()))).toBe(true);
      } finally {
        await other.close();
      }
    });
  }

  it('re-seals a folder in memory when its manifest changes', async () => {
    await writeFile(join(p.site, 'steppe-herald/2026/01/first.html'), '<h1>Исправлено</h1>\n');
    const { cid: next } = await seal({ root: p.root, key: p.key });
    expect(next).not.toBe(cid);
    const r = await fetch(new URL(`ipfs/${next}?format=raw`, server.url));
    expect(r.status).toBe(200);
    expect(await readFile(join(p.dist, 'cid.txt'), 'utf8')).toBe(`${next}\n`);
  });
});

describe('serve CLI', () => {
  it('serves _site of --root on the given address and port, and exits 0 on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--root', p.root, '--host', '0.0.0.0', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /at (http:\/\/[^ ]+) \(Ctrl-C stops\)/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
    const local = url.replace('0.0.0.0', '127.0.0.1');
    expect(await (await fetch(new URL('steppe-herald/2026/02/second.html', local))).text()).toBe(siteFiles()['steppe-herald/2026/02/second.html']);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
