/** Reading a published copy over HTTP(S): one file at a time, with a timeout and a size cap. */
import { NewsmirrorError } from '../core/errors.ts';

export interface FetchedSite {
  label: string;
  /** undefined when the server answers 404/410. */
  read(path: string, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array | undefined>;
}

export function urlSite(base: string, options: { timeoutMs?: number } = {}): FetchedSite {
  const root = new URL(base.endsWith('/') ? base : `${base}/`);
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    label: root.href,
    async read(path, maxBytes, signal) {
      const url = new URL(path.split('/').map(encodeURIComponent).join('/'), root);
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let response: Response;
      try {
        response = await fetch(url, { signal: combined, redirect: 'follow', headers: { 'accept-encoding': 'identity' } });
      } catch (error) {
        signal?.throwIfAborted();
        throw new NewsmirrorError('ERR_FETCH', `${url.href}: ${timeout.aborted ? `no answer within ${timeoutMs / 1000} s` : (error as Error).message}`, { cause: error });
      }
      if (response.status === 404 || response.status === 410) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new NewsmirrorError('ERR_FETCH', `${url.href}: HTTP ${response.status}`);
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      for await (const chunk of response.body ?? []) {
        total += chunk.length;
        if (total > maxBytes) {
          await response.body?.cancel().catch(() => {});
          chunks.push(chunk);
          break;
        }
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    },
  };
}
