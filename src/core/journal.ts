/**
 * The commit point of a change made of many renames (a seal's outputs, a build committed into
 * _site/ in place): a journal naming every step, made durable before the first step is taken, so
 * that after a kill or a power cut the change is rolled forward from it or was never begun.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { killPoint } from './kill-point.ts';

/** Sync a folder, so the renames in it survive a power cut. */
export function syncDir(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every file system lets a folder be synced; the renames are still atomic.
  }
}

/**
 * Write `journal` as one JSON line to `<path>.tmp`, sync it, then rename it to `path` and sync its
 * folder: the commit point. `step` is the kill point between the sync and the rename (a kill there
 * leaves no journal, so nothing was committed).
 */
export async function writeJournal(path: string, journal: unknown, step: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(journal)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  killPoint(step);
  await rename(tmp, path);
  syncDir(dirname(path));
}
