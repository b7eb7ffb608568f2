/** One way to read a sealed site, whatever holds it: a folder, a CAR or the offline bundle (ZIP). */
import { lstat, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NewsmirrorError } from '../core/errors.ts';
import { CarFile, listUnixfsFiles, readUnixfsFile } from './car-read.ts';
import { listSite } from './walk.ts';
import { ZipReader } from './zip.ts';

export interface SiteReader {
  kind: 'dir' | 'car' | 'zip';
  label: string;
  /** Every file of the site (manifest.json and manifest.sig included), site-relative. */
  list(): Promise<string[]>;
  /** A file's bytes; undefined when there is no such file. */
  read(path: string): Promise<Uint8Array | undefined>;
  close(): Promise<void>;
  /** The CAR, when the source is one (its blocks, root and block problems). */
  car?: CarFile;
  /** The bundle, when the source is one. */
  zip?: ZipReader;
}

/** Site-relative paths only: no absolute paths, no `.`/`..`/empty segments, no backslashes or NUL. */
export function isSafePath(path: string): boolean {
  if (!path || path.startsWith('/') || /[\\\0]/.test(path)) return false;
  return path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** The folder the offline bundle keeps the site in. */
export const ZIP_SITE = 'site/';

function dirReader(dir: string): SiteReader {
  return {
    kind: 'dir',
    label: dir,
    async list() {
      return (await listSite(dir)).files.map((f) => f.path);
    },
    async read(path) {
      if (!isSafePath(path)) return undefined;
      const abs = join(dir, path);
      try {
        if (!(await lstat(abs)).isFile()) return undefined;
        return await readFile(abs);
      } catch (error) {
        if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
        throw error;
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
    async read(path) {
      return isSafePath(path) && zip.entries.has(ZIP_SITE + path) ? zip.read(ZIP_SITE + path) : undefined;
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
    async read(path) {
      return car.root && isSafePath(path) ? readUnixfsFile(car.root, path, car) : undefined;
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
  if (/\.car$/i.test(source)) return carReader(await CarFile.open(source, signal));
  if (/\.zip$/i.test(source)) return zipReader(await ZipReader.open(source));
  throw new NewsmirrorError('ERR_NO_SOURCE', `${source} is neither a folder, a .car nor a .zip`);
}
