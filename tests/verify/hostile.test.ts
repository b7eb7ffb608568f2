/** verify against a hostile mirror (a real HTTP server on 127.0.0.1) and hostile local copies: clear problems, no crash, hang or read outside. */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPublicKey, serializeManifest, signBytes, ZipWriter } from '../../src/sealed/index.ts';
import { verify } from '../../src/verify/index.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const PAGE = '<!doctype html><h1>News</h1>\n';

function manifestOf(files: unknown[]): Buffer {
  return serializeManifest({ format: 'newsmirror-manifest/1', version: 7, built: '2026-01-01T00:00:00.000Z', publicKey: formatPublicKey(privateKey), files } as never);
}

/** path → what the hostile server does for it. */
type Route = (res: ServerResponse) => void;
let routes: Record<string, Route> = {};
let server: Server;
let base: string;
const open = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const route = routes[req.url ?? ''];
    if (route) route(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  for (const res of open) res.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const bytes = (body: string | Buffer): Route => (res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
/** A body that never ends: 64 KiB every tick until the client goes away. */
const endless: Route = (res) => {
  res.writeHead(200);
  const chunk = Buffer.alloc(65536, 0x41);
  const push = () => {
    if (res.destroyed) return;
    if (res.write(chunk)) setImmediate(push);
    else res.once('drain', push);
  };
  push();
};

describe('verify a hostile mirror', () => {
  it('manifest entries with unsafe paths, impossible sizes, bad hashes and duplicates are problems, and nothing outside the site is asked for', async () => {
    const files = [
      { path: '../../etc/passwd', size: 10, sha256: sha('x') },
      { path: '/abs', size: 10, sha256: sha('x') },
      { path: 'a//b', size: 10, sha256: sha('x') },
      { path: 'a\\b', size: 10, sha256: sha('x') },
      { path: 'big.bin', size: 1_000_000, sha256: sha('x') },
      { path: 'index.html', size: Buffer.byteLength(PAGE), sha256: sha(PAGE) },
      { path: 'index.html', size: 1, sha256: sha('x') },
      { path: 'neg.html', size: -5, sha256: sha('x') },
      { path: 'str.html', size: '12', sha256: sha('x') },
      { path: 'hex.html', size: 3, sha256: 'not-hex' },
      { size: 3, sha256: sha('x') },
      null,
      { path: '%2e%2e', size: 1, sha256: sha('x') },
    ];
    const manifest = manifestOf(files);
    const asked: string[] = [];
    routes = {
      '/manifest.json': bytes(manifest),
      '/manifest.sig': bytes(signBytes(manifest, privateKey)),
      '/index.html': bytes(PAGE),
      '/big.bin': endless,
    };
    const note = (req: { url?: string }) => asked.push(req.url ?? '');
    server.on('request', note);
    const report = await verify({ source: base, publicKey, timeoutMs: 20_000 });
    server.off('request', note);
    expect(report.ok).toBe(false);
    expect(report.version).toBe(7);
    expect(report.problems).toEqual([
      { path: '%2e%2e', kind: 'missing', detail: 'named in the manifest (1 bytes) but not in this copy' },
      { path: '../../etc/passwd', kind: 'unreadable', detail: 'the manifest entry names a path outside the site' },
      { path: '/abs', kind: 'unreadable', detail: 'the manifest entry names a path outside the site' },
      { path: 'a//b', kind: 'unreadable', detail: 'the manifest entry names a path outside the site' },
      { path: 'a\\b', kind: 'unreadable', detail: 'the manifest entry names a path outside the site' },
      { path: 'big.bin', kind: 'altered', code: 'ERR_REMOTE_LONGER', detail: `${base}big.bin: holds more than its signed 1000000 bytes (tampered)` },
      { path: 'files[10]', kind: 'unreadable', detail: 'the manifest entry has no path' },
      { path: 'files[11]', kind: 'unreadable', detail: 'the manifest entry has no path' },
      { path: 'hex.html', kind: 'unreadable', detail: 'the manifest entry has no sha256 of 64 lowercase hex digits' },
      { path: 'index.html', kind: 'unreadable', detail: 'the manifest entry names this path a second time' },
      { path: 'neg.html', kind: 'unreadable', detail: 'the manifest entry has an impossible size (-5)' },
      { path: 'str.html', kind: 'unreadable', detail: 'the manifest entry has an impossible size ("12")' },
    ]);
    expect(asked.filter((u) => !['/manifest.json', '/manifest.sig', '/index.html', '/big.bin', '/%252e%252e'].includes(u))).toEqual([]);
  }, 60_000);
});

describe('verify a hostile mirror: manifest and signature', () => {
  const manifest = manifestOf([{ path: 'index.html', size: Buffer.byteLength(PAGE), sha256: sha(PAGE) }]);

  it('a valid signature over a different manifest, and a 63-byte .sig, are signature problems', async () => {
    const other = manifestOf([]);
    routes = { '/manifest.json': bytes(manifest), '/manifest.sig': bytes(signBytes(other, privateKey)), '/index.html': bytes(PAGE) };
    const detail = `the signature does not match manifest.json under the key ${formatPublicKey(publicKey)} (wrong key, or the manifest was changed)`;
    expect(await verify({ source: base, publicKey })).toEqual({ ok: false, version: 7, problems: [{ path: 'manifest.sig', kind: 'signature', detail }] });
    routes['/manifest.sig'] = bytes(signBytes(manifest, privateKey).subarray(0, 63));
    expect(await verify({ source: base, publicKey })).toEqual({ ok: false, version: 7, problems: [{ path: 'manifest.sig', kind: 'signature', detail }] });
  });

  it('a manifest.json that never ends is cut at 64 MiB and named as too large', async () => {
    routes = { '/manifest.json': endless, '/manifest.sig': bytes(signBytes(manifest, privateKey)) };
    expect(await verify({ source: base, publicKey, timeoutMs: 20_000 })).toEqual({
      ok: false,
      problems: [{ path: 'manifest.json', kind: 'unreadable', code: 'ERR_REMOTE_TOO_LARGE', detail: `${base}manifest.json: holds more than 67108864 bytes` }],
    });
  }, 30_000);

  it('a body that trickles forever ends at the timeout, naming the URL', async () => {
    routes = {
      '/manifest.json': bytes(manifest),
      '/manifest.sig': bytes(signBytes(manifest, privateKey)),
      '/index.html': (res) => {
        res.writeHead(200);
        res.write('<');
      },
    };
    expect(await verify({ source: base, publicKey, timeoutMs: 500 })).toEqual({
      ok: false,
      version: 7,
      problems: [{ path: 'index.html', kind: 'unreadable', code: 'ERR_REMOTE_TIMEOUT', detail: `${base}index.html: no complete answer within 0.5 s` }],
    });
  });

  it('a redirect to file: is not followed', async () => {
    routes = {
      '/manifest.json': bytes(manifest),
      '/manifest.sig': bytes(signBytes(manifest, privateKey)),
      '/index.html': (res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
    };
    const report = await verify({ source: base, publicKey });
    expect(report.problems).toEqual([{ path: 'index.html', kind: 'unreadable', code: 'ERR_REMOTE_REDIRECT', detail: `${base}index.html: redirects to file: (only http and https are followed)` }]);
  });
});

describe('verify a hostile folder', () => {
  let dir: string;
  let outside: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-verify-hostile-'));
    outside = await mkdtemp(join(tmpdir(), 'newsmirror-verify-outside-'));
    await writeFile(join(outside, 'secret.html'), PAGE);
    await symlink(outside, join(dir, 'linked'));
    await writeFile(join(dir, 'index.html'), PAGE);
    await symlink(join(outside, 'secret.html'), join(dir, 'link.html'));
    execFileSync('mkfifo', [join(dir, 'pipe.html')]);
    await mkdir(join(dir, 'sub'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('symlinks (to a file or through a folder) and a FIFO are never read: missing, and the listing names the first link', async () => {
    const entry = { size: Buffer.byteLength(PAGE), sha256: sha(PAGE) };
    const manifest = manifestOf(['index.html', 'link.html', 'linked/secret.html', 'pipe.html'].map((path) => ({ path, ...entry })));
    await writeFile(join(dir, 'manifest.json'), manifest);
    await writeFile(join(dir, 'manifest.sig'), signBytes(manifest, privateKey));
    const report = await verify({ source: dir, publicKey });
    expect(report.problems).toEqual([
      { path: 'link.html', kind: 'missing', detail: `named in the manifest (${entry.size} bytes) but not in this copy` },
      { path: 'linked/secret.html', kind: 'missing', detail: `named in the manifest (${entry.size} bytes) but not in this copy` },
      { path: 'pipe.html', kind: 'missing', detail: `named in the manifest (${entry.size} bytes) but not in this copy` },
      { path: dir, kind: 'unreadable', detail: `cannot list the files: ${join(dir, 'link.html')} is a symbolic link; the site must hold plain files and folders only (copy the target in instead)` },
    ]);
  });
});

describe('verify a source that is not a file', () => {
  it('a FIFO named like a CAR is refused at once instead of waiting for a writer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsmirror-verify-fifo-'));
    try {
      execFileSync('mkfifo', [join(dir, 'site.car')]);
      await expect(verify({ source: join(dir, 'site.car'), publicKey })).rejects.toMatchObject({
        code: 'ERR_NO_SOURCE',
        message: `${join(dir, 'site.car')} is not a regular file; give a site folder, a .car or a .zip`,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('verify output cannot be forged by a file name', () => {
  it('a newline and a terminal escape in a name come back as \\u escapes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsmirror-verify-names-'));
    try {
      const manifest = manifestOf([]);
      const file = join(dir, 'site.zip');
      const zip = await ZipWriter.create(file);
      await zip.addFile('site/manifest.json', manifest);
      await zip.addFile('site/manifest.sig', signBytes(manifest, privateKey));
      await zip.addFile('site/x\n\u001b[2Kok: all good.html', Buffer.from('x'));
      await zip.close();
      expect(await verify({ source: file, publicKey })).toEqual({
        ok: false,
        version: 7,
        problems: [{ path: 'x\\u000a\\u001b[2Kok: all good.html', kind: 'extra', detail: 'not in the signed manifest (added after sealing)' }],
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
