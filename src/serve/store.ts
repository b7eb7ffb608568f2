/**
 * What serve serves: a live folder, or a sealed CAR or bundle. Files come back
 * with a strong ETag and lazily made (then cached) brotli and gzip bytes; the
 * blocks for /ipfs/ come from the CAR, or from sealing the site in memory.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { CID } from 'multiformats/cid';
import { importTree, MANIFEST_FILES, MemoryBlocks, parseManifest, type DagEntry, type BlockGetter, openSite, type SiteReader, comparePaths, listSite, readInOrder } from '../sealed/index.ts';
import { contentType, isCompressible } from '../core/mime.ts';

export interface StaticFile {
  bytes: Uint8Array;
  type: string;
  etag: string;
  compressed?: () => { br: Uint8Array; gzip: Uint8Array };
}

/** A file, a folder, nothing, or a path that leads out of the site (a symlink). */
export type Lookup = StaticFile | 'dir' | 'outside' | undefined;

export interface SiteStore {
  label: string;
  /** The largest file served from a CAR or bundle (see MAX_SERVED). */
  maxFileBytes: number;
  /** `path` is site-relative, already split and checked segment by segment ('' = the root). */
  lookup(path: string): Promise<Lookup>;
  /** The blocks of the site as IPFS sees it, and its root CID. */
  blocks(): Promise<{ root: CID; getter: BlockGetter }>;
  close(): Promise<void>;
}

function makeFile(path: string, bytes: Uint8Array): StaticFile {
  const type = contentType(path);
  const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
  let variants: { br: Uint8Array; gzip: Uint8Array } | undefined;
  const compressed = () => {
    variants ??= {
      br: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: bytes.length <= 1 << 20 ? 11 : 6, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
      gzip: gzipSync(bytes, { level: 9 }),
    };
    return variants;
  };
  return { bytes, type, etag, compressed: isCompressible(type) && bytes.length > 256 ? compressed : undefined };
}

/**
 * The largest file served from a CAR or bundle (held in memory whole). A CAR
 * made by someone else can link one block a million times: such a file gets a
 * clear error, not the whole memory.
 */
export const MAX_SERVED = 1 << 30;

/** A size-bounded cache of files (and their compressed bytes), least recently used out first. */
class FileCache {
  private readonly map = new Map<string, { stamp: string; file: StaticFile; cost: number }>();
  private total = 0;
  constructor(private readonly limit = 128 << 20) {}
  get(path: string, stamp: string): StaticFile | undefined {
    const hit = this.map.get(path);
    if (!hit || hit.stamp !== stamp) return undefined;
    this.map.delete(path);
    this.map.set(path, hit);
    return hit.file;
  }
  set(path: string, stamp: string, file: StaticFile): void {
    const old = this.map.get(path);
    if (old) {
      this.total -= old.cost;
      this.map.delete(path);
    }
    const cost = file.bytes.length * 2;
    this.map.set(path, { stamp, file, cost });
    this.total += cost;
    for (const [key, value] of this.map) {
      if (this.total <= this.limit) break;
      this.map.delete(key);
      this.total -= value.cost;
    }
  }
}

/** Seal in memory: the site's DAG, blocks kept in a map (for serving a folder or bundle over /ipfs/). */
async function sealInMemory(entries: AsyncIterable<DagEntry>): Promise<{ root: CID; getter: BlockGetter }> {
  const blocks = new MemoryBlocks();
  const root = await importTree(entries, blocks);
  return { root, getter: { getBlock: async (cid) => blocks.get(cid) } };
}

/**
 * The files a sealed folder's CID is made of: those its manifest lists, plus
 * the manifest and its signature; undefined when the folder has no readable
 * manifest (a build not sealed yet: then every file counts). What a publish
 * target adds to a copy (its marker file) is not part of the sealed site and
 * must not change the CID a served folder answers for.
 */
