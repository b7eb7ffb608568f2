/**
 * HTTP(S) GET with every limit a hostile or broken host needs: http/https only, bounded
 * redirects, total and idle timeouts, byte caps before and after gzip/brotli/deflate,
 * conditional GET (ETag / Last-Modified), Retry-After on 429/503. Returns bytes, never parses.
 */
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { ipLiteral, isPublicAddress, publicOnlyLookup } from './address.ts';
import { CHALLENGE_BODY_MAX, CHALLENGE_STATUSES, challengeService } from './challenge.ts';
import { IngestError } from './errors.ts';

export interface FetchLimits {
  /** Whole request, redirects included. */
  timeoutMs: number;
  /** Longest silence while waiting for headers or the next body bytes. */
  idleTimeoutMs: number;
  /** Bytes on the wire. */
  maxBytes: number;
  /** Bytes after decompression (a gzip bomb stops here). */
  maxDecompressedBytes: number;
  maxRedirects: number;
  /** A Retry-After this short (or shorter) is waited for once; longer ones fail the feed until then. */
  maxRetryWaitMs: number;
  /** Items taken from one feed (the newest first, in feed order). */
  maxItems: number;
  userAgent: string;
}

export const DEFAULT_LIMITS: FetchLimits = {
  timeoutMs: 30_000,
  idleTimeoutMs: 15_000,
  maxBytes: 16 * 1024 * 1024,
  maxDecompressedBytes: 32 * 1024 * 1024,
  maxRedirects: 5,
  maxRetryWaitMs: 10_000,
  maxItems: 500,
  userAgent: 'newsmirror/0.1 (censorship-resilient news mirror; feed reader)',
};

export interface FetchRequest {
  url: string;
  limits: FetchLimits;
  signal?: AbortSignal;
  accept?: string;
  etag?: string;
  lastModified?: string;
  /**
   * The URL comes from a feed, not from outlets.yaml (an item's link fetched for full
   * text): it, and every redirect, may only reach public addresses.
   */
  publicOnly?: boolean;
}

export interface FetchResult {
  status: 200 | 304;
  /** The URL after redirects. */
  url: string;
  body: Buffer;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  /** Where the URL has moved for good: the end of the unbroken run of 301/308 redirects it starts with, if any. */
  movedTo?: string;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

/** The longest a Retry-After is honoured: a server cannot switch an outlet off for longer than a day. */
export const MAX_RETRY_AFTER_MS = 86_400_000;

/** Parse a Retry-After header (seconds or an HTTP date) into a time, at most MAX_RETRY_AFTER_MS away. */
export function parseRetryAfter(value: string | undefined, now: Date): Date | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const time = /^\d+$/.test(trimmed) ? now.getTime() + Number(trimmed) * 1000 : Date.parse(trimmed);
  if (Number.isNaN(time)) return undefined;
  return new Date(Math.min(Math.max(time, now.getTime()), now.getTime() + MAX_RETRY_AFTER_MS));
}

function checkUrl(raw: string, from?: string): URL {
  let url: URL;
  try {
    url = from ? new URL(raw, from) : new URL(raw);
  } catch (error) {
    throw new IngestError('ERR_BAD_URL', raw, `${raw} is not a valid URL${from ? ` (redirect from ${from})` : ''}`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new IngestError('ERR_BAD_URL', url.href, `${url.href}: only http and https URLs are fetched${from ? ` (redirect from ${from})` : ''}`);
  }
  return url;
}

/** Errors of a request sent on a pooled socket the server had just closed (safe to send again: nothing was answered). */
const staleSockets = new WeakSet<Error>();
function staleSocket(error: IngestError): IngestError {
  staleSockets.add(error);
  return error;
}

interface Hop {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function decompressor(encoding: string | undefined): zlib.Gunzip | zlib.BrotliDecompress | zlib.Inflate | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'br':
      return zlib.createBrotliDecompress();
    case 'deflate':
      return zlib.createInflate();
    default:
      return undefined;
  }
}

