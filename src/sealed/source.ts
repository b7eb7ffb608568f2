/** One way to read a sealed site, whatever holds it: a folder, a CAR or the offline bundle (ZIP). */
import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NewsmirrorError } from '../core/errors.ts';
import { CarFile, listUnixfsFiles, readUnixfsFile } from './car-read.ts';
import { isSafePath, listSite } from './walk.ts';
import { TooLargeError } from './too-large.ts';
import { ZipReader } from './zip.ts';

export interface SiteReader {
  kind: 'dir' | 'car' | 'zip';
  label: string;
  /** Every file of the site (manifest.json and manifest.sig included), site-relative. */
  list(): Promise<string[]>;
  /** A file's bytes; undefined when there is no such file; a TooLargeError past `maxBytes` (default: no limit). */
  read(path: string, maxBytes?: number): Promise<Uint8Array | undefined>;
  /** A folder's file piece by piece (1 MiB at a time, never whole in memory; a piece is valid only during its call); false when there is no such file; a TooLargeError past `maxBytes`. */
  stream?(path: string, maxBytes: number, onChunk: (chunk: Uint8Array) => void): Promise<boolean>;
  close(): Promise<void>;
  /** The CAR, when the source is one (its blocks, root and block problems). */
  car?: CarFile;
  /** The bundle, when the source is one. */
  zip?: ZipReader;
}

/** The folder the offline bundle keeps the site in. */
export const ZIP_SITE = 'site/';

/** Open flags for a file of a folder copy: never follow a final symlink, never block on a FIFO. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Pieces a folder's file is streamed in. */
const STREAM_CHUNK = 1 << 20;

function dirReader(dir: string): SiteReader {
  let realDir: Promise<string> | undefined;
  /** Open a regular file of the folder, at most `maxBytes` long; undefined when there is none. */
  const openFile = async (path: string, maxBytes: number) => {
    if (!isSafePath(path)) return undefined;
    const abs = join(dir, ...path.split('/'));
    let handle;
    try {
      // A symlink anywhere on the way (a folder linked to /etc) is not a file of this copy: nothing is read outside it.
      realDir ??= realpath(dir);
      if ((await realpath(abs)) !== join(await realDir, ...path.split('/'))) return undefined;
      handle = await open(abs, OPEN_FLAGS);
    } catch (error) {
      if (['ENOENT', 'ENOTDIR', 'ELOOP'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw error;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) return void (await handle.close());
      if (info.size > maxBytes) throw new TooLargeError(abs, maxBytes);
      return { handle, abs };
    } catch (error) {
      await handle.close();
      throw error;
    }
  };
  return {
    kind: 'dir',
    label: dir,
    async list() {
      return (await listSite(dir)).files.map((f) => f.path);
    },
    async read(path, maxBytes = Infinity) {
      const file = await openFile(path, maxBytes);
      if (!file) return undefined;
      try {
        return await file.handle.readFile();
      } finally {
        await file.handle.close();
      }
    },
    async stream(path, maxBytes, onChunk) {
      const file = await openFile(path, maxBytes);
      if (!file) return false;
      try {
        const buffer = Buffer.alloc(STREAM_CHUNK);
        let total = 0;
        for (;;) {
          const { bytesRead } = await file.handle.read(buffer, 0, buffer.length, null);
          if (bytesRead === 0) return true;
          // The file grew while being read: the same limit as for read().
          total += bytesRead;
          if (total > maxBytes) throw new TooLargeError(file.abs, maxBytes);
          onChunk(buffer.subarray(0, bytesRead));
        }
      } finally {
        await file.handle.close();
      }
    },
    async close() {},
  };
}

function zipReader(zip: ZipReader): SiteReader {
  return {
    kind: 'zip',
    label: zip.label,
    zip,
    async list() {
      return [...zip.entries.keys()].filter((n) => n.startsWith(ZIP_SITE) && !n.endsWith('/')).map((n) => n.slice(ZIP_SITE.length));
    },
    async read(path, maxBytes) {
      return isSafePath(path) && zip.entries.has(ZIP_SITE + path) ? zip.read(ZIP_SITE + path, maxBytes) : undefined;
    },
    close: () => zip.close(),
  };
}

function carReader(car: CarFile): SiteReader {
  return {
    kind: 'car',
    label: car.label,
    car,
    async list() {
      return car.root ? listUnixfsFiles(car.root, car) : [];
    },
    async read(path, maxBytes) {
      return car.root && isSafePath(path) ? readUnixfsFile(car.root, path, car, maxBytes) : undefined;
    },
    close: () => car.close(),
  };
}

/** Open a folder, a `.car` or a `.zip` (by what the path is, then by its extension). */
export async function openSite(source: string, signal?: AbortSignal): Promise<SiteReader> {
  let info;
  try {
    info = await stat(source);
  } catch (error) {
    throw new NewsmirrorError('ERR_NO_SOURCE', `${source} does not exist; give a site folder, a .car or a .zip`, { cause: error });
  }
  if (info.isDirectory()) return dirReader(source);
  // Opening a FIFO or a device would wait for a writer forever.
  if (!info.isFile()) throw new NewsmirrorError('ERR_NO_SOURCE', `${source} is not a regular file; give a site folder, a .car or a .zip`);
  if (/\.car$/i.test(source)) return carReader(await CarFile.open(source, signal));
  if (/\.zip$/i.test(source)) return zipReader(await ZipReader.open(source));
  throw new NewsmirrorError('ERR_NO_SOURCE', `${source} is neither a folder, a .car nor a .zip`);
}
