/** Run the real CLI (`node bin/newsmirror.js …`, as `npx newsmirror` does) in a child process with a clean environment, from any folder. */
import { spawn } from 'node:child_process';

export const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
export const BIN = new URL('../../bin/newsmirror.js', import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
