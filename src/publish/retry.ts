/** Retries with exponential backoff and a per-attempt timeout, all abortable. */
import { setMaxListeners } from 'node:events';
import { NewsmirrorError } from '../core/errors.ts';
import { sleep } from '../core/sleep.ts';

export interface RetryOptions {
  /** Extra attempts after the first. */
  retries: number;
  /** Milliseconds one attempt may take. */
  timeoutMs: number;
  /** First wait; doubled each retry (±20 % jitter), capped at one minute. */
  baseDelayMs: number;
  signal?: AbortSignal;
  /** Whether an error is worth another attempt. */
  retryable?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Names the work in the timeout error, e.g. 'mirror "s3-main"'. */
  label: string;
}

export class TimeoutError extends NewsmirrorError {
  constructor(message: string) {
    super('ERR_TIMEOUT', message);
  }
}

/** The wait before retry number `attempt` (1-based). */
export function backoffDelay(attempt: number, baseDelayMs: number, random: () => number = Math.random): number {
  const raw = Math.min(baseDelayMs * 2 ** (attempt - 1), 60_000);
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/** Run `attempt` until it succeeds, the retries are used up, or `signal` aborts. */
export async function withRetries<T>(attempt: (signal: AbortSignal, n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let n = 0; ; n++) {
    options.signal?.throwIfAborted();
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new TimeoutError(`${options.label} took longer than ${options.timeoutMs / 1000} s (timeout); raise "timeout" in its mirror file if the host is just slow`)), options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
    // Parallel uploads each listen on the attempt's signal.
    setMaxListeners(64, signal);
    try {
      return await raceAbort(attempt(signal, n), signal);
    } catch (error) {
      const failure = timeout.signal.aborted && !options.signal?.aborted ? timeout.signal.reason : error;
      if (options.signal?.aborted || n >= options.retries || !(options.retryable?.(failure) ?? true)) throw failure;
      const delay = backoffDelay(n + 1, options.baseDelayMs);
      options.onRetry?.(failure, n + 1, delay);
      await sleep(delay, options.signal);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Reject as soon as `signal` aborts, even if the work ignores it. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
