/** Feed bytes-as-text to a ParsedFeed: sniffs the format, one parser a format. Never sees a URL's content other than the text. */
import { IngestError } from '../errors.ts';
import { parseAtom } from './atom.ts';
import { parseJsonFeed } from './jsonfeed.ts';
import { parseRdf } from './rdf.ts';
import { parseRss } from './rss.ts';
import { notAFeed, parseXml } from './xml.ts';
import type { ParsedFeed } from './types.ts';

export type { FeedFormat, FeedText, ParsedFeed, RawItem } from './types.ts';

/** Parse a feed; `url` only names it in errors. Throws IngestError (ERR_NOT_A_FEED, ERR_BAD_FEED, ERR_UNSAFE_XML, ERR_UNSUPPORTED_FORMAT). */
export function parseFeed(body: string, url: string): ParsedFeed {
  const start = body.trimStart();
  if (start.startsWith('{')) return parseJsonFeed(start, url);
  if (!start.startsWith('<')) throw notAFeed(url, 'neither XML nor JSON');
  const { root } = parseXml(start, url);
  const name = root.name.toLowerCase();
  if (name === 'rss') return parseRss(root);
  if (name === 'rdf:rdf' || name.endsWith(':rdf')) return parseRdf(root);
  if (name === 'feed' || name.endsWith(':feed')) return parseAtom(root);
  throw new IngestError('ERR_NOT_A_FEED', url, `${url}: not a feed (root element <${root.name}>, expected rss, rdf:RDF or feed); check the feed URL`);
}
