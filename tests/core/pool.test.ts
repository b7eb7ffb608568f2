// core/pool: mapLimit and the shared limiter never run more than their limit at once.
import { describe, expect, it } from 'vitest';
import { limiter, mapLimit } from '../../src/core/pool.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

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
  it('keeps input order and the limit', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapLimit([5, 4, 3, 2, 1], 3, async (n) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, n));
      active--;
      return n * 10;
    });
    expect(out).toEqual([50, 40, 30, 20, 10]);
    expect(peak).toBe(3);
  });
});
