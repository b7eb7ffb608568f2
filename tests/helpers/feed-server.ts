/**
 * A real HTTP server on 127.0.0.1 (port 0) for feed tests, with the headers real sites send.
 *
 *   const server = await startFeedServer();          // fixtures mounted at /feeds/* and /pages/*
 *   server.url                                        // "http://127.0.0.1:PORT"
 *   server.fixture('/rss', 'feeds/rdf-en-summary.xml', { replace: { 'https://open-caspian.example': server.url } });
 *   server.serve('/gen.xml', xml, { contentType: 'application/rss+xml; charset=utf-8', compress: 'gzip' });
 *   server.handle('/slow', slowBody(xml, 1));        // any custom handler; helpers below
 *   server.requests                                   // every request: method, path, headers
 *   await server.close();
 *
 * `serve`/`fixture` send ETag and Last-Modified and answer 304 to a matching If-None-Match /
 * If-Modified-Since; `compress` gzips or brotli-compresses when the client accepts it.
 */
import { createServer, type IncomingMessage, type ServerResponse, type IncomingHttpHeaders } from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

/** The shared fixtures folder, `shared/fixtures` beside the repo (as in CI's clone); NEWSMIRROR_FIXTURES overrides it. */
export const FIXTURES = process.env.NEWSMIRROR_FIXTURES ?? fileURLToPath(new URL('../../../shared/fixtures', import.meta.url));

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface ServeOptions {
  /** Content-Type header (default from the extension, without a charset). */
  contentType?: string;
  status?: number;
  headers?: Record<string, string>;
  /** Send an ETag (default true). */
  etag?: boolean;
  /** Last-Modified header value (default a fixed date). Empty string: none. */
  lastModified?: string;
  /** Compress when the client accepts it. */
  compress?: 'gzip' | 'br';
}

export interface FixtureOptions extends ServeOptions {
  /** Text replacements applied to the file, e.g. a fictional host → this server's URL. */
  replace?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface FeedServer {
  url: string;
  requests: RecordedRequest[];
  serve(path: string, body: string | Buffer, options?: ServeOptions): void;
  fixture(path: string, file: string, options?: FixtureOptions): void;
  handle(path: string, handler: Handler): void;
  /** Requests whose path is `path`. */
  hits(path: string): RecordedRequest[];
  close(): Promise<void>;
}

export function contentTypeFor(file: string): string {
  if (file.endsWith('.json')) return 'application/feed+json';
  if (file.endsWith('.html')) return 'text/html; charset=utf-8';
  if (file.startsWith('atom') || file.includes('/atom')) return 'application/atom+xml';
  return 'application/xml';
}

/** A handler that serves `body` with validators, 304s and optional compression. */
export function staticBody(body: string | Buffer, options: ServeOptions = {}): Handler {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const etag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}"`;
  const lastModified = options.lastModified ?? 'Wed, 05 Jan 2022 08:00:00 GMT';
  const gz = options.compress === 'gzip' ? zlib.gzipSync(bytes) : options.compress === 'br' ? zlib.brotliCompressSync(bytes) : undefined;
  return (req, res) => {
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/xml', ...options.headers };
    if (options.etag !== false) headers.etag = etag;
    if (lastModified) headers['last-modified'] = lastModified;
    const notModified = (options.etag !== false && req.headers['if-none-match'] === etag) || (!req.headers['if-none-match'] && lastModified && req.headers['if-modified-since'] === lastModified);
    if (notModified) {
      res.writeHead(304, headers).end();
      return;
    }
    const accepts = String(req.headers['accept-encoding'] ?? '');
    if (gz && options.compress && accepts.includes(options.compress)) {
      res.writeHead(options.status ?? 200, { ...headers, 'content-encoding': options.compress, 'content-length': String(gz.length), vary: 'accept-encoding' }).end(gz);
      return;
    }
    res.writeHead(options.status ?? 200, { ...headers, 'content-length': String(bytes.length) }).end(bytes);
  };
}

/** Sends headers at once, then the body `bytesPerSecond` bytes a second (a stalled host). */
export function slowBody(body: string, bytesPerSecond = 1): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml' });
    let at = 0;
    const timer = setInterval(() => {
      if (at >= body.length || res.destroyed) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(body.slice(at, at + bytesPerSecond));
      at += bytesPerSecond;
    }, 1000);
    res.on('close', () => clearInterval(timer));
  };
}

/** Redirects to `to` (a path or URL) with `status`. */
export function redirect(to: string, status = 302): Handler {
  return (_req, res) => {
    res.writeHead(status, { location: to }).end();
  };
}

/** 429 or 503 with a Retry-After header (seconds or an HTTP date). */
export function rateLimited(retryAfter: string, status = 429): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'retry-after': retryAfter, 'content-type': 'text/plain' }).end('slow down');
  };
}

/** A gzip body that inflates to `decompressedBytes` of zeros (a compression bomb). */
export function gzipBomb(decompressedBytes: number): Handler {
  const bomb = zlib.gzipSync(Buffer.alloc(decompressedBytes), { level: 9 });
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/xml', 'content-encoding': 'gzip', 'content-length': String(bomb.length) }).end(bomb);
  };
}

/** A valid-looking RSS body of about `bytes` bytes, streamed without Content-Length (chunked). */
export function hugeFeed(bytes: number): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    const item = `<item><title>${'x'.repeat(900)}</title><link>https://huge.example/</link></item>\n`;
    let sent = 0;
    res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>\n');
    const pump = () => {
      while (sent < bytes && !res.destroyed) {
        sent += item.length;
        if (!res.write(item)) return void res.once('drain', pump);
      }
      res.end('</channel></rss>');
    };
    pump();
  };
}

export async function startFeedServer(options: { mountFixtures?: boolean } = {}): Promise<FeedServer> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const handler = routes.get(path);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve(handler(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api: FeedServer = {
    url,
    requests,
    serve(path, body, serveOptions = {}) {
      routes.set(path, staticBody(body, serveOptions));
    },
    fixture(path, file, fixtureOptions = {}) {
      let text = readFileSync(join(FIXTURES, file));
      if (fixtureOptions.replace) {
        let s = text.toString('latin1');
        for (const [from, to] of Object.entries(fixtureOptions.replace)) s = s.split(from).join(to);
        text = Buffer.from(s, 'latin1');
      }
      routes.set(path, staticBody(text, { contentType: contentTypeFor(file), ...fixtureOptions }));
    },
    handle(path, handler) {
      routes.set(path, handler);
    },
    hits(path) {
      return requests.filter((r) => r.path === path);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  if (options.mountFixtures !== false) {
    for (const dir of ['feeds', 'pages']) {
      for (const file of readdirSync(join(FIXTURES, dir))) api.fixture(`/${dir}/${file}`, `${dir}/${file}`);
    }
  }
  return api;
}
