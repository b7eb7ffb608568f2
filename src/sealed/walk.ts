/** List a site folder (sorted, regular files only) and read its files ahead, in order. */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { NewsmirrorError } from '../core/errors.ts';

export interface SiteFile {
  /** Site-relative path with forward slashes. */
  path: string;
  /** Absolute path on disk. */
  abs: string;
}

export interface SiteListing {
  files: SiteFile[];
  /** Folders with nothing in them (IPFS keeps them, so the CID does too). */
  emptyDirs: string[];
}

/** Site-relative paths only: no absolute paths, no `.`/`..`/empty segments, no backslashes or NUL. */
export function isSafePath(path: string): boolean {
  if (!path || path.startsWith('/') || /[\\\0]/.test(path)) return false;
  return path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/**
 * Byte order of the UTF-8 paths: the order Kubo and dag-pb use. Where two paths first differ
 * in UTF-16 code units below the surrogates (U+D800), those units are code points and UTF-8
 * keeps code point order, so they decide without encoding anything (a seal of 210,000 files
 * sorts them several times: 0.66 s each when every comparison encoded both paths).
 */
export function comparePaths(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Sort `items` in place by comparePaths of `key`. When no key holds a character beyond U+FFFF
 * (checked once per item), JavaScript's own order is that order and the sort is several times
 * faster (210,000 paths: 0.09 s against 0.44 s).
 */
export function sortByPath<T>(items: T[], key: (item: T) => string): T[] {
  if (items.some((item) => SURROGATE.test(key(item)))) return items.sort((a, b) => comparePaths(key(a), key(b)));
  return items.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * Every regular file under `dir`, sorted by path. A symlink or special file is
 * an error: the site must be plain files so that what is signed is what is served.
 */
export async function listSite(dir: string, options: { exclude?: (path: string) => boolean; signal?: AbortSignal } = {}): Promise<SiteListing> {
  const files: SiteFile[] = [];
  const emptyDirs: string[] = [];
  const walk = async (abs: string, rel: string): Promise<void> => {
    options.signal?.throwIfAborted();
    const entries = await readdir(abs, { withFileTypes: true });
    let kept = 0;
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (options.exclude?.(path)) continue;
      kept++;
      const child = join(abs, entry.name);
      if (entry.isDirectory()) await walk(child, path);
      else if (entry.isFile()) files.push({ path, abs: child });
      else throw new NewsmirrorError('ERR_SITE_ENTRY', `${child} is ${entry.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; the site must hold plain files and folders only (copy the target in instead)`);
    }
    if (kept === 0 && rel) emptyDirs.push(rel);
  };
  try {
    await walk(dir, '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NewsmirrorError('ERR_NO_SITE', `${dir} does not exist; run \`newsmirror build\` first`, { cause: error });
    }
    throw error;
  }
  sortByPath(files, (f) => f.path);
  sortByPath(emptyDirs, (d) => d);
  return { files, emptyDirs };
}

/**
 * Yield each file with its bytes, in order. Reads are synchronous: for the
 * many small files of a site that is several times faster than a round trip
 * through the thread pool per file, and each read blocks only for its own bytes.
 */
export async function* readInOrder(files: SiteFile[], options: { signal?: AbortSignal } = {}): AsyncGenerator<{ file: SiteFile; bytes: Buffer }> {
  for (const file of files) {
    options.signal?.throwIfAborted();
    yield { file, bytes: readFileSync(file.abs) };
  }
}
