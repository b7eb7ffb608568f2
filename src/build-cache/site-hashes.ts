/**
 * The stat key of every _site/ file as the last seal hashed it
 * (.newsmirror/cache/seal-hashes.json): one key per file of the manifest that
 * seal wrote, in the manifest's order, its sha256 being the manifest's. The stat
 * key is "size:mtimeMs:ino" (an unchanged page of an incremental build keeps its
 * file: same inode, size and mtime). A file is read and hashed again unless its
 * stat key is the recorded one, the cache was written with the manifest now in
 * dist/ (its sha256) and that manifest's signature verifies. So a stale or damaged
 * cache costs reading, never a wrong hash in a manifest. Keys only (format 2; format
 * 1 also held each path and sha256): at 100,000 articles the file is 8 MB, not 33 MB,
 * and is read by every seal and by `publish` when it runs on its own. Safe to delete: the next seal reads every file once.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, statKey } from '../core/fs.ts';
import type { Manifest } from '../sealed/index.ts';
import type { SiteFile } from '../sealed/index.ts';
import { cacheDir } from './inputs.ts';
import { sha256Hex } from '../core/hash.ts';

const FORMAT = 2;

interface HashCache {
  format: number;
  /** sha256 of the dist/manifest.json bytes this cache was written with. */
  manifest: string;
  /** The stat key each file of that manifest had when hashed, in the manifest's order ('' for one the seal made itself). */
  stats: string[];
}

export interface HashedFile extends SiteFile {
  size: number;
  sha256: string;
  /** "size:mtimeMs:ino" when hashed. */
  stat: string;
}

export const siteHashesPath = (root: string): string => join(cacheDir(root), 'seal-hashes.json');

/**
 * The cached hashes that may be trusted: path → [stat key, sha256] for the files of
 * `previous` (the verified manifest in dist/, and its exact bytes), when the cache was
 * written with that manifest and has one key for each of its files.
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
  const files = previous.manifest.files;
  if (!cache || cache.format !== FORMAT || cache.manifest !== sha256Hex(previous.bytes) || !Array.isArray(cache.stats) || cache.stats.length !== files.length) return trusted;
  for (const [i, file] of files.entries()) {
    const stat = cache.stats[i];
    if (typeof stat === 'string' && stat !== '') trusted.set(file.path, [stat, file.sha256]);
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
    const hashed = { ...file, size: bytes.length, sha256: sha256Hex(bytes), stat: key };
    out.push(hashed);
    options.onFile?.(hashed, true);
  }
  return out;
}

/** The cache file's bytes for the files of a seal whose dist/manifest.json is `manifestBytes` (`files`: that manifest's files). */
export function serializeSiteHashes(manifestBytes: Uint8Array, files: readonly { path: string }[], hashed: HashedFile[]): Buffer {
  const stats = new Map(hashed.map((f) => [f.path, f.stat]));
  const cache: HashCache = { format: FORMAT, manifest: sha256Hex(manifestBytes), stats: files.map((f) => stats.get(f.path) ?? '') };
  return Buffer.from(`${JSON.stringify(cache)}\n`, 'utf8');
}
