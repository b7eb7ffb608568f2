/**
 * The sha256 of every _site/ file as the last seal found it
 * (.newsmirror/cache/seal-hashes.json): path → [stat key, sha256], the stat
 * key being "size:mtimeMs:ino" (an unchanged page of an incremental build is a
 * hard link of the previous one: same inode, size and mtime). A file is read
 * and hashed again unless its stat key is the recorded one, the cache was
 * written with the manifest now in dist/ (its sha256), that manifest's
 * signature verifies, and it lists the same sha256 for the path. So a stale,
 * damaged or edited cache costs reading, never a wrong hash in a manifest.
 * Safe to delete: the next seal reads every file once.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, statKey } from '../core/fs.ts';
import type { Manifest } from '../sealed/index.ts';
import type { SiteFile } from '../sealed/index.ts';
import { cacheDir } from './inputs.ts';

const FORMAT = 1;

interface HashCache {
  format: number;
  /** sha256 of the dist/manifest.json bytes this cache was written with. */
  manifest: string;
  files: Record<string, [string, string]>;
}

export interface HashedFile extends SiteFile {
  size: number;
  sha256: string;
  /** "size:mtimeMs:ino" when hashed. */
  stat: string;
}

export const siteHashesPath = (root: string): string => join(cacheDir(root), 'seal-hashes.json');

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The cached hashes that may be trusted: those of a cache written with
 * `previous` (the verified manifest in dist/, and its exact bytes) that agree with it.
 */
export async function loadSiteHashes(root: string, previous: { manifest: Manifest; bytes: Uint8Array } | undefined): Promise<Map<string, [string, string]>> {
  const trusted = new Map<string, [string, string]>();
  if (!previous) return trusted;
  let cache: HashCache | null;
  try {
    cache = await readJsonFile<HashCache | null>(siteHashesPath(root), null);
  } catch {
    return trusted;
  }
  if (!cache || cache.format !== FORMAT || cache.manifest !== sha256(previous.bytes) || typeof cache.files !== 'object' || cache.files === null) return trusted;
  const listed = new Map(previous.manifest.files.map((f) => [f.path, f.sha256]));
  for (const [path, entry] of Object.entries(cache.files)) {
    if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string' && listed.get(path) === entry[1]) trusted.set(path, [entry[0], entry[1]]);
  }
  return trusted;
}

/**
 * Stat every file; hash those whose stat key is not in `trusted` (read
 * synchronously: many small files). `onFile` sees each file, `read` says whether it was read.
 */
export function hashSiteFiles(files: SiteFile[], trusted: Map<string, [string, string]>, options: { signal?: AbortSignal; onFile?: (file: HashedFile, read: boolean) => void } = {}): HashedFile[] {
  const out: HashedFile[] = [];
  for (const file of files) {
    options.signal?.throwIfAborted();
    const before = statSync(file.abs);
    const key = statKey(before);
    const cached = trusted.get(file.path);
    if (cached && cached[0] === key) {
      const hashed = { ...file, size: before.size, sha256: cached[1], stat: key };
      out.push(hashed);
      options.onFile?.(hashed, false);
      continue;
    }
    const bytes = readFileSync(file.abs);
    const hashed = { ...file, size: bytes.length, sha256: sha256(bytes), stat: key };
    out.push(hashed);
    options.onFile?.(hashed, true);
  }
  return out;
}

/** The cache file's bytes for the files of a seal whose dist/manifest.json is `manifestBytes`. */
export function serializeSiteHashes(manifestBytes: Uint8Array, files: HashedFile[]): Buffer {
  const cache: HashCache = { format: FORMAT, manifest: sha256(manifestBytes), files: Object.fromEntries(files.map((f) => [f.path, [f.stat, f.sha256]])) };
  return Buffer.from(`${JSON.stringify(cache)}\n`, 'utf8');
}
