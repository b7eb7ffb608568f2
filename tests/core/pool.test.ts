/** The one concurrency pool (was three copies: publish, ingest, verify). */
import { describe, expect, it } from 'vitest';
import { limiter, mapLimit } from '../../src/core/pool.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
import { sleep } from '../../src/core/sleep.ts';

describe('limiter', () => {
  it('runs at most `limit` jobs at once across callers that start at different times, in arrival order, and frees the slot on failure', async () => {
    const run = limiter(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const job = (n: number, fail = false) => run(async (): Promise<number | string> => {
      active++;
      peak = Math.max(peak, active);
      order.push(n);
      await tick();
      active--;
      if (fail) throw new Error(`job ${n} failed`);
      return n;
    }).catch((error: unknown) => String(error));
    const first = [job(0), job(1, true), job(2)];
    await tick();
    const later = [job(3), job(4), job(5)];
    expect(await Promise.all([...first, ...later])).toEqual([0, 'Error: job 1 failed', 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('mapLimit', () => {
  it('keeps input order and never more than `limit` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([30, 5, 20, 1, 10, 2], 2, async (ms, i) => {
      peak = Math.max(peak, ++inFlight);
      await sleep(ms);
      inFlight--;
      return `${i}:${ms}`;
    });
    expect([out, peak]).toEqual([['0:30', '1:5', '2:20', '3:1', '4:10', '5:2'], 2]);
  });

  it('no items: no work, []; a limit of 0 or NaN still does the work, one at a time', async () => {
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
    expect(await mapLimit([1, 2], 0, async (x) => x * 2)).toEqual([2, 4]);
    expect(await mapLimit([1, 2], Number.NaN, async (x) => x * 2)).toEqual([2, 4]);
  });

  it('the first error stops new work and is thrown after the work in flight settles (regression: the caller went on while workers still ran)', async () => {
    const started: number[] = [];
    let settled = 0;
    const error = await mapLimit([0, 1, 2, 3, 4, 5], 2, async (i) => {
      started.push(i);
      if (i === 1) throw new Error('boom on 1');
      await sleep(20);
      settled++;
      return i;
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('boom on 1');
    expect([started, settled]).toEqual([[0, 1], 1]);
  });

  it('an aborted signal stops it before the next item', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await mapLimit([1, 2, 3], 1, async (i) => {
      seen.push(i);
      controller.abort(new Error('stop'));
      return i;
    }, controller.signal).catch((e: unknown) => e);
    expect([(error as Error).message, seen]).toEqual(['stop', [1]]);
  });
});
