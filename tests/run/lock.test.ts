import { spawn, spawnSync } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, rm, writeFile, utimes } from 'node:fs/promises';
import { hostname, tmpdir, uptime } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NewsmirrorError, describeError } from '../../src/core/errors.ts';
import { acquireLock, LockedError, processStart, runLockPath } from '../../src/core/lock.ts';
import { cli } from './cli.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nm-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('acquireLock', () => {
  it('writes pid and start time, refuses a second holder by naming it, and frees on release', async () => {
    const path = join(dir, '.newsmirror', 'run.lock');
    const lock = await acquireLock(path);
    const owner = JSON.parse(await readFile(path, 'utf8'));
    expect([owner.pid, owner.host, owner.started]).toEqual([process.pid, hostname(), lock.owner.started]);
    const error = await acquireLock(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockedError);
    expect((error as LockedError).message).toBe(
      `another newsmirror run holds ${path} (pid ${process.pid} on ${hostname()}, started ${lock.owner.started}); wait for it to finish, pass --wait SECONDS, or delete the file if that process is gone`,
    );
    await lock.release();
    const again = await acquireLock(path);
    await again.release();
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over the lock of a process that is gone', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const path = join(dir, 'run.lock');
    await writeFile(path, JSON.stringify({ pid: deadPid, started: '2026-01-01T00:00:00.000Z', host: hostname(), token: 'old' }));
    const lock = await acquireLock(path);
    expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('treats an unreadable lock file older than 5 s as stale', async () => {
    const path = join(dir, 'run.lock');
    await writeFile(path, '');
    await utimes(path, new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
    const lock = await acquireLock(path);
    await lock.release();
  });

  it('lock file holding garbage JSON, or a pid of 0 or -1 (process groups kill(pid, 0) always finds): stale, taken over', async () => {
    const path = join(dir, 'run.lock');
    const old = new Date(Date.now() - 10_000);
    for (const text of ['{"pid": 12', 'null', '[]', `{"pid":0,"started":"2026-01-01T00:00:00Z","host":"${hostname()}","token":"t"}`, `{"pid":-1,"started":"2026-01-01T00:00:00Z","host":"${hostname()}","token":"t"}`]) {
      await writeFile(path, text);
      await utimes(path, old, old);
      const lock = await acquireLock(path);
      expect([text, JSON.parse(await readFile(path, 'utf8')).token]).toEqual([text, lock.owner.token]);
      await lock.release();
    }
  });

  it('lock file holding the pid of the current process but not one of its locks (PID 1 in a restarted container): taken over at once', async () => {
    const path = join(dir, 'run.lock');
    const since = await processStart(process.pid);
    await writeFile(path, JSON.stringify({ pid: process.pid, started: new Date().toISOString(), host: hostname(), token: 'earlier-life', since }));
    const lock = await acquireLock(path);
    expect(JSON.parse(await readFile(path, 'utf8')).token).toBe(lock.owner.token);
    await lock.release();
  });

  it('lock file holding PID 1: held only if PID 1 is the very process that wrote it (same start time), else taken over', async () => {
    const path = join(dir, 'run.lock');
    const pid1 = await processStart(1);
    expect(pid1).toMatch(/^\d+$/);
    const started = new Date().toISOString();
    // Written by whatever runs as PID 1 now: a live holder.
    await writeFile(path, JSON.stringify({ pid: 1, started, host: hostname(), token: 't', since: pid1 }));
    await expect(acquireLock(path)).rejects.toBeInstanceOf(LockedError);
    // Written by an earlier PID 1 (another start time), or by something that does not say: a reused pid.
    for (const owner of [{ pid: 1, started, host: hostname(), token: 't', since: '1' }, { pid: 1, started, host: hostname(), token: 't' }]) {
      await writeFile(path, JSON.stringify(owner));
      const lock = await acquireLock(path);
      await lock.release();
    }
  });

  it('lock taken before this machine booted: its pid now belongs to another process, taken over', async () => {
    const path = join(dir, 'run.lock');
    const before = new Date(Date.now() - uptime() * 1000 - 3_600_000).toISOString();
    await writeFile(path, JSON.stringify({ pid: process.ppid, started: before, host: hostname(), token: 't', since: await processStart(process.ppid) }));
    const lock = await acquireLock(path);
    await lock.release();
  });

  it('a second caller in the same process still waits for the first (its own pid is not taken for a reused one)', async () => {
    const path = join(dir, 'run.lock');
    const first = await acquireLock(path);
    await expect(acquireLock(path, { waitMs: 300, pollMs: 20 })).rejects.toBeInstanceOf(LockedError);
    await first.release();
  });

  it('lock path that is a folder: ERR_LOCK naming the path and what to do, not a bare EISDIR', async () => {
    const path = join(dir, 'run.lock');
    await mkdir(path);
    const error = await acquireLock(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NewsmirrorError);
    expect([(error as NewsmirrorError).code, describeError(error)]).toEqual(['ERR_LOCK', `cannot use the lock file ${path}; if it is not a file newsmirror made, remove it: EISDIR: illegal operation on a directory, read`]);
  });

  it('waits up to waitMs for the holder to finish', async () => {
    const path = join(dir, 'run.lock');
    const first = await acquireLock(path);
    setTimeout(() => void first.release(), 300);
    const second = await acquireLock(path, { waitMs: 5000, pollMs: 50 });
    expect(second.owner.token).not.toBe(first.owner.token);
    await second.release();
  });

  it('keeps four processes from interleaving, even racing to take over a stale lock: no update to a shared counter is lost', async () => {
    const path = join(dir, 'run.lock');
    const counter = join(dir, 'counter.txt');
    await writeFile(counter, '0');
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    await writeFile(path, JSON.stringify({ pid: dead, started: '2026-01-01T00:00:00.000Z', host: hostname(), token: 'stale' }));
    const script = `
      import { acquireLock } from ${JSON.stringify(new URL('../../src/core/lock.ts', import.meta.url).pathname)};
      import { readFile, writeFile } from 'node:fs/promises';
      for (let i = 0; i < 5; i++) {
        const lock = await acquireLock(${JSON.stringify(path)}, { waitMs: 30000, pollMs: 5 });
        const n = Number(await readFile(${JSON.stringify(counter)}, 'utf8'));
        await new Promise((r) => setTimeout(r, 5));
        await writeFile(${JSON.stringify(counter)}, String(n + 1));
        await lock.release();
      }`;
    const runs = Array.from({ length: 4 }, () =>
      new Promise<number | null>((resolve) => spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'inherit' }).on('exit', resolve)),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    expect(await readFile(counter, 'utf8')).toBe('20');
  });
});

describe('stage commands run on their own', () => {
  it('`build` waits for a run in progress instead of writing _site/ under it', async () => {
    await mkdir(join(dir, 'content', '_data'), { recursive: true });
    await writeFile(join(dir, 'content', '_data', 'site.yaml'), 'title: T\nlang: en\n');
    const held = await acquireLock(runLockPath(dir));
    const building = cli(['build', '--root', dir]);
    await new Promise((r) => setTimeout(r, 2500));
    await expect(access(join(dir, '_site'))).rejects.toMatchObject({ code: 'ENOENT' });
    await held.release();
    const result = await building;
    expect(result.code, result.stderr).toBe(0);
    await access(join(dir, '_site', 'index.html'));
  });
});
