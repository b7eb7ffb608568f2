import { UsageError } from '../core/errors.ts';
import { runLockPath, withLock } from '../core/lock.ts';
import type { Reporter } from '../core/log.ts';
import type { Project } from '../core/project.ts';

export { EXIT } from './exit.ts';

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
  /**
   * Whether `--root` must be a project folder (content/_data/): checked by
   * main.ts before `run`, so outside a project the command exits 2 and writes
   * nothing. A function decides from the arguments (`serve DIR` needs none,
   * plain `serve` does). Default false: keygen, demo, trigger, verify --key.
   */
  needsProject?: boolean | ((args: { values: CommandContext['values']; positionals: string[] }) => boolean);
  /** An operator folder (made by `clone`, holding operator.json) will do instead of a project (`publish`, `serve`). */
  operatorFolder?: boolean;
  run(ctx: CommandContext): Promise<number>;
}

export interface CommandContext {
  /** The project folder (`--root`, default the current folder), absolute. */
  root: string;
  /** The project at `root`: paths and configuration, each file read once for the whole command. */
  project: Project;
  /** `--json`: print one JSON result on stdout. */
  json: boolean;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  reporter: Reporter;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

/**
 * stdout's own write. Under --json, main.ts sends everything else written to
 * stdout (a library's log line) to stderr, so stdout carries one JSON document.
 */
const writeStdout = process.stdout.write.bind(process.stdout);
let jsonPrinted = false;

/** Print a machine-readable result on stdout (the command's one JSON document). */
export function printJson(value: unknown): void {
  jsonPrinted = true;
  writeStdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Whether this process already printed its JSON document (so an error after it adds no second one). */
export function printedJson(): boolean {
  return jsonPrinted;
}

/** Read a string option, or undefined. */
export function stringOption(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.values[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * `--port N`, `--wait SECONDS`: digits only, 0 to `max`, else a UsageError
 * (Number() alone would take "", " 8", "1e3" and "0x50").
 */
export function numberOption(ctx: CommandContext, name: string, fallback: number, max: number): number {
  const raw = stringOption(ctx, name);
  if (raw === undefined) return fallback;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 0 && n <= max)) throw new UsageError(`--${name} must be a whole number from 0 to ${max}, not "${raw}"`);
  return n;
}

/**
 * Run `fn` holding the project's run lock, so a stage run on its own never
 * interleaves its writes with a `run` in progress (waits up to 2 minutes).
 */
export function holdingRunLock<T>(ctx: CommandContext, fn: () => Promise<T>): Promise<T> {
  return withLock(runLockPath(ctx.root), { waitMs: 120_000, signal: ctx.signal }, fn);
}
