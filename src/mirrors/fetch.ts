/** GET a mirror's file over HTTP(S), directly or through SOCKS5, with a timeout, a size cap and bounded redirects. */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { NewsmirrorError } from '../core/errors.ts';
import { socksConnect } from './socks.ts';

export interface FetchOptions {
  signal?: AbortSignal;
  /** host:port of a SOCKS5 proxy (tor), used for every request when set. */
  socks?: string;
  maxBytes: number;
  maxRedirects?: number;
}

export interface Fetched {
  status: number;
  body: Buffer;
  url: string;
}

/** A network failure (the host did not answer properly): the mirror is down. */
export class FetchError extends NewsmirrorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_NETWORK', message, options);
  }
}

function once(url: URL, options: FetchOptions): Promise<{ res: IncomingMessage; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const https = url.protocol === 'https:';
    const port = Number(url.port) || (https ? 443 : 80);
    const create = options.socks
      ? (_opts: unknown, callback: (error: Error | null, socket?: Socket) => void) => {
          const socks = options.socks as string;
          socksConnect(socks, url.hostname, port, options.signal).then(
            (socket) => callback(null, https ? tlsConnect({ socket, servername: url.hostname }) : socket),
            (error: Error) => callback(error),
          );
          return undefined;
        }
      : undefined;
    const req = (https ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      headers: { 'user-agent': 'newsmirror-check/1', accept: '*/*' },
      signal: options.signal,
      // Without an agent, node calls createConnection (callback form: the SOCKS handshake is async).
      ...(create ? { createConnection: create as never } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          req.destroy(new FetchError(`${url.href} is larger than ${options.maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function fetchBytes(href: string, options: FetchOptions): Promise<Fetched> {
  let url = new URL(href);
  for (let hop = 0; ; hop++) {
    let answer;
    try {
      answer = await once(url, options);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (error instanceof NewsmirrorError) throw error;
      const e = error as NodeJS.ErrnoException;
      throw new FetchError(`${url.href}: ${e.code ?? e.message}`, { cause: error });
    }
    const { res, body } = answer;
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location) {
      if (hop >= (options.maxRedirects ?? 5)) throw new FetchError(`${href}: too many redirects`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch (error) {
        throw new FetchError(`${url.href} redirects to ${JSON.stringify(location.slice(0, 200))}, which is not a URL`, { cause: error });
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new FetchError(`${url.href} redirects to ${next.protocol} (only http and https are followed)`);
      url = next;
      continue;
    }
    return { status, body, url: url.href };
  }
}