/** One request, no redirects followed: status, headers and the (decompressed, capped) body. */
function requestOnce(url: URL, headers: Record<string, string>, limits: FetchLimits, deadline: number, signal?: AbortSignal, publicOnly = false): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const href = url.href;
    const literal = ipLiteral(url.hostname);
    if (publicOnly && literal !== undefined && !isPublicAddress(literal)) {
      return reject(new IngestError('ERR_PRIVATE_ADDRESS', href, `${href}: a link from a feed may not reach this machine or its network`, { cause: new Error(`${literal} is not a public address`) }));
    }
    const onAbort = () => fail(new IngestError('ERR_ABORTED', href, `${href}: aborted`, { cause: signal?.reason }));
    if (signal?.aborted) return reject(new IngestError('ERR_ABORTED', href, `${href}: aborted`, { cause: signal.reason }));
    let settled = false;
    const chunks: Buffer[] = [];
    let res: http.IncomingMessage | undefined;
    let inflater: ReturnType<typeof decompressor>;
    let idle: NodeJS.Timeout | undefined;
    const total = setTimeout(
      () => fail(new IngestError('ERR_TIMEOUT', href, `${href}: no complete answer within ${limits.timeoutMs} ms; the host is too slow or stalled, try again later`)),
      Math.max(0, deadline - Date.now()),
    );
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(
        () => fail(new IngestError('ERR_TIMEOUT', href, `${href}: no data for ${limits.idleTimeoutMs} ms; the host stalled, try again later`)),
        limits.idleTimeoutMs,
      );
    };
    const cleanup = () => {
      clearTimeout(total);
      clearTimeout(idle);
      signal?.removeEventListener('abort', onAbort);
    };
    function fail(error: unknown) {
      if (settled) return;
      settled = true;
      cleanup();
      inflater?.destroy();
      res?.destroy();
      req.destroy();
      reject(error);
    }
    function finish() {
      if (settled || !res) return;
      settled = true;
      cleanup();
      // A capped error body: the rest is not wanted.
      if (!res.complete) {
        inflater?.destroy();
        res.destroy();
      }
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    touch();
    const mod = url.protocol === 'https:' ? https : http;
    // A public-only request gets its own socket: a pooled one may have been opened to a private host.
    const options: http.RequestOptions = publicOnly ? { method: 'GET', headers, agent: false, lookup: publicOnlyLookup as http.RequestOptions['lookup'] } : { method: 'GET', headers, agent: agents[url.protocol as 'http:' | 'https:'] };
    const req = mod.request(url, options, (response) => {
      res = response;
      touch();
      const status = response.statusCode ?? 0;
      // Redirects, 304 and errors: only the headers are wanted, and of a 401/403/429/503 the
      // start of the body (is it a DDoS-protection challenge page?).
      if (!CHALLENGE_STATUSES.has(status)) {
        response.resume();
        return finish();
      }
      const capped = status !== 200;
      const length = Number(response.headers['content-length']);
      if (!capped && Number.isFinite(length) && length > limits.maxBytes) {
        return fail(new IngestError('ERR_TOO_LARGE', href, `${href}: the server announces ${length} bytes, more than the limit of ${limits.maxBytes}; refused`));
      }
      inflater = decompressor(response.headers['content-encoding']);
      let wire = 0;
      let plain = 0;
      const take = (chunk: Buffer) => {
        if (capped && plain + chunk.length > CHALLENGE_BODY_MAX) {
          chunks.push(chunk.subarray(0, CHALLENGE_BODY_MAX - plain));
          return finish();
        }
        plain += chunk.length;
        if (plain > limits.maxDecompressedBytes) {
          return fail(new IngestError('ERR_DECOMPRESSED_TOO_LARGE', href, `${href}: more than ${limits.maxDecompressedBytes} bytes after decompression (a compression bomb?); refused`));
        }
        chunks.push(chunk);
      };
      response.on('data', (chunk: Buffer) => {
        touch();
        wire += chunk.length;
        if (settled) return;
        if (wire > limits.maxBytes) {
          return fail(new IngestError('ERR_TOO_LARGE', href, `${href}: more than ${limits.maxBytes} bytes; refused (raise the limit only if this feed is really that big)`));
        }
        if (inflater) inflater.write(chunk);
        else take(chunk);
      });
      response.on('end', () => (inflater ? inflater.end() : finish()));
      response.on('error', (error) => fail(new IngestError('ERR_NETWORK', href, `${href}: the connection broke while reading (${error.message})`, { cause: error })));
      response.on('aborted', () => fail(new IngestError('ERR_NETWORK', href, `${href}: the server closed the connection mid-body`)));
      if (inflater) {
        inflater.on('data', take);
        inflater.on('end', finish);
        inflater.on('error', (error) => fail(new IngestError('ERR_BAD_ENCODING', href, `${href}: the compressed body is corrupt (${error.message})`, { cause: error })));
      }
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      fail(
        // The server closed an idle keep-alive socket just as we reused it: not the host's fault, asked again once.
        req.reusedSocket && error.code === 'ECONNRESET' && !res
          ? staleSocket(new IngestError('ERR_NETWORK', href, `${href}: the connection was reset (${error.code}); try again later`, { cause: error }))
          : error.code === 'EADDRNOTPUBLIC'
          ? new IngestError('ERR_PRIVATE_ADDRESS', href, `${href}: a link from a feed may not reach this machine or its network`, { cause: error })
          : new IngestError('ERR_NETWORK', href, `${href}: cannot reach the host (${error.code ?? error.message}); check the URL or try again later`, { cause: error }),
      ),
    );
    req.end();
  });
}

