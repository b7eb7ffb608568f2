import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, createReadStream, linkSync, mkdirSync, statSync, type Stats } from 'node:fs';
import { copyFile, link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

/**
 * What says a file is the one hashed before, without reading it: "size:mtimeMs:ino". The caches
 * keyed by it (inputs, render catalog and pages, seal hashes) share it. Not ctime: hard-linking a
 * file (staging, an incremental _site/) changes it, and a file is replaced or written (another
 * inode, or another mtime), never edited in place keeping size and mtime, by anything here.
 */
export const statKey = (info: Stats): string => `${info.size}:${info.mtimeMs}:${info.ino}`;

/**
 * Write a file so that readers see either the old or the new bytes, never half:
 * a temp file beside it, fsync, then rename over the target.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<string>, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', mode);
  try {
    // Pieces (lines of a large cache) are written one after another: never one string of the whole file.
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else for (const piece of data) await handle.writeFile(piece);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Read and parse a JSON state file; `fallback` when it does not exist. Every
 * such file is state the pipeline rebuilds (health, ETags, indexes), so one
 * that is not JSON (a hand edit, a disk fault) is set aside as `<file>.corrupt`
 * with a warning and read as missing: it must not stop every later run.
 */
export async function readJsonFile<T>(path: string, fallback: T): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    const aside = `${path}.corrupt`;
    await rename(path, aside);
    process.emitWarning(`${path} was not valid JSON (${(error as Error).message}); moved it to ${aside} and started afresh`, { code: 'NEWSMIRROR_CORRUPT_STATE' });
    return fallback;
  }
}

/** Write JSON atomically, two-space indented, with a final newline. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Whether something exists at `path` (following symlinks). */
export async function pathExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Hard-link `from` to `to` (no bytes copied; a file is only ever replaced, never written in place), else copy. */
export async function linkOrCopy(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

/** Folders created by linkOrCopySync in this process (a build links thousands of files into a few hundred folders). */
const madeDirs = new Set<string>();

/** linkOrCopy, synchronously and for thousands of files: folders made once, only "cannot link here" falls back to a copy. */
export function linkOrCopySync(from: string, to: string): void {
  const folder = dirname(to);
  if (!madeDirs.has(folder)) {
    mkdirSync(folder, { recursive: true });
    madeDirs.add(folder);
  }
  try {
    linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !statSync(folder, { throwIfNoEntry: false })) {
      // The folder went away since (a staging folder removed and made again): make it and try once more.
      mkdirSync(folder, { recursive: true });
      linkOrCopySync(from, to);
      return;
    }
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw error;
    copyFileSync(from, to);
  }
}

/** The sha256 of a file on disk, streamed in 1 MiB reads (lowercase hex). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
