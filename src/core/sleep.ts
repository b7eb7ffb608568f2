/** Wait, unless aborted: shared by retries, Retry-After waits and the lock's polling. */
import { setTimeout as delay } from 'node:timers/promises';

/** Resolves after `ms`; rejects with the signal's reason when it is (or becomes) aborted. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch((error: unknown) => {
    throw signal?.aborted ? signal.reason : error;
  });
}
