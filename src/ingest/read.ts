/** A fetched feed body to a ParsedFeed: too-short answers refused, bytes decoded, format sniffed. Shared by ingest and `outlets check`. */
import { decodeBody } from './decode.ts';
import { IngestError } from './errors.ts';
import type { FetchResult } from './fetch.ts';
import { parseFeed, type ParsedFeed } from './parse/index.ts';

/** Shorter than the smallest real feed (`<feed xmlns="http://www.w3.org/2005/Atom"/>` is 44 bytes). */
export const MIN_FEED_BYTES = 40;

/**
 * Parse a 200 answer as a feed. A body of a few bytes ("Bad Request", "<rss></rss>") is a
 * failure, never "nothing new": a server that empties its feed must not look healthy.
 */
export function readFeed(fetched: Pick<FetchResult, 'body' | 'contentType'>, url: string): ParsedFeed {
  const bytes = fetched.body.length;
  if (Buffer.from(fetched.body).toString('latin1').trim().length < MIN_FEED_BYTES) {
    throw new IngestError('ERR_BAD_FEED', url, `${url}: HTTP 200 with a ${bytes}-byte body, too short to be a feed (a broken server or an emptied file); kept the outlet's earlier articles, try again later`);
  }
  return parseFeed(decodeBody(fetched.body, fetched.contentType), url);
}
