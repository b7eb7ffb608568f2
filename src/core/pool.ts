/**
 * The one concurrency pool (publish's uploads and hashing, ingest's outlets,
 * verify's files): run async work over items with at most `limit` in flight,
 * results in input order. The first error (or an abort) stops the pool from
 * starting more work, and is thrown once the work in flight has settled.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      signal?.throwIfAborted();
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // At least one worker: a limit of 0 (a bad setting) must not return without doing the work.
  const workers = items.length ? Math.max(1, Math.min(Math.floor(limit) || 1, items.length)) : 0;
  const settled = await Promise.allSettled(Array.from({ length: workers }, worker));
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results;
}

/** A gate shared by callers that start work at different times: at most `limit` of them run at once, the rest wait in order. */
export function limiter(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    // A finished caller hands its slot straight to the next in line, so none can slip in between.
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
