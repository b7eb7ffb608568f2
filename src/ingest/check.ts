/**
 * `outlets check`: for each outlet, each feed is fetched and parsed (ok / moved / not a feed /
 * challenge / dead) and its homepage fetched; a feed that is not ok sends discovery to the
 * homepage, and a confirmed replacement (where a feed moved for good, or the feed the homepage
 * offers) is proposed for `--fix`. Everything goes through ingest's fetch and its limits.
 */
import { loadOutlets, type Outlet } from '../core/config.ts';
import { silentReporter, type Reporter } from '../core/log.ts';
import { discoverFeeds, feedUrlOf, probeFeed, probePage, type FeedProbe, type PageProbe } from './discover.ts';
import { DEFAULT_LIMITS, type FetchLimits } from './fetch.ts';
import { selectOutlets } from './index.ts';
import type { FeedReplacement } from './fix.ts';
import { mapLimit } from '../core/pool.ts';

export interface FeedCheck extends FeedProbe {
  /** Feeds found from the homepage, when this one is not ok. */
  discovered?: FeedProbe[];
  /** The confirmed URL `--fix` writes instead of this one. */
  replacement?: string;
}

export interface OutletCheck {
  outlet: string;
  homepage: PageProbe;
  feeds: FeedCheck[];
}

export interface CheckOptions {
  root: string;
  /** Outlet ids (any, even disabled); default every outlet in the registry. */
  outlets?: string[];
  limits?: Partial<FetchLimits>;
  signal?: AbortSignal;
  reporter?: Reporter;
  /** Outlets checked at the same time (default 4). */
  concurrency?: number;
}

async function checkOutlet(outlet: Outlet, options: CheckOptions, limits: FetchLimits): Promise<OutletCheck> {
  const base = { limits, signal: options.signal };
  const feeds: FeedCheck[] = [];
  for (const url of outlet.feeds) feeds.push(await probeFeed(url, base));
  for (const feed of feeds) if (feed.status === 'moved' && feed.movedTo && !outlet.feeds.includes(feed.movedTo)) feed.replacement = feed.movedTo;
  const broken = feeds.filter((f) => f.status === 'not-a-feed' || f.status === 'dead');
  if (!broken.length) return { outlet: outlet.id, homepage: (await probePage(outlet.homepage, base)).page, feeds };
  const found = await discoverFeeds(outlet.homepage, { ...base, exclude: outlet.feeds });
  const offered = found.feeds.map(feedUrlOf);
  let next = 0;
  for (const feed of broken) {
    feed.discovered = found.feeds;
    // Each broken feed takes the next feed found, so two broken feeds never get the same one.
    const replacement = offered[next++];
    if (replacement) feed.replacement = replacement;
  }
  return { outlet: outlet.id, homepage: found.homepage, feeds };
}

/** Check the selected outlets' feeds and homepages. Throws only for bad config, an unknown id or an abort. */
export async function checkOutlets(options: CheckOptions): Promise<OutletCheck[]> {
  const all = await loadOutlets(options.root);
  const selected = options.outlets?.length ? selectOutlets(all, options.outlets) : all;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const reporter = options.reporter ?? silentReporter;
  let done = 0;
  return mapLimit(selected, options.concurrency ?? 4, async (outlet) => {
    reporter.progress(`outlets check ${done}/${selected.length}: ${outlet.id}`);
    const result = await checkOutlet(outlet, options, limits);
    done++;
    return result;
  });
}

/** The replacements `--fix` writes: confirmed feeds only. */
export function replacements(checks: OutletCheck[]): FeedReplacement[] {
  return checks.flatMap((c) => c.feeds.flatMap((f) => (f.replacement ? [{ outlet: c.outlet, from: f.url, to: f.replacement }] : [])));
}

function found(probe: FeedProbe): string {
  return `${probe.format}, ${probe.items} items${probe.newest ? `, newest ${probe.newest}` : ''}`;
}

/** One line a feed and one a homepage, e.g. "vlast  feed https://vlast.kz/rss/: not a feed → https://vlast.kz/feed/ (rss2, 20 items, newest …)". */
export function formatChecks(checks: OutletCheck[]): string {
  const width = Math.max(0, ...checks.map((c) => c.outlet.length));
  const rows: string[] = [];
  for (const check of checks) {
    const name = check.outlet.padEnd(width);
    for (const feed of check.feeds) {
      const replaced = feed.replacement ? ` → ${feed.replacement} (${found(feed.discovered?.find((d) => feedUrlOf(d) === feed.replacement) ?? feed)})` : '';
      let line: string;
      if (feed.status === 'ok') line = `ok, ${found(feed)}`;
      else if (feed.status === 'moved') line = `moved${replaced || ` → ${feed.movedTo} (${found(feed)})`}`;
      else if (feed.status === 'challenge') line = `challenge page: ${feed.reason}`;
      else line = `${feed.status === 'dead' ? 'dead' : 'not a feed'} (${feed.reason})${replaced || `; no feed found on ${check.homepage.url}`}`;
      rows.push(`${name}  feed ${feed.url}: ${line}`);
    }
    const page = check.homepage;
    rows.push(`${name}  homepage ${page.url}: ${page.status === 'ok' ? 'ok' : page.status === 'challenge' ? `challenge page: ${page.reason}` : `dead (${page.reason})`}`);
  }
  return rows.join('\n');
}
