/** Reading a published copy over HTTP(S): one file at a time, with a timeout and a size cap; files are hashed as they stream. */
import { createHash } from 'node:crypto';
import { NewsmirrorError } from '../core/errors.ts';
import { TooLargeError, type Digest } from '../sealed/index.ts';


export interface FetchedSite {
  label: string;
  /** The whole body (up to maxBytes, else an ERR_TOO_LARGE error); undefined when the server answers 404/410. */
  read(path: string, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array | undefined>;
  /** Length and sha256 of the body, never holding it in memory; stops reading past maxBytes. */
  digest(path: string, maxBytes: number, signal?: AbortSignal): Promise<Digest | undefined>;
}

export function urlSite(base: string, options: { timeoutMs?: number } = {}): FetchedSite {
  const root = new URL(base.endsWith('/') ? base : `${base}/`);
  const timeoutMs = options.timeoutMs ?? 30_000;
  /** Stream one file's body through `take` (false = stop reading); undefined for 404/410. */
  const get = async (path: string, signal: AbortSignal | undefined, take: (chunk: Uint8Array) => boolean): Promise<true | undefined> => {
    const url = new URL(path.split('/').map(encodeURIComponent).join('/'), root);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const fail = (error: unknown): never => {
      signal?.throwIfAborted();
      if (timeout.aborted) throw new NewsmirrorError('ERR_FETCH', `${url.href}: no complete answer within ${timeoutMs / 1000} s`);
      throw new NewsmirrorError('ERR_FETCH', url.href, { cause: error }); // describeError adds the cause's words
    };
    let response: Response;
    try {
      response = await fetch(url, { signal: combined, redirect: 'follow', headers: { 'accept-encoding': 'identity' } });
    } catch (error) {
      return fail(error);
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel().catch(() => {});
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new NewsmirrorError('ERR_FETCH', `${url.href}: HTTP ${response.status}`);
    }
    try {
      for await (const chunk of response.body ?? []) {
        if (!take(chunk)) {
          await response.body?.cancel().catch(() => {});
          break;
        }
      }
    } catch (error) {
      fail(error);
    }
    return true;
  };
  return {
    label: root.href,
    async read(path, maxBytes, signal) {
      const chunks: Uint8Array[] = [];
      let total = 0;
      const found = await get(path, signal, (chunk) => {
        total += chunk.length;
        chunks.push(chunk);
        return total <= maxBytes;
      });
      if (!found) return undefined;
      if (total > maxBytes) throw new TooLargeError(new URL(path, root).href, maxBytes);
      return Buffer.concat(chunks);
    },
    async digest(path, maxBytes, signal) {
      const hash = createHash('sha256');
      let size = 0;
      let over = false;
      const found = await get(path, signal, (chunk) => {
        const room = maxBytes - size;
        if (chunk.length > room) {
          over = true;
          return false;
        }
        hash.update(chunk);
        size += chunk.length;
        return true;
      });
      if (!found) return undefined;
      return over ? { size: maxBytes, sha256: '', over } : { size, sha256: hash.digest('hex') };
    },
  };
}
