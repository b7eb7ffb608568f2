/**
 * dist/ and the seal's files in _site/ change together. A seal writes every
 * output (dist/manifest.json/.sig, cid.txt, site.car, site.zip,
 * release.json/.sig, deltas/, _site/manifest.json/.sig, SHA256SUMS(.sig), and
 * the caches and kept manifest that describe them) into
 * .newsmirror/seal-commit/ first, then writes journal.json there: the list of
 * moves and removals. Renaming journal.json into place is the commit point;
 * the moves follow. At its start, the next seal (and `recoverSeal`) finishes
 * a committed set (roll forward: the moves are renames, safe to repeat) or
 * throws away an uncommitted one (roll back: nothing outside the staging
 * folder had changed). A kill at any point therefore leaves the previous
 * complete seal or, once the journal is in place, the next one.
 */
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NewsmirrorError } from '../core/errors.ts';
import { syncDir, writeJournal } from '../core/journal.ts';
import { killPoint } from '../core/kill-point.ts';
import { silentReporter, type Reporter } from '../core/log.ts';
import { projectPaths } from '../core/project.ts';
import { isSafePath } from '../sealed/walk.ts';

const DIR = 'seal-commit';
const JOURNAL = 'journal.json';

interface Journal {
  format: 1;
  /** [staged file name, destination relative to the project root] */
  moves: [string, string][];
  /** Destinations (relative to the root) to delete. */
  removes: string[];
}

/** A committed seal that cannot be rolled forward: `what` is lost from both places. */
export class SealRecoveryError extends NewsmirrorError {
  constructor(readonly what: string, options?: { cause?: unknown }) {
    super('ERR_SEAL_RECOVERY', `${what}; run \`newsmirror seal\` to seal again`, options);
  }
}

const stagingDir = (root: string) => join(projectPaths(root).state, DIR);

async function apply(root: string, dir: string, journal: Journal): Promise<void> {
  const abs = projectPaths(root).root;
  const touched = new Set<string>();
  let step = 0;
  for (const [name, dest] of journal.moves) {
    const target = join(abs, dest);
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(join(dir, name), target);
    } catch (error) {
      // Moved already by an earlier attempt that was cut short.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (!(await stat(target).catch(() => undefined))) throw new SealRecoveryError(`an interrupted seal cannot be finished: ${dest} is neither in .newsmirror/${DIR}/ nor in place (something replaced it after the seal was cut short)`, { cause: error });
    }
    touched.add(dirname(target));
    killPoint(`apply:${++step}`);
  }
  for (const dest of journal.removes) {
    await rm(join(abs, dest), { force: true, recursive: true });
    touched.add(dirname(join(abs, dest)));
  }
  for (const path of touched) syncDir(path);
  await rm(dir, { recursive: true, force: true });
}

function parseJournal(text: string): Journal | undefined {
  try {
    const j = JSON.parse(text) as Partial<Journal>;
    const safe = (p: unknown) => typeof p === 'string' && isSafePath(p);
    if (j.format !== 1 || !Array.isArray(j.moves) || !Array.isArray(j.removes)) return undefined;
    if (!j.moves.every((m) => Array.isArray(m) && safe(m[0]) && !String(m[0]).includes('/') && safe(m[1])) || !j.removes.every(safe)) return undefined;
    return j as Journal;
  } catch {
    return undefined;
  }
}

/**
 * Finish or undo a seal that was cut short: 'forward' when a committed set was
 * moved into place, 'back' when an uncommitted one was thrown away, 'none'.
 */
export async function recoverSeal(root: string): Promise<'none' | 'forward' | 'back'> {
  const dir = stagingDir(root);
  if (!(await stat(dir).catch(() => undefined))) return 'none';
  const text = await readFile(join(dir, JOURNAL), 'utf8').catch(() => undefined);
  const journal = text === undefined ? undefined : parseJournal(text);
  if (!journal) {
    await rm(dir, { recursive: true, force: true });
    return 'back';
  }
  await apply(root, dir, journal);
  return 'forward';
}

/** The outputs of one seal, written aside and moved into place together. */
export class SealStaging {
  private readonly moves: [string, string][] = [];
  private readonly removes: string[] = [];
  private constructor(private readonly root: string, readonly dir: string) {}

  /**
   * Recover any earlier seal cut short, then start an empty staging folder.
   * One that can no longer be finished is dropped: this seal writes every output afresh.
   */
  static async begin(root: string, reporter: Reporter = silentReporter): Promise<SealStaging> {
    const dir = stagingDir(root);
    await recoverSeal(root).catch((error: unknown) => {
      if (!(error instanceof SealRecoveryError)) throw error;
      reporter.warn(`${error.what}; it is dropped, and this seal writes every output afresh`);
    });
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return new SealStaging(projectPaths(root).root, dir);
  }

  /** A path to write what becomes `dest` (relative to the project root, forward slashes) on commit. */
  file(dest: string): string {
    const name = `${this.moves.length}-${dest.split('/').pop()}`;
    this.moves.push([name, dest]);
    return join(this.dir, name);
  }

  /** Write (and sync) what becomes `dest` on commit. */
  async write(dest: string, bytes: Uint8Array): Promise<void> {
    const handle = await open(this.file(dest), 'wx', 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Delete `dest` (relative to the root) on commit. */
  remove(dest: string): void {
    this.removes.push(dest);
  }

  /** The commit point (journal.json in place), then the moves. */
  async commit(): Promise<void> {
    const journal: Journal = { format: 1, moves: this.moves, removes: this.removes };
    await writeJournal(join(this.dir, JOURNAL), journal, 'journal');
    killPoint('committed');
    await apply(this.root, this.dir, journal);
  }

  /** Throw away everything staged (a seal that failed). */
  async abort(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
