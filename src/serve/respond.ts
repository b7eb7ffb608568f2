/**
 * Sending one representation: content negotiation (br, gzip, identity), ETag
 * and If-None-Match, a single byte Range (206/416, If-Range), HEAD.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Representation {
  /** Uncompressed bytes. */
  bytes: Uint8Array;
  type: string;
  /** Strong ETag of the bytes, quoted. */
  etag: string;
  cacheControl: string;
  /** Compressed variants, made once and cached by the caller (undefined: do not compress). */
  compressed?: () => { br: Uint8Array; gzip: Uint8Array };
  headers?: Record<string, string>;
  status?: number;
}

/** The encodings a client accepts, with q > 0. */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) <= 0) continue;
    out.add(name);
  }
  return out;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → [start, end] inclusive; 'unsatisfiable'; undefined to ignore the header. */
export function parseRange(header: string, size: number): [number, number] | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined; // several ranges or another unit: send the whole thing
  const [, a = '', b = ''] = match;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    return [Math.max(0, size - n), size - 1];
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || (b !== '' && Number(b) < start)) return 'unsatisfiable';
  return [start, end];
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

export function send(req: IncomingMessage, res: ServerResponse, rep: Representation): void {
  const head = req.method === 'HEAD';
  res.setHeader('Content-Type', rep.type);
  res.setHeader('Cache-Control', rep.cacheControl);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [k, v] of Object.entries(rep.headers ?? {})) res.setHeader(k, v);
  const status = rep.status ?? 200;
  let body: Uint8Array = rep.bytes;
  let etag = rep.etag;
  const rangeHeader = status === 200 ? req.headers.range : undefined;
  const ifRange = req.headers['if-range'];
  const range = rangeHeader && (!ifRange || etagMatches(String(ifRange), rep.etag)) ? parseRange(rangeHeader, body.length) : undefined;
  if (status === 200) res.setHeader('Accept-Ranges', 'bytes');
  if (rep.compressed) res.setHeader('Vary', 'Accept-Encoding');
  if (rep.compressed && range === undefined) {
    const accepted = acceptedEncodings(req.headers['accept-encoding']);
    const encoding = accepted.has('br') ? 'br' : accepted.has('gzip') ? 'gzip' : undefined;
    if (encoding) {
      body = rep.compressed()[encoding];
      etag = `${rep.etag.slice(0, -1)}-${encoding}"`;
      res.setHeader('Content-Encoding', encoding);
    }
  }
  res.setHeader('ETag', etag);
  if (status === 200 && etagMatches(req.headers['if-none-match'], etag)) {
    res.statusCode = 304;
    res.removeHeader('Content-Encoding');
    res.end();
    return;
  }
  if (range === 'unsatisfiable') {
    res.statusCode = 416;
    res.setHeader('Content-Range', `bytes */${body.length}`);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    const text = `range not satisfiable: the file has ${body.length} bytes\n`;
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end(head ? undefined : text);
    return;
  }
  if (range) {
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${range[0]}-${range[1]}/${body.length}`);
    body = body.subarray(range[0], range[1] + 1);
  } else res.statusCode = status;
  res.setHeader('Content-Length', body.length);
  res.end(head ? undefined : body);
}

/** A short plain-text answer (errors, redirects). */
export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(res.req?.method === 'HEAD' ? undefined : text);
}
