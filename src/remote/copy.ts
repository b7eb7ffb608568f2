/** A remote copy of the site (a mirror URL at a domain root, under a subpath, or /ipfs/<cid>/ on a gateway), read file by file. */
import { createHash } from 'node:crypto';
import { NewsmirrorError } from '../core/errors.ts';
import type { CopyAccess, Digest, ManifestFile } from '../sealed/index.ts';
import { RemoteError } from './errors.ts';
import { fetchFile, remoteAgents, type FetchedFile, type FetchFileOptions, type RemoteOptions } from './fetch.ts';
import { isOnion, ONION_NEEDS_SOCKS } from './socks.ts';

/** What to fetch from a copy: the per-file part of FetchFileOptions (the copy supplies the rest). */
export type CopyFetchOptions = Pick<FetchFileOptions, 'maxBytes' | 'expectedSize' | 'json' | 'onChunk' | 'signal'>;

export interface RemoteCopy extends CopyAccess {
  /** The copy's base URL, ending in "/". */
  readonly base: string;
  /** The URL of a site path (each segment percent-encoded). */
  url(path: string): string;
  /** GET a site path with the copy's options; undefined for 404/410; RemoteError otherwise. */
  fetch(path: string, options: CopyFetchOptions): Promise<FetchedFile | undefined>;
  /** Close the kept-alive connections. */
  close(): void;
}

/** The URL of `path` under `base` (ending in "/"), each segment percent-encoded. */
export function pathUrl(base: string, path: string): string {
  return new URL(path.split('/').map(encodeURIComponent).join('/'), base).href;
}

/**
 * A copy at `base` (http or https; a missing final "/" is added, so
 * `https://example.org/news` is the folder `news/`). `signal` in `options`
 * applies to every request; each call may add its own.
 */
export function openRemote(base: string, options: RemoteOptions = {}): RemoteCopy {
  let root: URL;
  try {
    root = new URL(base.endsWith('/') ? base : `${base}/`);
  } catch (error) {
    throw new NewsmirrorError('ERR_REMOTE_URL', `${JSON.stringify(base)} is not a URL; give the address of a copy, e.g. https://example.org/news/`, { cause: error });
  }
  if (root.protocol !== 'http:' && root.protocol !== 'https:') throw new NewsmirrorError('ERR_REMOTE_URL', `${base}: only http and https copies can be read`);
  // Without the proxy the name would go to DNS (which cannot resolve it, and learns it was asked).
  if (!options.socks && isOnion(root.href)) throw new RemoteError('ERR_REMOTE_UNREACHABLE', root.href, `${ONION_NEEDS_SOCKS} to reach it`);
  const agents = options.socks ? undefined : remoteAgents();
  const get = (path: string, file: CopyFetchOptions) => {
    const signals = [options.signal, file.signal].filter((s): s is AbortSignal => s !== undefined);
    return fetchFile(pathUrl(root.href, path), { ...options, ...file, agents, signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0] });
  };
  return {
    base: root.href,
    url: (path) => pathUrl(root.href, path),
    fetch: get,
    async read(path, maxBytes, { json, signal } = {}) {
      return (await get(path, { maxBytes, json, signal }))?.body;
    },
    async digest(file: ManifestFile, signal?: AbortSignal): Promise<Digest | undefined> {
      const hash = createHash('sha256');
      const got = await get(file.path, { maxBytes: file.size, expectedSize: file.size, signal, onChunk: (chunk) => hash.update(chunk) });
      return got && { size: got.size, sha256: hash.digest('hex') };
    },
    close() {
      agents?.http.destroy();
      agents?.https.destroy();
    },
  };
}
