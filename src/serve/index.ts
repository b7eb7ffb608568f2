/**
 * `serve`: a small HTTP server for a site folder, CAR or offline bundle.
 * Extension point: `handlers` run first (the rebuild trigger plugs in there);
 * then `/ipfs/...` (trustless gateway); then static files.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleIpfs } from './gateway.ts';
import { cacheControl, NOT_FOUND_CACHE } from '../core/cache-control.ts';
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

/**
 * A missing page when the copy has no 404.html of its own: a small HTML page
 * in the site's three languages, never a line of English text.
 */
export const FALLBACK_404 = `<!doctype html>
<html lang="kk"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>404</title><style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}</style></head>
<body><h1>404</h1>
<p>Бет табылмады. <a href="/">Басты бет</a></p>
<p lang="ru">Страница не найдена. <a href="/">На главную</a></p>
<p lang="en">Page not found. <a href="/">Home page</a></p>
</body></html>
`;

/** `new URL` without the throw (URL.parse needs Node 22). */
function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** The copy's own 404.html with status 404, else FALLBACK_404. */
async function sendNotFound(req: IncomingMessage, res: ServerResponse, store: SiteStore): Promise<void> {
  const page = await store.lookup('404.html');
  if (page && typeof page === 'object') send(req, res, { ...page, status: 404, cacheControl: NOT_FOUND_CACHE });
  else send(req, res, { bytes: Buffer.from(FALLBACK_404), type: 'text/html; charset=utf-8', etag: '"newsmirror-404"', cacheControl: NOT_FOUND_CACHE, status: 404 });
}

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
    await sendNotFound(req, res, store);
    return;
  }
  send(req, res, { ...found, cacheControl: cacheControl(path) });
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
      const rawPath = raw.split('?')[0]!.split('#')[0]!;
      // Origin-form only ("/path?query"): "*", "http://x/" and the like are not paths of this site.
      // The base is prefixed as text: `new URL('//', base)` would read "//" as a host name.
      const url = rawPath.startsWith('/') ? parseUrl(`http://localhost${raw}`) : undefined;
      const segments = url ? safeSegments(rawPath) : undefined;
      if (!url || !segments) {
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
