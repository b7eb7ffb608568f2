import { runLockPath, withLock } from '../core/lock.ts';
import type { Reporter } from '../core/log.ts';

/** Exit codes of every command (DESIGN.md, CLI contract). */
export const EXIT = { ok: 0, failed: 1, usage: 2, partial: 3 } as const;

export interface OptionDef {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  description: string;
}

/** One sub-command: its arguments, and a thin `run` that calls the library. */
export interface Command {
  description: string;
  /** Synopsis after `newsmirror`, e.g. "ingest [--outlet ID]". */
  usage: string;
  options?: Record<string, OptionDef>;
  /** Whether positionals are accepted (and their names in `usage`). */
  positionals?: boolean;
  run(ctx: CommandContext): Promise<number>;
}

export interface CommandContext {
  /** The project folder (`--root`, default the current folder), absolute. */
  root: string;
  /** `--json`: print one JSON result on stdout. */
  json: boolean;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  reporter: Reporter;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

/** Print a machine-readable result on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Read a string option, or undefined. */
export function stringOption(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.values[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Run `fn` holding the project's run lock, so a stage run on its own never
 * interleaves its writes with a `run` in progress (waits up to 2 minutes).
 */
export function holdingRunLock<T>(ctx: CommandContext, fn: () => Promise<T>): Promise<T> {
  return withLock(runLockPath(ctx.root), { waitMs: 120_000, signal: ctx.signal }, fn);
}
