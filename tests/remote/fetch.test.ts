// The one reader of remote copies against a real HTTP server on 127.0.0.1: each bound and each failure's code and status.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadCopy, fetchFile, openRemote, redirectTarget, RemoteError, type FetchFileOptions } from '../../src/remote/index.ts';
import { formatPublicKey, serializeManifest, signBytes } from '../../src/sealed/index.ts';
import { newKey } from '../publish/helpers.ts';
import { appended, endless, gzipBomb, loginPage, ok, resetMidBody, shortLength, startHostileServer, toOtherHost, truncated, type HostileServer } from './hostile-server.ts';

const BODY = Buffer.from('<!doctype html><h1>News</h1><p>independent reporting</p>\n');
let server: HostileServer;

beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(() => server.close());

/** The code, status and message a fetch of `path` ends in (or 'ok: <bytes>'). */
async function outcome(path: string, options: Partial<FetchFileOptions> = {}): Promise<string> {
  try {
    const got = await fetchFile(`${server.base}${path}`, { maxBytes: 1 << 20, expectedSize: BODY.length, ...options });
    return got ? `ok: ${got.body.toString()}` : 'not found';
  } catch (error) {
    if (!(error instanceof RemoteError)) throw error;
    return `${error.code} ${error.status} ${error.message.slice(error.url.length + 2)}`;
  }
}

