/**
 * Feed discovery and probing, one home for `outlets check` and ingest's self-repair: is a feed
 * URL alive (ok / moved / not a feed / challenge / dead), and which feeds does a homepage
 * offer (<link rel="alternate"> of RSS, Atom, RDF or JSON Feed types, then the usual paths)?
 * Every request goes through fetchUrl with all its limits; a candidate counts only once it
 * has been fetched and parsed as a feed.
 */
import { Parser } from 'htmlparser2';
import { isoUtc } from '../core/article.ts';
import { describeError, NewsmirrorError } from '../core/errors.ts';
import { parseFeedDate } from './dates.ts';
import { decodeBody } from './decode.ts';
import { fetchUrl, type FetchLimits } from './fetch.ts';
import type { FeedFormat, ParsedFeed } from './parse/index.ts';
import { readFeed } from './read.ts';

export type ProbeStatus = 'ok' | 'moved' | 'not-a-feed' | 'challenge' | 'dead';

/** What one feed URL answered. */
export interface FeedProbe {
  url: string;
  status: ProbeStatus;
  /** For ok and moved: the feed's format, item count and newest item date (ISO UTC). */
  format?: FeedFormat;
  items?: number;
  newest?: string;
  /** For moved: where it moved for good (301/308). */
  movedTo?: string;
  /** For the others: the error code and message. */
  code?: string;
  reason?: string;
}

/** A homepage fetched for discovery. */
export interface PageProbe {
  url: string;
  status: 'ok' | 'challenge' | 'dead';
  code?: string;
  reason?: string;
}

export interface DiscoveryResult {
  homepage: PageProbe;
  /** Confirmed feeds, best first (the page's own alternate links in its order, else the first usual path that is a feed). */
  feeds: FeedProbe[];
}

export interface DiscoverOptions {
  limits: FetchLimits;
  signal?: AbortSignal;
  /** Feed URLs not to offer (the broken ones being replaced). */
  exclude?: string[];
  /** Only public addresses (for URLs a page named rather than outlets.yaml). */
  publicOnly?: boolean;
}

/** The paths feeds usually live at, tried in this order when a homepage links none. */
export const USUAL_FEED_PATHS = ['/feed/', '/rss', '/rss.xml', '/atom.xml', '/api/'];

/** Link types that announce a feed. */
const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml', 'application/rdf+xml', 'application/feed+json', 'application/json', 'application/x.atom+xml', 'application/x-atom+xml', 'application/x-rss+xml', 'text/xml', 'application/xml']);

/** Alternate links a homepage offers at most (a hostile page may list thousands). */
const MAX_LINKS = 8;

const HTML_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5';

/** The newest item date of a feed (ISO UTC), if any item has a readable one. */
export function newestDate(feed: ParsedFeed): string | undefined {
  let newest: Date | undefined;
  for (const item of feed.items) {
    const date = item.published ? parseFeedDate(item.published) : undefined;
    if (date && (!newest || date > newest)) newest = date;
  }
  return newest ? isoUtc(newest) : undefined;
}

function failed(url: string, error: unknown): FeedProbe {
  const code = error instanceof NewsmirrorError ? error.code : 'ERR_INTERNAL';
  const status: ProbeStatus = code === 'ERR_CHALLENGE' ? 'challenge' : code === 'ERR_NOT_A_FEED' || code === 'ERR_UNSUPPORTED_FORMAT' ? 'not-a-feed' : 'dead';
  return { url, status, code, reason: describeError(error) };
}

/** Fetch and parse one feed URL: ok (or moved, when a 301/308 led there), else why not. Never throws but on abort. */
export async function probeFeed(url: string, options: DiscoverOptions): Promise<FeedProbe> {
  try {
    const fetched = await fetchUrl({ url, limits: options.limits, signal: options.signal, publicOnly: options.publicOnly });
    const feed = readFeed(fetched, fetched.url);
    const probe: FeedProbe = { url, status: fetched.movedTo ? 'moved' : 'ok', format: feed.format, items: feed.items.length };
    const newest = newestDate(feed);
    if (newest) probe.newest = newest;
    if (fetched.movedTo) probe.movedTo = fetched.movedTo;
    return probe;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return failed(url, error);
  }
}

