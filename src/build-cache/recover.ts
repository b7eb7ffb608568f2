/**
 * What a killed build leaves, put right before the next command reads _site/.
 * build() renders into _site.new/, then swaps it in with two renames
 * (_site → _site.old, _site.new → _site). A kill (SIGKILL, power cut, OOM)
 * between the two leaves no _site/ at all, while _site.old/ is the previous
 * complete site: recoverSite() puts it back. Call it holding the run lock,
 * at the start of every command that reads or replaces _site/.
 */
import { rename, rm, stat } from 'node:fs/promises';
import { projectPaths } from '../core/project.ts';

export type SiteRecovery = 'intact' | 'restored' | 'absent';

const isDir = (path: string) =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );

/**
 * `restored`: _site/ was missing and the previous complete site (_site.old/) is back in its place;
 * `intact`: _site/ was there (a leftover _site.old/ is removed); `absent`: there never was a complete site.
 * A leftover _site.new/ is left for build(), which always starts it afresh.
 */
export async function recoverSite(root: string): Promise<SiteRecovery> {
  const site = projectPaths(root).site;
  const old = `${site}.old`;
  if (await isDir(site)) {
    await rm(old, { recursive: true, force: true });
    return 'intact';
  }
  if (!(await isDir(old))) return 'absent';
  await rename(old, site);
  return 'restored';
}
