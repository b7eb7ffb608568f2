/**
 * Takedown matching, the one rule ingest, render and `takedown` share: an
 * article is taken down when an active tombstone in content/_data/takedowns.yaml
 * has its id, or its original URL (compared by takedownUrlKey).
 */
import type { Takedown } from './config.ts';

/**
 * A URL as takedowns compare it: no fragment, no trailing slash on the path,
 * so "https://x.example/a/" copied from a browser also takes down "https://x.example/a".
 */
export function takedownUrlKey(raw: string): string {
  try {
    const url = new URL(raw.trim());
    url.hash = '';
    // A loop, not /\/+$/: that regex is quadratic on a hostile link with a long run of slashes mid-path.
    let end = url.pathname.length;
    while (end > 1 && url.pathname.charCodeAt(end - 1) === 47) end--;
    url.pathname = url.pathname.slice(0, end);
    return url.href;
  } catch {
    return raw.trim();
  }
}

/** What matching reads of a tombstone (a Takedown, or a target probed by `takedown`). */
export type TombstoneLike = Pick<Takedown, 'id' | 'url'> & { time?: string; undone?: { time: string } };

/** Whether a tombstone is in force (not lifted by `takedown --undo`). */
export function isActive(takedown: TombstoneLike): boolean {
  return takedown.undone === undefined;
}

/** Whether a takedown target has the shape of an original URL. */
export function isUrlTarget(target: string): boolean {
  return /^https?:\/\//i.test(target);
}

/** Whether a takedown target has the shape of an article id, `<outlet>/<hex or slug>`. */
export function isIdTarget(target: string): boolean {
  return /^[a-z0-9][a-z0-9-]*\/[0-9a-z-]+$/.test(target);
}

/** The active tombstones of one takedowns.yaml, indexed by id and by URL key. */
export class TakedownIndex<T extends TombstoneLike = Takedown> {
  readonly #byId = new Map<string, T>();
  readonly #byUrl = new Map<string, T>();
  /** Latest time in the log (a tombstone or an undo), ISO UTC; null when empty. It changes what the site shows. */
  readonly latest: string | null;

  constructor(takedowns: readonly T[]) {
    let latest: string | null = null;
    for (const t of takedowns) {
      for (const time of [t.time, t.undone?.time]) {
        if (!time) continue;
        const iso = new Date(time).toISOString();
        if (!latest || iso > latest) latest = iso;
      }
      if (!isActive(t)) continue;
      this.#byId.set(t.id, t);
      if (t.url) this.#byUrl.set(takedownUrlKey(t.url), t);
    }
    this.latest = latest;
  }

  /** The active tombstone that takes down an article with this id or original URL, if any. */
  find(article: { id: string; url?: string | null }): T | undefined {
    return this.#byId.get(article.id) ?? (article.url && this.#byUrl.size ? this.#byUrl.get(takedownUrlKey(article.url)) : undefined);
  }

  has(article: { id: string; url?: string | null }): boolean {
    return this.find(article) !== undefined;
  }

  get size(): number {
    return this.#byId.size;
  }

  /** What one `takedown` target (an id, or an original URL) would take down. */
  static forTarget(target: string): TakedownIndex<TombstoneLike> {
    return new TakedownIndex<TombstoneLike>([{ id: target, ...(isUrlTarget(target) ? { url: target } : {}) }]);
  }
}