/**
 * The feed URLs a page announces: <link rel="alternate"> with a feed type, resolved against
 * the page's <base href> (if an http(s) one) or its URL, in document order, without repeats.
 */
export function feedLinks(html: string, pageUrl: string): string[] {
  let base = pageUrl;
  const raw: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === 'base' && attribs.href && raw.length === 0) {
          try {
            const url = new URL(attribs.href, pageUrl);
            if (url.protocol === 'http:' || url.protocol === 'https:') base = url.href;
          } catch {
            // a broken <base>: the page URL stays the base
          }
        }
        if (name !== 'link' || !attribs.href) return;
        const rel = (attribs.rel ?? '').toLowerCase().split(/\s+/);
        const type = (attribs.type ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        if (rel.includes('alternate') && FEED_TYPES.has(type)) raw.push(attribs.href);
        if (raw.length >= MAX_LINKS * 4) parser.pause();
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  const out: string[] = [];
  for (const href of raw) {
    try {
      const url = new URL(href.trim(), base);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && !out.includes(url.href)) out.push(url.href);
    } catch {
      // not a URL: skipped
    }
  }
  return out.slice(0, MAX_LINKS);
}

/** Fetch a homepage: ok, behind a challenge, or dead; with its HTML and final URL when ok. */
export async function probePage(url: string, options: DiscoverOptions): Promise<{ page: PageProbe; html?: string; finalUrl?: string }> {
  try {
    const fetched = await fetchUrl({ url, limits: options.limits, signal: options.signal, accept: HTML_ACCEPT });
    return { page: { url, status: 'ok' }, html: decodeBody(fetched.body, fetched.contentType), finalUrl: fetched.url };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const probe = failed(url, error);
    return { page: { url, status: probe.status === 'challenge' ? 'challenge' : 'dead', ...(probe.code ? { code: probe.code } : {}), ...(probe.reason ? { reason: probe.reason } : {}) } };
  }
}

/** A confirmed feed's URL to use: where it moved for good, else itself. */
export const feedUrlOf = (probe: FeedProbe): string => probe.movedTo ?? probe.url;

/**
 * Discover an outlet's feeds from its homepage: the page's alternate links first, then (only
 * when none of those is a feed) the usual paths on the homepage's host, stopping at the first
 * that is one. A homepage behind a challenge stops discovery there (every path would be too).
 */
export async function discoverFeeds(homepage: string, options: DiscoverOptions): Promise<DiscoveryResult> {
  const exclude = new Set(options.exclude ?? []);
  const { page, html, finalUrl } = await probePage(homepage, options);
  if (page.status === 'challenge') return { homepage: page, feeds: [] };
  const origin = finalUrl ?? homepage;
  const links = html !== undefined ? feedLinks(html, origin) : [];
  const confirmed: FeedProbe[] = [];
  const seen = new Set<string>();
  const take = (probe: FeedProbe) => {
    const url = feedUrlOf(probe);
    if ((probe.status === 'ok' || probe.status === 'moved') && !exclude.has(url) && !seen.has(url)) {
      seen.add(url);
      confirmed.push(probe);
    }
  };
  // A link to another host than the homepage's was written by the page, not the operator: public addresses only.
  const host = new URL(origin).hostname;
  for (const link of links.filter((l) => !exclude.has(l))) take(await probeFeed(link, { ...options, publicOnly: new URL(link).hostname !== host }));
  if (confirmed.length) return { homepage: page, feeds: confirmed };
  for (const path of USUAL_FEED_PATHS) {
    let candidate: string;
    try {
      candidate = new URL(path, origin).href;
    } catch {
      break;
    }
    if (exclude.has(candidate) || links.includes(candidate)) continue;
    take(await probeFeed(candidate, options));
    if (confirmed.length) break;
  }
  return { homepage: page, feeds: confirmed };
}
