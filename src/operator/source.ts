/**
 * Where an operator's copy comes from: a mirror URL (domain root or subpath),
 * `ipfs://<cid>` or `/ipfs/<cid>` through the operator's own gateways, a
 * `.car`, a `.zip` or a local folder. Every kind is read the same way: a file
 * by site path, bounded, or undefined when the copy does not have it.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { UsageError } from '../core/errors.ts';
import { openSite, type Digest } from '../sealed/index.ts';
import { openRemote } from '../remote/index.ts';

export interface CopySource {
  /** What the operator gave, for messages. */
  label: string;
  kind: 'url' | 'dir' | 'car' | 'zip';
  /** The base URL, for a remote copy. */
  url?: string;
  /** A file of the site (manifest.json included); undefined when the copy lacks it. */
  read(path: string, maxBytes: number): Promise<Uint8Array | undefined>;
  /** A file beside the site (release.json, site.zip, deltas/…); undefined when there is none. */
  readBeside(path: string, maxBytes: number): Promise<Uint8Array | undefined>;
  /**
   * A file beside the site of `size` bytes (the signed size: longer or shorter is an error),
   * written to the new file `dest` piece by piece, never whole in memory (a bundle of a
   * 100,000-article site is gigabytes); its size and sha256, or undefined when there is none.
   */
  saveBeside(path: string, size: number, dest: string): Promise<Digest | undefined>;
  close(): Promise<void>;
}

/**
 * Write what `produce` hands to `onChunk` into the new file `dest`, hashing it on the way;
 * `dest` is removed when `produce` finds nothing (false) or fails.
 */
async function saveChunks(dest: string, produce: (onChunk: (chunk: Uint8Array) => void) => Promise<boolean>): Promise<Digest | undefined> {
  const fd = openSync(dest, 'wx');
  const hash = createHash('sha256');
  let size = 0;
  let found = false;
  try {
    found = await produce((chunk) => {
      for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at);
      hash.update(chunk);
      size += chunk.length;
    });
  } finally {
    closeSync(fd);
    if (!found) rmSync(dest, { force: true });
  }
  return found ? { size, sha256: hash.digest('hex') } : undefined;
}

/** `ipfs://<cid>[/path]` or `/ipfs/<cid>[/path]` → the path after /ipfs/, else undefined. */
export function ipfsPath(spec: string): string | undefined {
  const m = /^(?:ipfs:\/\/|\/ipfs\/)([A-Za-z0-9]{20,100})(\/.*)?$/.exec(spec);
  return m ? `${m[1]}${(m[2] ?? '/').replace(/\/?$/, '/')}` : undefined;
}

export function isUrl(spec: string): boolean {
  return /^https?:\/\//i.test(spec);
}

function remote(base: string, signal: AbortSignal | undefined, timeoutMs: number, socks: string | undefined): CopySource {
  const copy = openRemote(base, { signal, timeoutMs, socks });
  const read = (path: string, maxBytes: number) => copy.read(path, maxBytes, { json: path.endsWith('.json') });
  return {
    label: copy.base,
    kind: 'url',
    url: copy.base,
    read,
    readBeside: read,
    saveBeside: (path, size, dest) => saveChunks(dest, async (onChunk) => (await copy.fetch(path, { maxBytes: size, expectedSize: size, onChunk })) !== undefined),
    async close() {
      copy.close();
    },
  };
}

/**
 * The copies a source names, in the order to try them: one for a URL or a
 * local path, one per gateway for an IPFS path (none without gateways).
 */
export function sourceCandidates(spec: string, gateways: string[]): string[] {
  const ipfs = ipfsPath(spec);
  if (ipfs) {
    if (gateways.length === 0) throw new UsageError(`${spec} is an IPFS path, and no gateway is listed; pass --gateway https://<a gateway you trust to reach>/ (repeatable), or clone from a mirror URL, a .car or a .zip`);
    return gateways.map((g) => `${g.replace(/\/+$/, '')}/ipfs/${ipfs}`);
  }
  return [spec];
}

/** Open one candidate (a URL, or a local folder / .car / .zip); a URL through the SOCKS5 proxy `socks` (tor) when given, which .onion needs. */
export async function openSource(spec: string, options: { signal?: AbortSignal; timeoutMs?: number; socks?: string } = {}): Promise<CopySource> {
  if (isUrl(spec)) return remote(spec, options.signal, options.timeoutMs ?? 60_000, options.socks);
  const site = await openSite(spec, options.signal);
  return {
    label: spec,
    kind: site.kind,
    read: (path, maxBytes) => site.read(path, maxBytes),
    // A published folder keeps release.json, site.zip and deltas/ beside the site; an archive has none.
    readBeside: async (path, maxBytes) => (site.kind === 'dir' ? site.read(path, maxBytes) : undefined),
    saveBeside: async (path, size, dest) => (site.stream ? saveChunks(dest, (onChunk) => site.stream!(path, size, onChunk)) : undefined),
    close: () => site.close(),
  };
}
