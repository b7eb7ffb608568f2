import { describe, expect, it } from 'vitest';
import type { Reporter } from '../../src/core/log.ts';
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
