/**
 * A single-flight lock file (e.g. .newsmirror/run.lock): created with O_EXCL,
 * holding the owner's pid and start time. A lock whose pid is gone is taken
 * over; a live one is waited for up to `waitMs`, then a LockedError names it.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NewsmirrorError } from './errors.ts';
import { projectPaths } from './project.ts';

export interface LockOwner {
  pid: number;
  /** When the owner took the lock, ISO 8601 UTC. */
  started: string;
  host: string;
  /** Random per acquisition, so a released-and-retaken lock is never mistaken for ours. */
  token: string;
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
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.started === 'string') return value as LockOwner;
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

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });

/** Take the lock at `path`, waiting up to `waitMs` for a live holder. */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<Lock> {
  const { waitMs = 0, pollMs = 200, signal, isAlive = pidAlive } = options;
  await mkdir(dirname(path), { recursive: true });
  const owner: LockOwner = { pid: process.pid, started: new Date().toISOString(), host: hostname(), token: randomBytes(8).toString('hex') };
  const deadline = Date.now() + waitMs;
  for (;;) {
    signal?.throwIfAborted();
    if (await tryCreate(path, owner)) {
      let released = false;
      return {
        path,
        owner,
        async release() {
          if (released) return;
          released = true;
          const current = await readOwner(path);
          if (typeof current === 'object' && current.token === owner.token) await rm(path, { force: true });
        },
      };
    }
    const holder = await readOwner(path);
    if (holder === 'missing') continue;
    // A lock from this host whose process is gone is stale. An unreadable file
    // may be one being written right now; after a few seconds it is garbage.
    const stale = holder === undefined ? await olderThan(path, UNREADABLE_STALE_MS) : holder.host === hostname() && !isAlive(holder.pid);
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
