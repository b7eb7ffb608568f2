/**
 * How a build puts its output in place, and what a killed build leaves, put right before the
 * next command reads _site/. build() renders into _site.new/. Then:
 * - A build that kept no page of the previous site swaps the folders with two renames
 *   (_site → _site.old, _site.new → _site). A kill (SIGKILL, power cut, OOM) between the two
 *   leaves no _site/ at all, while _site.old/ is the previous complete site: recoverSite() puts
 *   it back.
 * - A build that kept pages commits in place (commitSite): _site.new/ holds only what it
 *   rendered and the new search index but its shards left in place. The journal
 *   .newsmirror/build-commit.json names the files to remove from _site/ and the files to move
 *   in; once it is on disk the commit is rolled forward, by the build itself or, after a kill,
 *   by recoverSite(). Before it is on disk, _site/ is untouched. At 100,000 articles this spares
 *   linking 200,000 kept files (pages and search shards) into a new folder and unlinking as
 *   many from the old one.
 * Call recoverSite() holding the run lock, at the start of every command that reads or replaces _site/.
 */
import { mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NewsmirrorError } from '../core/errors.ts';
import { syncDir, writeJournal } from '../core/journal.ts';
import { killPoint } from '../core/kill-point.ts';
import { projectPaths } from '../core/project.ts';
import { MANIFEST_FILES } from '../sealed/manifest.ts';
import { SUMS_FILES } from '../sealed/sums.ts';
import { isSafePath } from '../sealed/walk.ts';

export type SiteRecovery = 'intact' | 'restored' | 'finished' | 'absent';

/** An interrupted in-place commit that cannot be finished (a file it moves is neither staged nor in place). */
export class SiteRecoveryError extends NewsmirrorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SITE_RECOVERY', message, options);
  }
}

/** What an in-place commit does, in this order; paths relative to _site/ (and _site.new/). */
export interface SiteCommit {
  /** Files of _site/ the new build does not have. */
  removes: string[];
  /** Files of _site.new/ moved into _site/. */
  moves: string[];
}

interface Journal extends SiteCommit {
  format: 1;
}

const JOURNAL = 'build-commit.json';

const journalPath = (root: string) => join(projectPaths(root).state, JOURNAL);

const isDir = (path: string) =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );

/** Regular files under `dir` as paths relative to it. */
export function siteFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  walk('');
  return out;
}

/** Roll a journaled commit forward; every step may already have been done by an attempt that was cut short. */
function apply(root: string, journal: SiteCommit): void {
  const site = projectPaths(root).site;
  const fresh = `${site}.new`;
  // Removals first, the seal's files (manifest.json first, then its signature and SHA256SUMS) before
  // any other, so a site cut short here never looks sealed; and a folder emptied here may become a file below.
  const rank = (rel: string) => (rel === 'manifest.json' ? 0 : MANIFEST_FILES.has(rel) || SUMS_FILES.has(rel) ? 1 : 2);
  const removes = [...journal.removes].sort((a, b) => rank(a) - rank(b));
  const emptied = new Set<string>();
  for (const [i, rel] of removes.entries()) {
    rmSync(join(site, rel), { force: true });
    for (let d = dirname(rel); d !== '.'; d = dirname(d)) emptied.add(d);
    killPoint(`build:remove:${i + 1}`);
  }
  for (const d of [...emptied].sort((a, b) => b.length - a.length)) {
    try {
      rmdirSync(join(site, d));
    } catch {
      // not empty, or gone: either is fine
    }
  }
  killPoint('build:mid-swap');
  const touched = new Set<string>();
  for (const [i, rel] of journal.moves.entries()) {
    const from = join(fresh, rel);
    const to = join(site, rel);
    touched.add(dirname(to));
    try {
      renameSync(from, to);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && statSync(from, { throwIfNoEntry: false })) {
        // A folder the previous site did not have.
        mkdirSync(dirname(to), { recursive: true });
        renameSync(from, to);
      } else if (code !== 'ENOENT' || !statSync(to, { throwIfNoEntry: false })) {
        throw new SiteRecoveryError(`an interrupted build cannot be finished: _site/${rel} is neither in _site.new/ nor in place; run \`newsmirror build\` again`, { cause: error });
      }
    }
    killPoint(`build:move:${i + 1}`);
  }
  // The moves reach the disk before the journal that names them goes (as a seal's do).
  for (const dir of touched) syncDir(dir);
}

/** Commit `commit` into _site/: the journal on disk (the commit point), then the changes, then _site.new/ and the journal go. */
export async function commitSite(root: string, commit: SiteCommit): Promise<void> {
  await writeJournal(journalPath(root), { format: 1, ...commit } satisfies Journal, 'build:before-swap');
  await finish(root, commit);
}

async function finish(root: string, commit: SiteCommit): Promise<void> {
  apply(root, commit);
  await rm(`${projectPaths(root).site}.new`, { recursive: true, force: true });
  await rm(journalPath(root), { force: true });
}

function parseJournal(text: string): Journal | undefined {
  try {
    const j = JSON.parse(text) as Partial<Journal>;
    const list = (v: unknown) => Array.isArray(v) && v.every((p) => typeof p === 'string' && isSafePath(p));
    return j.format === 1 && list(j.removes) && list(j.moves) ? (j as Journal) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `finished`: an in-place commit was cut short and is now complete (_site/ is the new build);
 * `restored`: _site/ was missing and the previous complete site (_site.old/) is back in its place;
 * `intact`: _site/ was there (a leftover _site.old/ is removed); `absent`: there never was a complete site.
 * A leftover _site.new/ without a journal is left for build(), which always starts it afresh.
 */
export async function recoverSite(root: string): Promise<SiteRecovery> {
  const site = projectPaths(root).site;
  const text = await readFile(journalPath(root), 'utf8').catch(() => undefined);
  if (text !== undefined) {
    const journal = parseJournal(text);
    if (!journal) throw new SiteRecoveryError(`.newsmirror/${JOURNAL} is damaged, so an interrupted build cannot be finished; delete it and _site/, then run \`newsmirror build\``);
    await finish(root, journal);
    return 'finished';
  }
  const old = `${site}.old`;
  if (await isDir(site)) {
    await rm(old, { recursive: true, force: true });
    return 'intact';
  }
  if (!(await isDir(old))) return 'absent';
  await rename(old, site);
  return 'restored';
}
