/** Shared by the operator tests: a folder's files and their sha256. */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Every file under dir (dot files too, through a symlinked root) → sha256. */
export async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = sha(await readFile(join(e.parentPath, e.name)));
  }
  return out;
}
