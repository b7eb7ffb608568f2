/**
 * A single-flight lock file (e.g. .newsmirror/run.lock): created with O_EXCL,
 * holding the owner's pid and start time. A lock whose pid is gone is taken
 * over, and so is one whose pid was reused (our own pid but not our lock, as
 * for PID 1 in a restarted container; taken before this machine booted); a
 * live one is waited for up to `waitMs`, then a LockedError names it.
 */
import { randomBytes } from 'node:crypto';
import { hostname, uptime } from 'node:os';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NewsmirrorError } from './errors.ts';
import { projectPaths } from './project.ts';
import { sleep } from './sleep.ts';

export interface LockOwner {
  pid: number;
  /** When the owner took the lock, ISO 8601 UTC. */
  started: string;
  host: string;
  /** Random per acquisition, so a released-and-retaken lock is never mistaken for ours. */
  token: string;
  /** The kernel's start time of the owner process (Linux), so a reused pid is never taken for the owner. */
  since?: string;
}

export interface Lock {
  readonly path: string;
  readonly owner: LockOwner;
  release(): Promise<void>;
}

export interface LockOptions {
  /** How long to wait for a live holder, in milliseconds (default 0: fail at once). */
  waitMs?: number;
  /** How often to look again while waiting (default 200 ms). */
  pollMs?: number;
  signal?: AbortSignal;
  /** Whether a pid is alive (injected in tests). */
  isAlive?: (pid: number) => boolean;
}

/** Another run holds the lock. */
export class LockedError extends NewsmirrorError {
  readonly holder: LockOwner | undefined;
  constructor(message: string, holder: LockOwner | undefined) {
    super('ERR_LOCKED', message);
    this.holder = holder;
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined | 'missing'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockOwner> | null;
    // A pid of 0 or below names a process group (kill(0|-1, 0) always succeeds): not a holder.
    const valid = Number.isSafeInteger(value?.pid) && value!.pid! > 0 && typeof value?.started === 'string' && !Number.isNaN(Date.parse(value.started));
    if (valid) return value as LockOwner;
  } catch {
    // fall through: a half-written or foreign file
  }
  return undefined;
}

async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(`${JSON.stringify(owner)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * Remove a stale lock. Only the holder of `<lock>.takeover` (itself an O_EXCL
 * file) may remove it, and only after seeing that it is still the same stale
 * file, so two contenders can never delete each other's fresh lock.
 */
async function takeOver(path: string, stale: LockOwner | undefined, owner: LockOwner): Promise<boolean> {
  const guard = `${path}.takeover`;
  if (!(await tryCreate(guard, owner))) {
    // Someone else is taking over; a guard left by a crashed process is cleared after a while.
    if (await olderThan(guard, UNREADABLE_STALE_MS)) await rm(guard, { force: true });
    return false;
  }
  try {
    const current = await readOwner(path);
    const same = current === stale || (typeof current === 'object' && stale !== undefined && current.token === stale.token && current.pid === stale.pid);
    if (same) await rm(path, { force: true });
    return true;
  } finally {
    await rm(guard, { force: true });
  }
}

const UNREADABLE_STALE_MS = 5_000;

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return false;
  }
}

function describeOwner(owner: LockOwner | undefined): string {
  return owner ? `pid ${owner.pid} on ${owner.host}, started ${owner.started}` : 'an unreadable lock file';
}

/** When `pid` started, in clock ticks since boot (field 22 of /proc/<pid>/stat); undefined without /proc or that pid. */
export async function processStart(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Tokens of the locks this process holds now: the only ones with our pid that are not stale. */
const heldHere = new Set<string>();

/**
 * Whether a readable lock's holder is gone. Only judged on this host: the pid
 * must be alive, not ours unless we hold that lock, started since boot, and
 * (where /proc tells) be the very process that wrote the lock, not a reuse.
 */
async function holderGone(holder: LockOwner, isAlive: (pid: number) => boolean, ownStart: string | undefined): Promise<boolean> {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return !heldHere.has(holder.token);
  const bootedAt = Date.now() - uptime() * 1000;
  // A minute of slack: uptime and the wall clock are read at different moments.
  if (Date.parse(holder.started) < bootedAt - 60_000) return true;
  if (!isAlive(holder.pid)) return true;
  // With /proc every lock written here names its owner's start: one without it is not a newsmirror run's.
  if (ownStart === undefined) return false;
  if (holder.since === undefined) return true;
  const start = await processStart(holder.pid);
  return start !== undefined && start !== holder.since;
}

/** Take the lock at `path`, waiting up to `waitMs` for a live holder. */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<Lock> {
  try {
    return await acquire(path, options);
  } catch (error) {
    if (error instanceof NewsmirrorError || options.signal?.aborted) throw error;
    // The lock path is a folder, unreadable, on a read-only disk…: say which file and what to do.
    throw new NewsmirrorError('ERR_LOCK', `cannot use the lock file ${path}; if it is not a file newsmirror made, remove it`, { cause: error });
  }
}

async function acquire(path: string, options: LockOptions): Promise<Lock> {
  const { waitMs = 0, pollMs = 200, signal, isAlive = pidAlive } = options;
  await mkdir(dirname(path), { recursive: true });
  const ownStart = await processStart(process.pid);
  const owner: LockOwner = { pid: process.pid, started: new Date().toISOString(), host: hostname(), token: randomBytes(8).toString('hex'), ...(ownStart ? { since: ownStart } : {}) };
  const deadline = Date.now() + waitMs;
  for (;;) {
    signal?.throwIfAborted();
    // Counted as ours before the file exists, so no other caller in this process ever sees it as a reused pid.
    heldHere.add(owner.token);
    let created = false;
    try {
      created = await tryCreate(path, owner);
    } finally {
      if (!created) heldHere.delete(owner.token);
    }
    if (created) {
      let released = false;
      return {
        path,
        owner,
        async release() {
          if (released) return;
          released = true;
          try {
            const current = await readOwner(path);
            if (typeof current === 'object' && current.token === owner.token) await rm(path, { force: true });
          } finally {
            heldHere.delete(owner.token);
          }
        },
      };
    }
    const holder = await readOwner(path);
    if (holder === 'missing') continue;
    // A lock from this host whose process is gone is stale. An unreadable file
    // may be one being written right now; after a few seconds it is garbage.
    const stale = holder === undefined ? await olderThan(path, UNREADABLE_STALE_MS) : await holderGone(holder, isAlive, ownStart);
    if (stale) {
      if (!(await takeOver(path, holder, owner))) await sleep(20, signal);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LockedError(
        `another newsmirror run holds ${path} (${describeOwner(holder)}); wait for it to finish, pass --wait SECONDS, or delete the file if that process is gone`,
        holder,
      );
    }
    await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())), signal);
  }
}

/** `<root>/.newsmirror/run.lock`: held by everything that writes content/, _site/ or dist/. */
export function runLockPath(root: string): string {
  return join(projectPaths(root).state, 'run.lock');
}

/** Run `fn` holding the lock at `path`; released however `fn` ends. */
export async function withLock<T>(path: string, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(path, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
