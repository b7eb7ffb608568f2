/**
 * GET one file of a remote copy over HTTP(S), directly or through a SOCKS5
 * proxy, with every bound a hostile or broken server calls for: a total and
 * an idle timeout, a byte cap (the file's signed size when known), a cap on
 * decompressed bytes, bounded redirects that stay on the copy's host, and
 * HTML refused where JSON is expected. Every failure is one RemoteError.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { pipeline, type Transform } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { NewsmirrorError } from '../core/errors.ts';
import { RemoteError } from './errors.ts';
import { socksConnect } from './socks.ts';

/** How to reach a remote copy; shared by every file fetched from it. */
export interface RemoteOptions {
  /** Cancels everything in flight. */
  signal?: AbortSignal;
  /** host:port of a SOCKS5 proxy (tor, e.g. 127.0.0.1:9050) used for every request; the proxy resolves names, so .onion works. */
  socks?: string;
  /**
   * Milliseconds for one file, request to last byte.
   * @default 60_000
   */
  timeoutMs?: number;
  /**
   * Milliseconds without a byte before giving up (a server that stalls mid-body).
   * @default 20_000
   */
  idleMs?: number;
  /**
   * Redirects followed per file.
   * @default 5
   */
  maxRedirects?: number;
  /**
   * Where a redirect may lead: `'same'` = the copy's own host name or a subdomain of it
   * (http → https allowed, https → http never), `'any'` = any http(s) URL.
   * @default 'same'
   */
  redirects?: 'same' | 'any';
}

/** What to fetch and how much of it. */
export interface FetchFileOptions extends RemoteOptions {
  /** The most bytes accepted (after decompression) when the file has no signed size. */
  maxBytes: number;
  /** The file's signed size: more bytes = ERR_REMOTE_LONGER, fewer = ERR_REMOTE_TRUNCATED (both "tampered"). */
  expectedSize?: number;
  /** The caller expects JSON: an HTML answer is ERR_REMOTE_WRONG_TYPE. */
  json?: boolean;
  /** Stream the body here (decompressed, within the caps) instead of collecting it. */
  onChunk?: (chunk: Buffer) => void;
  /** Keep-alive agents shared by the files of one copy (see `openRemote`); default: one connection per file. */
  agents?: RemoteAgents;
}

export interface RemoteAgents {
  http: HttpAgent;
  https: HttpsAgent;
}

export interface FetchedFile {
  /** The URL that answered (after redirects). */
  url: string;
  /** Bytes received after decompression. */
  size: number;
  /** The body; empty when `onChunk` took it. */
  body: Buffer;
  contentType: string;
}

const USER_AGENT = 'newsmirror/1 (+https://github.com/newsmirror)';
/** Compressed bytes allowed beyond the decompressed cap (headers of an incompressible file). */
const WIRE_SLACK = 64 * 1024;
const DECODERS: Record<string, () => Transform> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress };

/** Keep-alive agents for the files of one copy; destroy them when done. */
export function remoteAgents(maxSockets = 8): RemoteAgents {
  return { http: new HttpAgent({ keepAlive: true, maxSockets }), https: new HttpsAgent({ keepAlive: true, maxSockets }) };
}

/** Where a redirect leads, or the RemoteError saying why it is not followed. */
export function redirectTarget(from: URL, origin: URL, location: string, rule: 'same' | 'any'): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new RemoteError('ERR_REMOTE_REDIRECT', from.href, `redirects to ${JSON.stringify(location.slice(0, 200))}, which is not a URL`);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new RemoteError('ERR_REMOTE_REDIRECT', from.href, `redirects to ${next.protocol} (only http and https are followed)`);
  if (from.protocol === 'https:' && next.protocol === 'http:') throw new RemoteError('ERR_REMOTE_REDIRECT', from.href, `redirects from https to plain http (${next.href}); not followed`);
  const host = origin.hostname.toLowerCase();
  const to = next.hostname.toLowerCase();
  if (rule === 'same' && to !== host && !to.endsWith(`.${host}`)) {
    throw new RemoteError('ERR_REMOTE_REDIRECT', from.href, `redirects to another host (${next.host}); a copy must answer from its own address (put the address it redirects to in the mirror's url if you trust it)`);
  }
  return next;
}

interface Opened {
  res: IncomingMessage;
  /** Set when the idle timer fired: the reason the body stopped. */
  stalled: () => RemoteError | undefined;
}

function open(url: URL, options: FetchFileOptions, signal: AbortSignal): Promise<Opened> {
  const idleMs = options.idleMs ?? 20_000;
  let stalled: RemoteError | undefined;
  return new Promise((resolve, reject) => {
    const https = url.protocol === 'https:';
    const port = Number(url.port) || (https ? 443 : 80);
    const socks = options.socks;
    const createConnection = socks
      ? (_opts: unknown, callback: (error: Error | null, socket?: Socket) => void) => {
          socksConnect(socks, url.hostname, port, signal).then(
            (socket) => callback(null, https ? tlsConnect({ socket, servername: url.hostname }) : socket),
            (error: Error) => callback(error),
          );
          return undefined;
        }
      : undefined;
    const req = (https ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      headers: { 'user-agent': USER_AGENT, accept: options.json ? 'application/json, */*;q=0.1' : '*/*', 'accept-encoding': 'gzip, deflate, br' },
      signal,
      // With createConnection and no agent, node calls it (callback form: the SOCKS handshake is async).
      ...(createConnection ? { createConnection: createConnection as never } : { agent: options.agents ? options.agents[https ? 'https' : 'http'] : false }),
    }, (res) => resolve({ res, stalled: () => stalled }));
    req.setTimeout(idleMs, () => {
      stalled = new RemoteError('ERR_REMOTE_TIMEOUT', url.href, `nothing received for ${idleMs / 1000} s`);
      req.destroy(stalled);
    });
    req.on('error', reject);
    req.end();
  });
}

