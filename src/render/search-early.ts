/**
 * Search shards indexed while Eleventy still renders (a large build, in batches): a shard
 * whose every page this build renders is indexed as soon as its last page is written, on
 * one Pagefind service, so Pagefind uses the second core while Eleventy uses the first.
 * Such a shard would be indexed at the end anyway (all its pages changed). indexSite()
 * takes an early shard only when the site's final shard of that key holds exactly the same
 * pages and is indexed the same way; every other shard is indexed there as before, so the
 * bytes are those of indexing everything at the end.
 *
 * The shards of the newest month are left to the end: they are split by day, and the days
 * are known only once Eleventy has read the articles.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { anotherPagefind, indexShard, RESTART_PAGES, SEARCH_DIR, type Pagefind } from './search-index.ts';
import { articleMonth, groupByShard, leadOnly, newestMonth, type FullText } from './search-shards.ts';

/** Where early shards are written inside the new site (moved into the index, or removed, by indexSite). */
export const EARLY_DIR = `${SEARCH_DIR}.early`;
/** Module instance number of the early service (indexSite's own are 0 and 1). */
const EARLY_SERVICE = 9;

export class EarlyShards {
  private readonly newest: string;
  /** Shard key of each page still awaited. */
  private readonly keyOf = new Map<string, string>();
  private readonly pending = new Map<string, { pages: string[]; left: number }>();
  private readonly done = new Map<string, { pages: string[]; lead: boolean }>();
  private queue: Promise<void> = Promise.resolve();
  private service: Pagefind | undefined;
  private sinceRestart = 0;
  private stopped = false;

  /**
   * `pages`: every article page (root-relative) the finished site will have, as far as the plan
   * knows; `rendered`: those this build renders. Only shards made of rendered pages are taken on.
   */
  constructor(
    private readonly siteDir: string,
    pages: readonly string[],
    rendered: ReadonlySet<string>,
    private readonly fullText: FullText,
    private readonly signal?: AbortSignal,
  ) {
    this.newest = newestMonth(pages);
    for (const [key, members] of groupByShard([...pages].sort())) {
      const month = articleMonth(members[0]!);
      if (!month || `${month.year}-${month.month}` === this.newest || !members.every((page) => rendered.has(page))) continue;
      this.pending.set(key, { pages: members, left: members.length });
      for (const page of members) this.keyOf.set(page, key);
    }
  }

  /** Pages Eleventy has just written: each shard whose last page this was is queued for indexing. */
  rendered(pages: Iterable<string>): void {
    for (const page of pages) {
      const key = this.keyOf.get(page);
      if (key === undefined) continue;
      this.keyOf.delete(page);
      const shard = this.pending.get(key)!;
      if (--shard.left > 0) continue;
      this.pending.delete(key);
      this.queue = this.queue.then(() => this.index(key, shard.pages));
    }
  }

  private async index(key: string, pages: string[]): Promise<void> {
    if (this.stopped || this.signal?.aborted) return;
    try {
      // A page the plan expected but Eleventy did not write (an article it left out): the final shard differs; leave it to the end.
      for (const page of pages) await stat(join(this.siteDir, page));
      this.service ??= await anotherPagefind(EARLY_SERVICE);
      if (this.sinceRestart > 0 && this.sinceRestart + pages.length > RESTART_PAGES) {
        await this.service.close();
        this.sinceRestart = 0;
      }
      const lead = leadOnly(key, this.fullText, this.newest);
      await indexShard(this.service, this.siteDir, key, pages, join(this.siteDir, EARLY_DIR, key), lead);
      this.sinceRestart += pages.length;
      this.done.set(key, { pages, lead });
    } catch {
      // Indexed again at the end, where a failure is reported.
    }
  }

  /** Wait for the shards queued so far, then stop the service (indexSite then runs its own). */
  async finish(): Promise<void> {
    await this.queue;
    this.stopped = true;
    await this.service?.close().catch(() => {});
    this.service = undefined;
  }

  /** The folder of the early shard `key` if it holds exactly `pages`, indexed the same way (`lead`). */
  take(key: string, pages: readonly string[], lead: boolean): string | undefined {
    const early = this.done.get(key);
    if (!early || early.lead !== lead || early.pages.length !== pages.length || early.pages.some((page, i) => page !== pages[i])) return undefined;
    return join(this.siteDir, EARLY_DIR, key);
  }

  /** Shards indexed early so far (for the report and tests). */
  get indexed(): number {
    return this.done.size;
  }
}