/**
 * GET a URL with redirects followed (bounded, loop-checked, http/https only).
 * Throws IngestError: ERR_RATE_LIMITED (with retryAfter) for 429/503, ERR_HTTP_STATUS for other non-2xx.
 */
export async function fetchUrl(request: FetchRequest): Promise<FetchResult> {
  const { limits, signal } = request;
  const deadline = Date.now() + limits.timeoutMs;
  const headers: Record<string, string> = {
    'user-agent': limits.userAgent,
    accept: request.accept ?? 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
    'accept-encoding': 'gzip, br, deflate',
  };
  if (request.etag) headers['if-none-match'] = request.etag;
  if (request.lastModified) headers['if-modified-since'] = request.lastModified;
  let url = checkUrl(request.url);
  const seen = new Set<string>([url.href]);
  let movedTo: string | undefined;
  let permanent = true;
  for (let hops = 0; ; hops++) {
    const hop = await requestOnce(url, headers, limits, deadline, signal, request.publicOnly).catch((error: unknown) => {
      if (error instanceof Error && staleSockets.has(error)) return requestOnce(url, headers, limits, deadline, signal, request.publicOnly);
      throw error;
    });
    const href = url.href;
    const service = challengeService(hop.status, hop.headers, hop.body);
    if (service) {
      throw new IngestError('ERR_CHALLENGE', href, `${href}: the outlet's site is behind a DDoS-protection challenge (${service}, HTTP ${hop.status}): it answers a browser check instead of the feed; nothing mirrored, earlier articles kept. Ask the outlet to exempt its feed, or mirror it from a network the service lets through`, { status: hop.status });
    }
    if (hop.status >= 300 && hop.status < 400 && hop.status !== 304) {
      const location = hop.headers.location;
      if (!location) throw new IngestError('ERR_HTTP_STATUS', href, `${href}: redirect ${hop.status} without a Location header`, { status: hop.status });
      const next = checkUrl(location, href);
      if (seen.has(next.href)) throw new IngestError('ERR_TOO_MANY_REDIRECTS', request.url, `${request.url}: redirect loop (${href} → ${next.href}); fix the feed URL in outlets.yaml`);
      if (hops + 1 > limits.maxRedirects) throw new IngestError('ERR_TOO_MANY_REDIRECTS', request.url, `${request.url}: more than ${limits.maxRedirects} redirects; fix the feed URL in outlets.yaml`);
      seen.add(next.href);
      permanent &&= hop.status === 301 || hop.status === 308;
      if (permanent) movedTo = next.href;
      url = next;
      continue;
    }
    if (hop.status === 429 || hop.status === 503) {
      const retryAfter = parseRetryAfter(hop.headers['retry-after'], new Date());
      throw new IngestError('ERR_RATE_LIMITED', href, `${href}: HTTP ${hop.status}${retryAfter ? `, asked to retry after ${retryAfter.toISOString()}` : ''}; not fetched again before then`, { status: hop.status, ...(retryAfter ? { retryAfter } : {}) });
    }
    if (hop.status !== 200 && hop.status !== 304) {
      const hint = hop.status === 404 || hop.status === 410 ? 'the feed is gone; check its URL in outlets.yaml' : 'try again later';
      throw new IngestError('ERR_HTTP_STATUS', href, `${href}: HTTP ${hop.status}; ${hint}`, { status: hop.status });
    }
    const header = (name: string) => {
      const value = hop.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const result: FetchResult = { status: hop.status, url: href, body: hop.body };
    const contentType = header('content-type');
    const etag = header('etag');
    const lastModified = header('last-modified');
    if (contentType) result.contentType = contentType;
    if (etag) result.etag = etag;
    if (lastModified) result.lastModified = lastModified;
    if (movedTo) result.movedTo = movedTo;
    return result;
  }
}
