/**
 * The HTTP side of the rebuild trigger, a RequestHandler for serve's
 * startServer({ handlers }): POST /-/rebuild (signed, capped, rate-limited,
 * coalesced) and GET /-/status (the last runs, no secrets).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reporter } from '../core/log.ts';
import { createRateLimiter } from './rate-limit.ts';
import type { RebuildQueue } from './queue.ts';
import type { SecretLookup } from './secrets.ts';
import { SIGNATURE_HEADER, verifyTrigger } from './signature.ts';

/** Same shape as serve's RequestHandler: true when the request was answered. */
export type TriggerRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export const REBUILD_PATH = '/-/rebuild';
export const STATUS_PATH = '/-/status';

export interface TriggerHandlerOptions {
  secrets: SecretLookup;
  queue: RebuildQueue;
  reporter: Reporter;
  /** Largest accepted body in bytes (default 4096; larger → 413). */
  maxBodyBytes?: number;
  /** How long the whole body may take to arrive, in ms (default 10 s; slower → 408, connection closed). */
  bodyTimeoutMs?: number;
  /** Accepted triggers per outlet per window (default 6 a minute; more → 429). */
  rateLimit?: { limit: number; windowMs: number };
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * The raw body; 'too-large' as soon as it passes `max` bytes; 'too-slow' when
 * it has not ended within `timeoutMs` (a body trickled in, or never ended, must
 * not hold a connection until the server's own 5-minute request timeout).
 */
function readBody(req: IncomingMessage, max: number, timeoutMs: number): Promise<Buffer | 'too-large' | 'too-slow'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => finish('too-slow'), timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) finish('too-large');
      else chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks));
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => onError(new Error('the client closed the connection before the body ended'));
    function cleanup() {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    }
    function finish(result: Buffer | 'too-large' | 'too-slow') {
      cleanup();
      req.pause();
      resolve(result);
    }
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

export function createTriggerHandler(options: TriggerHandlerOptions): TriggerRequestHandler {
  const { secrets, queue, reporter, maxBodyBytes = 4096, bodyTimeoutMs = 10_000, now = Date.now } = options;
  const limiter = createRateLimiter({ ...(options.rateLimit ?? { limit: 6, windowMs: 60_000 }), now });
  /** Signatures accepted in the last 6 minutes: the same signed request is never accepted twice. */
  const seen = new Map<string, number>();

  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === STATUS_PATH) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, { error: 'use GET' }, { allow: 'GET, HEAD' });
        return true;
      }
      send(res, 200, queue.status());
      return true;
    }
    if (path !== REBUILD_PATH) return false;
    const from = req.socket.remoteAddress ?? 'unknown';
    const refuse = (status: number, error: string, reason: string, headers?: Record<string, string>) => {
      reporter.warn(`trigger rejected (${status}) from ${from}: ${reason}`);
      send(res, status, { error }, headers);
      return true;
    };
    if (req.method !== 'POST') return refuse(405, 'use POST', `method ${req.method ?? '?'}`, { allow: 'POST' });
    let body: Buffer | 'too-large' | 'too-slow';
    try {
      body = await readBody(req, maxBodyBytes, bodyTimeoutMs);
    } catch (error) {
      reporter.warn(`trigger rejected from ${from}: the request body could not be read (${(error as Error).message})`);
      res.destroy();
      return true;
    }
    if (body === 'too-large' || body === 'too-slow') {
      // The rest of the body is never read: answer, then close the connection.
      res.setHeader('connection', 'close');
      res.once('finish', () => req.socket.destroy());
      if (body === 'too-slow') return refuse(408, 'request body too slow', `body not complete within ${bodyTimeoutMs / 1000} s`);
      return refuse(413, 'body too large', `body over ${maxBodyBytes} bytes`);
    }
    const header = req.headers[SIGNATURE_HEADER];
    const t = now();
    const verdict = verifyTrigger({ body, signature: Array.isArray(header) ? header[0] : header, secretFor: secrets, now: Math.floor(t / 1000) });
    if (!verdict.ok) return refuse(verdict.status, verdict.error, verdict.reason);
    for (const [sig, at] of seen) if (at < t - 360_000) seen.delete(sig);
    const { signature } = verdict;
    if (seen.has(signature)) return refuse(401, 'timestamp outside the allowed window', `replayed request for outlet "${verdict.outlet}" (this exact signature was already accepted)`);
    const allowed = limiter.take(verdict.outlet);
    if (!allowed.ok) return refuse(429, 'too many requests', `outlet "${verdict.outlet}" is over its rate limit`, { 'retry-after': String(allowed.retryAfterSeconds) });
    seen.set(signature, t);
    const record = queue.request(verdict.outlet);
    reporter.info(`trigger accepted from ${from}: rebuild of ${verdict.outlet} (run ${record.run}, ${record.state})`);
    send(res, 202, { accepted: true, outlet: verdict.outlet, run: record.run, state: record.state });
    return true;
  };
}
