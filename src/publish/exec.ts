/** Run a child process (git, rsync, ssh) with an AbortSignal, stdin text and captured output. */
import { spawn } from 'node:child_process';
import { PublishError } from './types.ts';

export interface ExecResult {
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  signal?: AbortSignal;
  /** Names the target in errors. */
  label: string;
}

/** Runs `command args`; rejects with a PublishError carrying the last lines of stderr on a non-zero exit. */
export function run(command: string, args: string[], options: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    options.signal?.throwIfAborted();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    options.signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', kill);
      reject(new PublishError('ERR_EXEC', `${options.label}: could not run ${command}: ${error.message}`, { cause: error, retryable: false }));
    });
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', kill);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (options.signal?.aborted) return reject(options.signal.reason);
      if (code === 0) return resolve({ stdout, stderr });
      const lines = (text: string, n: number) => text.split('\n').map((l) => l.trim()).filter(Boolean).slice(-n).join(' | ');
      const tail = lines(stderr, 4) || lines(stdout, 2);
      reject(new PublishError('ERR_EXEC', `${options.label}: ${command} ${args[0] ?? ''} failed (${signal ?? `exit ${code}`}): ${tail}`));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** Quote one word for a POSIX shell (the remote side of ssh). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
