/**
 * The previous offline bundle as a cache: a file whose sha256 is the same as
 * in the previous manifest keeps its compressed bytes from the previous
 * dist/site.zip instead of being deflated again. Used only when that bundle
 * is the one the last seal wrote (its size and mtime, recorded in
 * .newsmirror/cache/zip.json with the zlib version that deflated it) and it
 * carries that very manifest; otherwise every file is deflated, as on a cold
 * run, with the same bytes as a result.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from '../core/fs.ts';
import { parseManifest, ZipReader, type CompressedData, type Manifest } from '../sealed/index.ts';
import { cacheDir } from './inputs.ts';

interface ZipStamp {
  zlib: string;
  size: number;
  mtimeMs: number;
}

const stampPath = (root: string) => join(cacheDir(root), 'zip.json');

/** After a seal: remember which bundle it wrote, so the next seal may take entries from it. */
export async function rememberZip(root: string, zipPath: string): Promise<void> {
  const info = await stat(zipPath);
  await writeJsonFile(stampPath(root), { zlib: process.versions.zlib ?? '', size: info.size, mtimeMs: info.mtimeMs } satisfies ZipStamp);
}

export interface PreviousZip {
  /** The stored form of site/`path` if the previous build had exactly these bytes (`sha256`) there. */
  reuse(path: string, sha256: string): Promise<CompressedData | undefined>;
  readonly reused: number;
  close(): Promise<void>;
}

/** The previous bundle, if it can serve as a cache for the next one; undefined means deflate everything. */
export async function openPreviousZip(root: string, zipPath: string, previous: Manifest | undefined): Promise<PreviousZip | undefined> {
  if (!previous) return undefined;
  const stamp = await readJsonFile<ZipStamp | null>(stampPath(root), null);
  const info = await stat(zipPath).catch(() => undefined);
  if (!stamp || !info || stamp.zlib !== process.versions.zlib || stamp.size !== info.size || stamp.mtimeMs !== info.mtimeMs) return undefined;
  let reader: ZipReader;
  try {
    reader = await ZipReader.open(zipPath);
  } catch {
    return undefined;
  }
  try {
    const carried = parseManifest(await reader.read('site/manifest.json'), `${zipPath}: site/manifest.json`);
    if (JSON.stringify(carried) !== JSON.stringify(previous)) {
      await reader.close();
      return undefined;
    }
  } catch {
    await reader.close();
    return undefined;
  }
  const known = new Map(previous.files.map((f) => [f.path, f.sha256]));
  let reused = 0;
  return {
    get reused() {
      return reused;
    },
    async reuse(path, sha256) {
      if (known.get(path) !== sha256 || !reader.entries.has(`site/${path}`)) return undefined;
      reused++;
      return reader.readStored(`site/${path}`);
    },
    close: () => reader.close(),
  };
}
