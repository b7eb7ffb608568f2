/**
 * Rebuild requests → runs, one at a time. Requests that arrive within
 * `settleMs` of each other start one run together; requests that arrive while
 * a run is going coalesce into exactly one follow-up run after it. Keeps the
 * last runs for GET /-/status.
 */

export interface RunRecord {
  /** 1, 2, 3… in order of starting. */
  run: number;
  /** Outlets whose triggers this run answers, sorted. */
  outlets: string[];
  /** How many accepted triggers it answers. */
  requests: number;
  queued: string;
  started?: string;
  finished?: string;
  state: 'queued' | 'running' | 'ok' | 'partial' | 'failed';
  /** One line: the pipeline's summary or its error. */
  detail?: string;
}

/** What a run reports back: a state and one line for the status page. */
export interface RunOutcome {
  state: 'ok' | 'partial' | 'failed';
  detail: string;
}

export interface RebuildQueue {
  /** Ask for a rebuild of `outlet`; returns the run that will answer it. */
  request(outlet: string): RunRecord;
  /** The current run, the queued one, and the last finished ones (newest first). */
  status(): { running: RunRecord | null; queued: RunRecord | null; recent: RunRecord[] };
  /** Resolves when nothing is running or queued. */
  idle(): Promise<void>;
}

export interface QueueOptions {
  /** Runs the pipeline for these outlets; a thrown error counts as a failed run. */
  run: (outlets: string[], signal: AbortSignal) => Promise<RunOutcome>;
  /** Wait this long after the first request before starting, gathering others (default 500 ms). */
  settleMs?: number;
  /** How many finished runs to keep (default 20). */
  keep?: number;
  now?: () => Date;
  signal?: AbortSignal;
  onFinish?: (record: RunRecord) => void;
}

export function createRebuildQueue(options: QueueOptions): RebuildQueue {
  const { settleMs = 500, keep = 20, now = () => new Date(), signal = new AbortController().signal } = options;
  let counter = 0;
  let running: RunRecord | null = null;
  let queued: RunRecord | null = null;
  const recent: RunRecord[] = [];
  let waiters: (() => void)[] = [];

  const settleIdle = () => {
    if (running || queued) return;
    for (const w of waiters) w();
    waiters = [];
  };

  async function execute(record: RunRecord): Promise<void> {
    running = record;
    record.state = 'running';
    record.started = now().toISOString();
    try {
      const outcome = await options.run([...record.outlets], signal);
      record.state = outcome.state;
      record.detail = outcome.detail;
    } catch (error) {
      record.state = 'failed';
      record.detail = (error as Error)?.message ?? String(error);
    }
    record.finished = now().toISOString();
    running = null;
    recent.unshift(record);
    recent.splice(keep);
    options.onFinish?.(record);
    startQueued(0);
  }

  function startQueued(delay: number): void {
    if (running || !queued) {
      settleIdle();
      return;
    }
    const next = queued;
    setTimeout(() => {
      if (queued !== next || running) return;
      queued = null;
      void execute(next);
    }, delay);
  }

  return {
    request(outlet) {
      if (!queued) {
        queued = { run: ++counter, outlets: [], requests: 0, queued: now().toISOString(), state: 'queued' };
        // Idle: gather for settleMs, then start. Busy: it starts when the current run ends.
        if (!running) startQueued(settleMs);
      }
      if (!queued.outlets.includes(outlet)) queued.outlets = [...queued.outlets, outlet].sort();
      queued.requests++;
      return queued;
    },
    status() {
      return { running, queued, recent: [...recent] };
    },
    idle() {
      if (!running && !queued) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
