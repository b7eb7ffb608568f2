/**
 * Human output. Lines go to stderr so that `--json` keeps stdout for machines.
 * On a terminal, progress redraws one line; in CI (or piped) it is printed at
 * most once every `quietMs` per key, so logs stay short and line-oriented.
 */
export interface Reporter {
  /** A line that matters (a result, where to read the site). */
  info(line: string): void;
  /** Something failed but the run goes on (an outlet, a target). */
  warn(line: string): void;
  /** Transient progress, e.g. "ingest 12/40 outlets". */
  progress(line: string): void;
  /** Whether progress() redraws one line on a terminal; when false or absent, long stages print plain lines through info() (createProgress). */
  readonly redraws?: boolean;
}

export interface ReporterOptions {
  stream?: NodeJS.WriteStream;
  /** Print nothing but warnings (tests, --json piped). */
  quiet?: boolean;
  /** Never redraw, even on a terminal: progress as plain lines (--json, whose output may be captured with stderr). */
  plain?: boolean;
}

/**
 * A line as text only: control characters (ESC, CR, BEL…) that a hostile feed,
 * server or error message put in it are shown as \xNN, so they can never move
 * the cursor, recolour, retitle or hide lines on the operator's terminal.
 */
export function plainLine(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function createReporter(options: ReporterOptions = {}): Reporter {
  const stream = options.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY) && !process.env.CI && !options.plain;
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    redraws: tty,
    info(line) {
      if (options.quiet) return;
      clear();
      stream.write(`${plainLine(line)}\n`);
    },
    warn(line) {
      clear();
      stream.write(`warning: ${plainLine(line)}\n`);
    },
    progress(line) {
      if (options.quiet || !tty) return;
      clear();
      stream.write(plainLine(line).split('\n')[0]!.slice(0, (stream.columns ?? 80) - 1));
      drawn = true;
    },
  };
}

/** A reporter that prints nothing: for library calls and tests. */
export const silentReporter: Reporter = { info() {}, warn() {}, progress() {} };
