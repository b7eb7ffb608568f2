/**
 * Make a verified staged folder the live copy in one step. A live copy that is
 * a symlink (an operator folder's `_site` → `releases/<version>`) is switched
 * by renaming a new symlink over it, which readers see as either the old or
 * the new version. A plain folder is swapped by two renames (old aside, new in).
 */
import { randomBytes } from 'node:crypto';
import { lstat, readlink, realpath, rename, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';

/** A hidden sibling name for staging or setting aside. */
export function siblingName(path: string, what: string): string {
  return join(dirname(path), `.${basename(path)}.${what}-${randomBytes(4).toString('hex')}`);
}

export async function isSymlink(path: string): Promise<boolean> {
  return lstat(path).then((s) => s.isSymbolicLink(), () => false);
}

/** Where to stage the next version of `live`: a hidden folder beside its real folder (same file system, so renames work). */
export async function stagingFor(live: string): Promise<string> {
  return siblingName(await realpath(live), 'next');
}

/**
 * Make `staged` live at `live`; returns the folder that was live before when
 * it still exists (the caller may prune it). Behind a symlink, the staged
 * folder is first renamed to `<version>` beside the old one.
 */
export async function promote(live: string, staged: string, version: number): Promise<string | undefined> {
  if (!(await isSymlink(live))) return switchLive(live, staged);
  const final = join(dirname(staged), String(version));
  const current = await realpath(live);
  const target = final === current ? `${final}-${randomBytes(3).toString('hex')}` : final;
  await rm(target, { recursive: true, force: true }); // a leftover of a run cut short, never the live one
  await rename(staged, target);
  return switchLive(live, target);
}

/** Point symlink `live` at `target` atomically (a relative link when the target is beside it). */
export async function pointAt(live: string, target: string): Promise<void> {
  const tmp = siblingName(live, 'link');
  await symlink(relative(dirname(live), target), tmp);
  try {
    await rename(tmp, live);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Make `staged` live at `live`; returns the folder that was live before, if it still exists (the caller may prune it). */
export async function switchLive(live: string, staged: string): Promise<string | undefined> {
  if (await isSymlink(live)) {
    const before = join(dirname(live), await readlink(live));
    await pointAt(live, staged);
    return before;
  }
  const aside = siblingName(live, 'old');
  await rename(live, aside);
  try {
    await rename(staged, live);
  } catch (error) {
    await rename(aside, live);
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
  return undefined;
}
