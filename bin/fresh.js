/** Whether .build/ (bin/compile.js) is up to date; read at every start of bin/newsmirror.js, so it stays small and synchronous. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Whether `root`/.build was compiled from the src/ there is now: as many files, none newer than the newest it was compiled from. */
export function buildIsFresh(root) {
  try {
    const stamp = JSON.parse(readFileSync(join(root, '.build', '.stamp.json'), 'utf8'));
    let files = 0;
    for (const entry of readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      files++;
      if (statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs > stamp.newest) return false;
    }
    return files === stamp.files;
  } catch {
    return false;
  }
}
