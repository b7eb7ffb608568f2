/** Every file under a folder, for byte-for-byte comparisons of two builds. */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Root-relative path → sha256 hex of the file's bytes, in path order. */
export async function fileTree(dir: string): Promise<Map<string, string>> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const out: [string, string][] = [];
  for (const f of files) {
    const path = join(f.parentPath, f.name);
    out.push([path.slice(dir.length + 1), createHash('sha256').update(await readFile(path)).digest('hex')]);
  }
  return new Map(out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
