/**
 * `serve`: a small HTTP server for a site folder, CAR or offline bundle.
 * Extension point: `handlers` run first (the rebuild trigger plugs in there);
 * then `/ipfs/...` (trustless gateway); then static files.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleIpfs } from './gateway.ts';
import { send, sendText } from './respond.ts';
import { openStore, type SiteStore } from './store.ts';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface ServeOptions {
  /** A site folder, a .car or a .zip. */
  source: string;
  host?: string;
  /** 0 picks a free port. Default 8080. */
  port?: number;
  /** Tried in order before anything else; return true when the request was answered. */
  handlers?: RequestHandler[];
  /** The largest file served from a CAR or bundle, held in memory whole (default 1 GiB). */
  maxFileBytes?: number;
  /**
   * A client must send its whole request (headers, and any body) within this many ms
   * (default 20 s), so slow-header clients (slowloris) cannot hold sockets for minutes.
   * Responses to slow readers are not cut: a 2G reader may take long to download.
   */
  requestTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The path's segments, percent-decoded one by one; undefined when any is `.`,
 * `..` (also as %2e%2e), empty in the middle, or holds `/`, `\` or NUL once decoded.
 */
export function safeSegments(rawPath: string): string[] | undefined {
  const parts = rawPath.split('/').slice(1);
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    let segment: string;
    try {
      segment = decodeURIComponent(parts[i]!);
    } catch {
      return undefined;
    }
    if (segment === '' && i === parts.length - 1) continue; // trailing slash
    if (segment === '' || segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return undefined;
    out.push(segment);
  }
  return out;
}

const HTML_CACHE = 'public, max-age=60, must-revalidate';
const ASSET_CACHE = 'public, max-age=3600';

async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL, segments: string[], store: SiteStore): Promise<void> {
  let path = segments.join('/');
  let found = await store.lookup(path);
  if (found === 'dir') {
    if (!url.pathname.endsWith('/')) {
      sendText(res, 301, `moved to ${url.pathname}/\n`, { Location: `${url.pathname}/${url.search}` });
      return;
    }
    path = path ? `${path}/index.html` : 'index.html';
    found = await store.lookup(path);
  }
  if (found === 'outside') {
    sendText(res, 403, 'forbidden: this path leads outside the site\n');
    return;
  }
  if (!found || found === 'dir') {
    const notFound = await store.lookup('404.html');
    if (notFound && typeof notFound === 'object') send(req, res, { ...notFound, status: 404, cacheControl: 'no-cache' });
    else sendText(res, 404, `not found: ${url.pathname}\n`);
    return;
  }
  const mutable = found.type.startsWith('text/html') || /(^|\/)(manifest\.(json|sig)|SHA256SUMS(\.sig)?|cid\.txt|mirrors\.json|mirrorSites\.json)$/.test(path) || /(rss|atom|xml|json)/.test(found.type);
  send(req, res, { ...found, cacheControl: mutable ? HTML_CACHE : ASSET_CACHE });
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const store = await openStore(options.source, options.maxFileBytes);
  const handlers = options.handlers ?? [];
  const requestTimeout = options.requestTimeoutMs ?? 20_000;
  const server = createServer({ headersTimeout: requestTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1_000, requestTimeout) }, (req, res) => {
    res.setHeader('Referrer-Policy', 'no-referrer');
    void (async () => {
      for (const handler of handlers) if (await handler(req, res)) return;
      if (req.method === 'OPTIONS' && req.url?.startsWith('/ipfs/')) {
        // CORS preflight: browsers ask before sending Accept: application/vnd.ipld.* from a page.
        res.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS', 'Access-Control-Allow-Headers': 'Accept, Range, If-None-Match', 'Access-Control-Max-Age': '86400' }).end();
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendText(res, 405, 'only GET and HEAD\n', { Allow: 'GET, HEAD' });
        return;
      }
      const raw = req.url ?? '/';
      const url = new URL(raw.startsWith('/') ? raw : `/${raw}`, 'http://localhost');
      const rawPath = raw.split('?')[0]!.split('#')[0]!;
      const segments = rawPath.startsWith('/') ? safeSegments(rawPath) : undefined;
      if (!segments) {
        sendText(res, 400, 'bad path: no "..", "." or NUL, and only paths inside the site\n');
        return;
      }
      if (segments[0] === 'ipfs' && segments.length > 1) await handleIpfs(req, res, url, segments.slice(1), store);
      else await serveStatic(req, res, url, segments, store);
    })().catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 500, `internal error: ${(error as Error).message}\n`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
    },
  };
}
