import { afterEach, describe, expect, it, vi } from 'vitest';
import { createReporter, type Reporter } from '../../src/core/log.ts';
import { createProgress, formatProgress } from '../../src/core/progress.ts';

function recorder() {
  const lines: string[] = [];
  const reporter: Reporter = { info: (l) => lines.push(`info ${l}`), warn: (l) => lines.push(`warn ${l}`), progress: (l) => lines.push(`progress ${l}`) };
  return { lines, reporter };
}

describe('formatProgress', () => {
  it('says done/total, rate and time left', () => {
    expect(formatProgress('seal: hashing', 4200, 10000, 2000, 'files')).toBe('seal: hashing 4,200/10,000 files, 2,100/s, ~3 s left');
    expect(formatProgress('ingest', 3, 40, 90_000, 'outlets')).toBe('ingest 3/40 outlets, 0/s, ~18 min 30 s left');
    expect(formatProgress('seal: hashing', 10000, 10000, 5000, 'files')).toBe('seal: hashing 10,000/10,000 files, 2,000/s');
  });
  it('has no rate before anything is done', () => {
    expect(formatProgress('build', 0, 100, 0)).toBe('build 0/100 items');
  });
});

describe('createProgress', () => {
  it('redraws on a terminal at most every redrawMs', () => {
    const { lines, reporter } = recorder();
    let t = 0;
    const p = createProgress(reporter, 'seal: hashing', 1000, { tty: true, unit: 'files', now: () => t });
    for (let i = 0; i < 1000; i++) {
      t += 1;
      p.tick();
    }
    expect(p.done).toBe(1000);
    // Every 100 ms of 1,000 ms, and once at the end.
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('progress seal: hashing 100/1,000 files, 1,000/s, ~1 s left');
    expect(lines.at(-1)).toBe('progress seal: hashing 1,000/1,000 files, 1,000/s');
  });
  it('prints plain lines under CI at most every lineMs, and none for a short stage', () => {
    const { lines, reporter } = recorder();
    let t = 0;
    const p = createProgress(reporter, 'publish', 100, { tty: false, unit: 'files', now: () => t });
    for (let i = 0; i < 100; i++) {
      t += 500;
      p.tick();
    }
    expect(lines).toEqual(['info publish 20/100 files, 2/s, ~40 s left', 'info publish 40/100 files, 2/s, ~30 s left', 'info publish 60/100 files, 2/s, ~20 s left', 'info publish 80/100 files, 2/s, ~10 s left']);
    const short = recorder();
    const q = createProgress(short.reporter, 'seal', 10, { tty: false, now: () => t });
    for (let i = 0; i < 10; i++) q.tick();
    expect(short.lines).toEqual([]);
  });
});

describe('createProgress through the CLI reporter (createReporter)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  /** A terminal (or not) that records what is written to it. */
  function stream(isTTY: boolean) {
    const written: string[] = [];
    return { written, stream: { isTTY, columns: 80, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream };
  }
  /** 40 files at 1 per 500 ms, then the stage's result line. */
  function stage(reporter: Reporter) {
    let t = 0;
    const p = createProgress(reporter, 'seal: hashing', 40, { unit: 'files', now: () => t });
    for (let i = 0; i < 40; i++) {
      t += 500;
      p.tick();
    }
    reporter.info('sealed v2 (40 files)');
  }

  it('on a terminal: one line redrawn in place, cleared before the next result line', () => {
    vi.stubEnv('CI', '');
    const out = stream(true);
    const reporter = createReporter({ stream: out.stream });
    expect(reporter.redraws).toBe(true);
    stage(reporter);
    expect(out.written.slice(0, 3)).toEqual(['seal: hashing 1/40 files, 2/s, ~20 s left', '\r\x1b[2K', 'seal: hashing 2/40 files, 2/s, ~19 s left']);
    expect(out.written.slice(-4)).toEqual(['\r\x1b[2K', 'seal: hashing 40/40 files, 2/s', '\r\x1b[2K', 'sealed v2 (40 files)\n']);
  });

  it('under CI, with --json, or piped: plain lines at most every 10 s, no control characters', () => {
    const expected = ['seal: hashing 20/40 files, 2/s, ~10 s left\n', 'sealed v2 (40 files)\n'];
    vi.stubEnv('CI', 'true');
    const ci = stream(true);
    stage(createReporter({ stream: ci.stream }));
    expect(ci.written).toEqual(expected);
    vi.stubEnv('CI', '');
    const json = stream(true);
    const reporter = createReporter({ stream: json.stream, plain: true });
    expect(reporter.redraws).toBe(false);
    stage(reporter);
    expect(json.written).toEqual(expected);
    const piped = stream(false);
    stage(createReporter({ stream: piped.stream }));
    expect(piped.written).toEqual(expected);
  });
});
