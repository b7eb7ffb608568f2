/**
 * The previous offline bundle as a cache: a file whose sha256 is the same as
 * in the previous manifest keeps its whole local record (header, name,
 * compressed bytes) from the previous dist/site.zip, copied in runs instead of
 * being read and deflated again; and the pieces of the deflated site.car entry
 * (see deflatePiece: each piece is a run of CAR blocks deflated on its own)
 * are taken again by the CIDs of their blocks. Used only when that bundle is
 * the one the last seal wrote (size and mtime, recorded in
 * .newsmirror/cache/zip.json with the zlib version that deflated it and the
 * index of its pieces) and it carries that very manifest; every copied header
 * is checked against what the writer would write. Otherwise everything is
 * deflated, as on a cold run, with the same bytes as a result.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, sha256File } from '../core/fs.ts';
import { DEFLATE_END, ZipReader, type Manifest, type ZipEntry } from '../sealed/index.ts';
import { cacheDir } from './inputs.ts';

const FORMAT = 2;

interface ZipStamp {
  format: number;
  zlib: string;
  size: number;
  mtimeMs: number;
  /** sha256 of the bundle: one restored from a cache or a backup (another mtime) is still known by its bytes. */
  sha256?: string;
  /** The pieces of the site.car entry's data, in order: [key, compressed length]. */
  car: [string, number][];
}

export const zipStampPath = (root: string): string => join(cacheDir(root), 'zip.json');

/** The stamp (zip.json bytes) for a bundle just written: its size, mtime and sha256, and the keys and lengths of its CAR pieces. */
export async function zipStamp(zipPath: string, car: [string, number][], sha256: string): Promise<Buffer> {
  const info = await stat(zipPath);
  const stamp: ZipStamp = { format: FORMAT, zlib: process.versions.zlib ?? '', size: info.size, mtimeMs: info.mtimeMs, sha256, car };
  return Buffer.from(`${JSON.stringify(stamp)}\n`, 'utf8');
}

export interface PreviousZip {
  /** The entry site/`path` if the previous bundle had exactly these bytes (`sha256`) there. */
  entry(path: string, sha256: string): ZipEntry | undefined;
  /** Raw bytes of the previous bundle. */
  readRaw(at: number, length: number): Buffer;
  /** A deflated piece of the previous site.car entry by its key. */
  piece(key: string): Buffer | undefined;
  /** Entries and CAR pieces taken. */
  readonly reused: number;
  readonly pieces: number;
  close(): Promise<void>;
}

/**
 * The previous bundle, if it can serve as a cache for the next one; undefined
 * means deflate everything. `previous` is the verified manifest in dist/ and
 * its exact bytes, which the bundle's site/manifest.json must be.
 */
export async function openPreviousZip(root: string, zipPath: string, trusted: { manifest: Manifest; bytes: Uint8Array } | undefined): Promise<PreviousZip | undefined> {
  if (!trusted) return undefined;
  const previous = trusted.manifest;
  let stamp: ZipStamp | null;
  try {
    stamp = await readJsonFile<ZipStamp | null>(zipStampPath(root), null);
  } catch {
    return undefined;
  }
  const info = await stat(zipPath).catch(() => undefined);
  if (!stamp || stamp.format !== FORMAT || !info || stamp.zlib !== process.versions.zlib || stamp.size !== info.size || !Array.isArray(stamp.car)) return undefined;
  // Another mtime: the same bundle restored (a CI cache, a backup) if its bytes are the ones stamped; reading it costs far less than deflating every file again.
  if (stamp.mtimeMs !== info.mtimeMs && (typeof stamp.sha256 !== 'string' || (await sha256File(zipPath).catch(() => '')) !== stamp.sha256)) return undefined;
  let reader: ZipReader;
  try {
    reader = await ZipReader.open(zipPath);
  } catch {
    return undefined;
  }
  const pieces = new Map<string, [number, number]>();
  try {
    // The same bytes, not just the same JSON: no parsing and printing of a manifest of every file twice.
    if (!(await reader.read('site/manifest.json')).equals(trusted.bytes)) throw new Error('another manifest');
    // The pieces must tile the CAR entry's data exactly, the end block after them.
    const car = reader.entries.get('site.car');
    if (car && car.method === 8) {
      let at = reader.dataStartOf(car);
      const end = at + car.csize - DEFLATE_END.length;
      for (const piece of stamp.car) {
        if (!Array.isArray(piece) || typeof piece[0] !== 'string' || !Number.isSafeInteger(piece[1]) || piece[1] <= 0) throw new Error('bad piece');
        pieces.set(piece[0], [at, piece[1]]);
        at += piece[1];
      }
      if (at !== end || !reader.readRaw(end, DEFLATE_END.length).equals(DEFLATE_END)) pieces.clear();
    }
  } catch {
    await reader.close();
    return undefined;
  }
  const known = new Map(previous.files.map((f) => [f.path, f.sha256]));
  let reused = 0;
  let taken = 0;
  return {
    get reused() {
      return reused;
    },
    get pieces() {
      return taken;
    },
    entry(path, sha256) {
      if (known.get(path) !== sha256) return undefined;
      const entry = reader.entries.get(`site/${path}`);
      if (entry) reused++;
      return entry;
    },
    readRaw: (at, length) => reader.readRaw(at, length),
    piece(key) {
      const at = pieces.get(key);
      if (!at) return undefined;
      taken++;
      return reader.readRaw(at[0], at[1]);
    },
    close: () => reader.close(),
  };
}
