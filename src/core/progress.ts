/**
 * Progress of a long stage (many outlets, files, blocks): "seal: hashing
 * 4,200/10,000 files, 1,850/s, ~3 s left". On a terminal it redraws one line
 * through the reporter's progress(), at most every `redrawMs`; under `CI`, with
 * --json, or when stderr is not a terminal it prints plain lines through info(), at most
 * every `lineMs`, so logs stay short and line-oriented.
 */
import type { Reporter } from './log.ts';

export interface ProgressOptions {
  /** Redraw in place (a terminal) or print plain lines. Default: the reporter's `redraws` (createReporter: stderr is a terminal, `CI` unset, not --json); for a reporter that does not say, stderr is a TTY and `CI` is unset. */
  tty?: boolean;
  /** Unit shown after the counts (default "items"). */
  unit?: string;
  redrawMs?: number;
  lineMs?: number;
  now?: () => number;
}

export interface Progress {
  /** `n` more done (default 1). */
  tick(n?: number): void;
  /** How many are done so far. */
  readonly done: number;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** "label 4,200/10,000 files, 1,850/s, ~3 s left" (rate and time left once something is done). */
export function formatProgress(label: string, done: number, total: number, elapsedMs: number, unit = 'items'): string {
  const head = `${label} ${count(done)}/${count(total)} ${unit}`;
  if (done <= 0 || elapsedMs <= 0) return head;
  const rate = (done / elapsedMs) * 1000;
  const left = done >= total ? '' : `, ~${duration((total - done) / rate)} left`;
  return `${head}, ${count(rate)}/s${left}`;
}

export function createProgress(reporter: Reporter, label: string, total: number, options: ProgressOptions = {}): Progress {
  const now = options.now ?? (() => performance.now());
  const tty = options.tty ?? reporter.redraws ?? (Boolean(process.stderr.isTTY) && !process.env.CI);
  const every = tty ? (options.redrawMs ?? 100) : (options.lineMs ?? 10_000);
  const started = now();
  let last = started;
  let done = 0;
  return {
    get done() {
      return done;
    },
    tick(n = 1) {
      done += n;
      const t = now();
      if (t - last < every && done < total) return;
      // Plain lines: none for a stage that ends before the first interval, and no final line (the stage reports its result).
      if (!tty && (done >= total || t - last < every)) return;
      last = t;
      const line = formatProgress(label, done, total, t - started, options.unit);
      if (tty) reporter.progress(line);
      else reporter.info(line);
    },
  };
}