async function sealedPaths(dir: string): Promise<Set<string> | undefined> {
  let manifest;
  try {
    manifest = parseManifest(await readFile(join(dir, 'manifest.json')), join(dir, 'manifest.json'));
  } catch {
    return undefined;
  }
  const paths = new Set<string>(MANIFEST_FILES);
  for (const file of manifest.files) if (typeof file?.path === 'string') paths.add(file.path);
  return paths;
}

/** A live folder (e.g. _site/ while the trigger rebuilds it, or a published copy). */
export async function folderStore(dir: string, maxFileBytes = MAX_SERVED): Promise<SiteStore> {
  await realpath(dir);
  const cache = new FileCache();
  let sealed: { stamp: string; value: Promise<{ root: CID; getter: BlockGetter }> } | undefined;
  return {
    label: dir,
    maxFileBytes,
    async lookup(path) {
      // Resolve every symlink on the way (not just the last one): the real file must lie inside the site.
      // The root is resolved again each time: an operator folder's _site is a symlink that sync switches to the new version.
      let abs: string;
      let info;
      try {
        const realRoot = await realpath(dir);
        abs = await realpath(join(realRoot, path));
        if (abs !== realRoot && !abs.startsWith(realRoot + sep)) return 'outside';
        info = await stat(abs);
      } catch {
        return undefined;
      }
      if (info.isDirectory()) return 'dir';
      if (!info.isFile()) return undefined;
      const stamp = `${info.ino}:${info.size}:${info.mtimeMs}`;
      const hit = cache.get(path, stamp);
      if (hit) return hit;
      const file = makeFile(path, await readFile(abs));
      cache.set(path, stamp, file);
      return file;
    },
    async blocks() {
      // Re-seal in memory when a new build was made or sealed (build.json or manifest.json changed).
      const realRoot = await realpath(dir);
      const stamps = await Promise.all(['manifest.json', 'build.json'].map(async (name) => {
        const info = await stat(join(realRoot, name)).catch(() => undefined);
        return info ? `${info.ino}:${info.size}:${info.mtimeMs}` : '-';
      }));
      const stamp = stamps.join('|');
      if (!sealed || sealed.stamp !== stamp) {
        const value = sealInMemory((async function* () {
          const { files, emptyDirs } = await listSite(realRoot);
          const sealed = await sealedPaths(realRoot);
          for (const path of emptyDirs) yield { path };
          for await (const { file, bytes } of readInOrder(sealed ? files.filter((f) => sealed.has(f.path)) : files)) yield { path: file.path, content: bytes };
        })());
        value.catch(() => {
          sealed = undefined;
        });
        sealed = { stamp, value };
      }
      return sealed.value;
    },
    async close() {},
  };
}

/** A sealed CAR or bundle: its file list is fixed, so folders are known up front. */
export async function archiveStore(site: SiteReader, maxFileBytes = MAX_SERVED): Promise<SiteStore> {
  const files = new Set(await site.list());
  const dirs = new Set<string>(['']);
  for (const file of files) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const cache = new FileCache();
  let sealed: Promise<{ root: CID; getter: BlockGetter }> | undefined;
  return {
    label: site.label,
    maxFileBytes,
    async lookup(path) {
      if (dirs.has(path)) return 'dir';
      if (!files.has(path)) return undefined;
      const hit = cache.get(path, '');
      if (hit) return hit;
      const bytes = await site.read(path, maxFileBytes);
      if (!bytes) return undefined;
      const file = makeFile(path, bytes);
      cache.set(path, '', file);
      return file;
    },
    blocks() {
      const car = site.car;
      if (car?.root) return Promise.resolve({ root: car.root, getter: car });
      sealed ??= sealInMemory((async function* () {
        for (const path of [...files].sort(comparePaths)) {
          const bytes = await site.read(path);
          if (bytes) yield { path, content: bytes };
        }
      })());
      return sealed;
    },
    close: () => site.close(),
  };
}

/** The store for a folder, a .car or a .zip. */
export async function openStore(source: string, maxFileBytes = MAX_SERVED): Promise<SiteStore> {
  const site = await openSite(source);
  if (site.kind === 'dir') return folderStore(source, maxFileBytes);
  return archiveStore(site, maxFileBytes);
}