function isHtml(contentType: string): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType);
}

/** Read the body within the caps; the error thrown names what went wrong. */
async function readBody(url: URL, res: IncomingMessage, options: FetchFileOptions): Promise<{ size: number; body: Buffer }> {
  const signed = options.expectedSize;
  const limit = signed === undefined ? options.maxBytes : Math.min(signed, options.maxBytes);
  const over = (what: string) => signed === undefined
    ? new RemoteError('ERR_REMOTE_TOO_LARGE', url.href, `${what} more than ${limit} bytes`)
    : new RemoteError('ERR_REMOTE_LONGER', url.href, `${what} more than its signed ${signed} bytes (tampered)`);
  const encoding = String(res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder = encoding === 'identity' || encoding === '' ? undefined : DECODERS[encoding]?.();
  if (!decoder && encoding !== 'identity' && encoding !== '') throw new RemoteError('ERR_REMOTE_ENCODING', url.href, `answers in Content-Encoding ${JSON.stringify(encoding.slice(0, 40))} (only gzip, deflate and br are read)`);
  const announced = Number(res.headers['content-length']);
  if (!decoder && Number.isFinite(announced) && announced > limit) throw over(`announces (Content-Length ${announced})`);
  let wire = 0;
  let source: AsyncIterable<Buffer> = res;
  if (decoder) {
    res.on('data', (chunk: Buffer) => {
      wire += chunk.length;
      if (wire > limit + WIRE_SLACK) res.destroy(over('sends compressed bytes for'));
    });
    source = pipeline(res, decoder, () => {});
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > limit) throw over(decoder ? `decompresses to` : 'holds');
      if (options.json && size === chunk.length && /^\s*</.test(chunk.toString('latin1', 0, 64))) {
        throw new RemoteError('ERR_REMOTE_WRONG_TYPE', url.href, 'answers with HTML where JSON was expected (a login, block or error page?)');
      }
      if (options.onChunk) options.onChunk(chunk);
      else chunks.push(chunk);
    }
  } finally {
    if (!res.complete) res.destroy();
  }
  if (!res.complete) throw new RemoteError('ERR_REMOTE_RESET', url.href, `the connection closed after ${size} bytes, before the end of the answer`);
  if (signed !== undefined && size < signed) throw new RemoteError('ERR_REMOTE_TRUNCATED', url.href, `holds ${size} of its signed ${signed} bytes (truncated)`);
  return { size, body: options.onChunk ? Buffer.alloc(0) : Buffer.concat(chunks) };
}

function networkError(url: URL, error: unknown): RemoteError {
  const e = error as NodeJS.ErrnoException;
  if (error instanceof RemoteError) return error;
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) return new RemoteError('ERR_REMOTE_ENCODING', url.href, `compressed bytes that do not decompress (${e.code})`, { cause: error });
  if (error instanceof NewsmirrorError) return new RemoteError('ERR_REMOTE_UNREACHABLE', url.href, error.message, { cause: error });
  if (e.code === 'ECONNRESET' || e.message === 'aborted') return new RemoteError('ERR_REMOTE_RESET', url.href, `the connection was reset (${e.code ?? e.message})`);
  return new RemoteError('ERR_REMOTE_UNREACHABLE', url.href, e.code ?? e.message, { cause: error });
}

/**
 * GET `href`. Resolves to the file, or undefined when the server answers 404
 * or 410; throws a RemoteError for everything else that is not a complete,
 * in-bounds 200 answer (or the signal's reason when the caller aborted).
 */
export async function fetchFile(href: string, options: FetchFileOptions): Promise<FetchedFile | undefined> {
  const origin = new URL(href);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const total = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, total]) : total;
  let url = origin;
  for (let hop = 0; ; hop++) {
    let opened: Opened | undefined;
    try {
      opened = await open(url, options, signal);
      const { res } = opened;
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location) {
        res.destroy();
        if (hop >= (options.maxRedirects ?? 5)) throw new RemoteError('ERR_REMOTE_REDIRECT', origin.href, `more than ${options.maxRedirects ?? 5} redirects`);
        url = redirectTarget(url, origin, location, options.redirects ?? 'same');
        continue;
      }
      if (status === 404 || status === 410) {
        res.destroy();
        return undefined;
      }
      if (status !== 200) {
        res.destroy();
        throw new RemoteError('ERR_REMOTE_HTTP', url.href, `HTTP ${status}`);
      }
      const contentType = String(res.headers['content-type'] ?? '');
      if (options.json && isHtml(contentType)) {
        res.destroy();
        throw new RemoteError('ERR_REMOTE_WRONG_TYPE', url.href, `answers ${contentType.split(';')[0]} where JSON was expected (a login, block or error page?)`);
      }
      const { size, body } = await readBody(url, res, options);
      return { url: url.href, size, body, contentType };
    } catch (error) {
      options.signal?.throwIfAborted();
      const stalled = opened?.stalled();
      if (stalled) throw stalled;
      if (total.aborted) throw new RemoteError('ERR_REMOTE_TIMEOUT', url.href, `no complete answer within ${timeoutMs / 1000} s`);
      throw networkError(url, error);
    }
  }
}