describe('fetchFile', () => {
  it('maps every hostile answer to one code and the status it means', async () => {
    const routes: Record<string, Parameters<typeof server.routes.set>[1]> = {
      '/ok': ok(BODY),
      '/gz': (res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(BODY)),
      '/appended': appended(BODY),
      '/truncated': truncated(BODY),
      '/short-length': shortLength(BODY),
      '/reset': resetMidBody(BODY),
      '/endless': endless,
      '/other-host': toOtherHost(server.port),
      '/login': loginPage,
      '/bomb': gzipBomb,
      '/500': (res) => res.writeHead(500).end('oops'),
      '/gone': (res) => res.writeHead(410).end(),
      '/zstd': (res) => res.writeHead(200, { 'content-encoding': 'zstd' }).end(BODY),
      '/bad-gzip': (res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(Buffer.from('not gzip at all')),
      '/loop': (res) => res.writeHead(302, { location: '/loop' }).end(),
      '/hop': (res) => res.writeHead(301, { location: '/ok?x=1' }).end(),
    };
    for (const [path, answer] of Object.entries(routes)) server.routes.set(path, answer);
    const n = BODY.length;
    expect(await outcome('ok')).toBe(`ok: ${BODY}`);
    expect(await outcome('gz')).toBe(`ok: ${BODY}`);
    expect(await outcome('hop')).toBe(`ok: ${BODY}`);
    expect(await outcome('nothing-here')).toBe('not found');
    expect(await outcome('gone')).toBe('not found');
    expect(await outcome('appended')).toBe(`ERR_REMOTE_LONGER tampered announces (Content-Length ${n + 43}) more than its signed ${n} bytes (tampered)`);
    expect(await outcome('truncated')).toBe(`ERR_REMOTE_TRUNCATED tampered holds ${n - 20} of its signed ${n} bytes (truncated)`);
    expect(await outcome('short-length')).toBe(`ERR_REMOTE_TRUNCATED tampered holds 10 of its signed ${n} bytes (truncated)`);
    expect(await outcome('reset')).toMatch(/^ERR_REMOTE_RESET down the connection (was reset \(ECONNRESET\)|closed after \d+ bytes, before the end of the answer)$/);
    expect(await outcome('endless')).toBe(`ERR_REMOTE_LONGER tampered holds more than its signed ${n} bytes (tampered)`);
    expect(await outcome('endless', { expectedSize: undefined, maxBytes: 100_000 })).toBe('ERR_REMOTE_TOO_LARGE down holds more than 100000 bytes');
    expect(await outcome('other-host')).toBe(`ERR_REMOTE_REDIRECT down redirects to another host (localhost:${server.port}); a copy must answer from its own address (put the address it redirects to in the mirror's url if you trust it)`);
    expect(await outcome('login', { json: true, expectedSize: undefined })).toBe('ERR_REMOTE_WRONG_TYPE down answers text/html where JSON was expected (a login, block or error page?)');
    expect(await outcome('bomb')).toBe(`ERR_REMOTE_LONGER tampered decompresses to more than its signed ${n} bytes (tampered)`);
    expect(await outcome('bomb', { expectedSize: undefined, maxBytes: 1 << 20 })).toBe(`ERR_REMOTE_TOO_LARGE down decompresses to more than ${1 << 20} bytes`);
    expect(await outcome('500')).toBe('ERR_REMOTE_HTTP down HTTP 500');
    expect(await outcome('zstd')).toBe('ERR_REMOTE_ENCODING down answers in Content-Encoding "zstd" (only gzip, deflate and br are read)');
    expect(await outcome('bad-gzip')).toBe('ERR_REMOTE_ENCODING down compressed bytes that do not decompress (Z_DATA_ERROR)');
    expect(await outcome('loop')).toBe('ERR_REMOTE_REDIRECT down more than 5 redirects');
  }, 30_000);

  it('HTML sent as application/json where JSON is expected is still refused', async () => {
    server.routes.set('/sniff', ok(Buffer.from('  <html><body>blocked</body></html>'), 'application/json'));
    expect(await outcome('sniff', { json: true, expectedSize: undefined })).toBe('ERR_REMOTE_WRONG_TYPE down answers with HTML where JSON was expected (a login, block or error page?)');
  });

  it('a server that stalls mid-body hits the idle timeout; one that trickles hits the total timeout; the caller can abort', async () => {
    server.routes.set('/stall', (res) => res.writeHead(200, { 'content-length': 100 }).write('x'));
    server.routes.set('/trickle', (res) => {
      res.writeHead(200);
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write('x')), 50);
    });
    expect(await outcome('stall', { idleMs: 300, expectedSize: undefined })).toBe('ERR_REMOTE_TIMEOUT down nothing received for 0.3 s');
    expect(await outcome('trickle', { timeoutMs: 400, idleMs: 5_000, expectedSize: undefined })).toBe('ERR_REMOTE_TIMEOUT down no complete answer within 0.4 s');
    const controller = new AbortController();
    const pending = fetchFile(`${server.base}stall`, { maxBytes: 1000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stopped by the user')), 100);
    await expect(pending).rejects.toThrow('stopped by the user');
  });

  it('nothing listening is unreachable (down)', async () => {
    await expect(fetchFile('http://127.0.0.1:9/x', { maxBytes: 10 })).rejects.toMatchObject({ code: 'ERR_REMOTE_UNREACHABLE', status: 'down', message: 'http://127.0.0.1:9/x: ECONNREFUSED' });
  });
});

describe('redirectTarget', () => {
  const from = new URL('http://news.example/site/index.html');
  it('follows the same host and its subdomains, upgrades to https; refuses other hosts, https → http and other schemes', () => {
    expect(redirectTarget(from, from, '/site/other.html', 'same').href).toBe('http://news.example/site/other.html');
    expect(redirectTarget(from, from, 'https://news.example/site/', 'same').href).toBe('https://news.example/site/');
    expect(redirectTarget(from, from, 'https://bafy.ipfs.news.example/', 'same').href).toBe('https://bafy.ipfs.news.example/');
    expect(() => redirectTarget(from, from, 'http://evilnews.example/', 'same')).toThrow('http://news.example/site/index.html: redirects to another host (evilnews.example)');
    expect(redirectTarget(from, from, 'http://elsewhere.example/', 'any').href).toBe('http://elsewhere.example/');
    const secure = new URL('https://news.example/');
    expect(() => redirectTarget(secure, secure, 'http://news.example/', 'any')).toThrow('https://news.example/: redirects from https to plain http (http://news.example/); not followed');
    expect(() => redirectTarget(from, from, 'ftp://news.example/', 'any')).toThrow('redirects to ftp: (only http and https are followed)');
  });
});

describe('downloadCopy', () => {
  const key = newKey();
  const files = { 'index.html': BODY, 'kk/2026/01/жаңалық.html': Buffer.from('<p>жаңалық</p>\n') };
  const manifest = serializeManifest({
    format: 'newsmirror-manifest/1', version: 3, built: '2026-01-01T00:00:00.000Z', publicKey: formatPublicKey(key),
    files: Object.entries(files).map(([path, bytes]) => ({ path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') })),
  });
  const routeCopy = (prefix: string, override: Record<string, Buffer> = {}) => {
    server.routes.set(`/${prefix}/manifest.json`, ok(manifest, 'application/json'));
    server.routes.set(`/${prefix}/manifest.sig`, ok(signBytes(manifest, key)));
    for (const [path, bytes] of Object.entries(files)) server.routes.set(`/${prefix}/${path.split('/').map(encodeURIComponent).join('/')}`, ok(override[path] ?? bytes));
  };

  it('fetches every file of a copy at a subpath into a folder, verified, manifest last; a tampered copy leaves no manifest', async () => {
    routeCopy('good');
    routeCopy('bad', { 'kk/2026/01/жаңалық.html': Buffer.from('<p>жалған</p>\n') });
    const dir = await mkdtemp(join(tmpdir(), 'newsmirror-download-'));
    try {
      const copy = openRemote(`${server.base}good`);
      const result = await downloadCopy(copy, join(dir, 'good'), { publicKey: key });
      copy.close();
      expect([result.status, result.version, result.problems]).toEqual(['ok', 3, []]);
      expect((await readFile(join(dir, 'good/kk/2026/01/жаңалық.html'))).equals(files['kk/2026/01/жаңалық.html'])).toBe(true);
      expect((await readFile(join(dir, 'good/manifest.json'))).equals(manifest)).toBe(true);
      const bad = openRemote(`${server.base}bad/`);
      const badResult = await downloadCopy(bad, join(dir, 'bad'), { publicKey: key });
      bad.close();
      expect(badResult.status).toBe('tampered');
      expect(badResult.problems.map((p) => [p.path, p.kind, p.code])).toEqual([['kk/2026/01/жаңалық.html', 'altered', 'ERR_REMOTE_TRUNCATED']]);
      expect((await readdir(join(dir, 'bad'))).sort()).toEqual(['index.html']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
