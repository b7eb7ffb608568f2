/** Feed bytes-as-text to a ParsedFeed: sniffs the format, one parser a format. Never sees a URL's content other than the text. */
import { IngestError } from '../errors.ts';
import { parseAtom, readEntry } from './atom.ts';
import { parseJsonFeed } from './jsonfeed.ts';
import { parseRdf } from './rdf.ts';
import { parseRss, readRssItem } from './rss.ts';
import { attr, child, notAFeed, parseXml, text, type Element } from './xml.ts';
import type { BadItem, ParsedFeed, RawItem } from './types.ts';

export type { BadItem, Enclosure, FeedFormat, FeedText, ParsedFeed, RawItem } from './types.ts';

const isRdf = (name: string) => name === 'rdf:rdf' || name.endsWith(':rdf');
const isAtom = (name: string) => name === 'feed' || name.endsWith(':feed');

function itemReader(rootName: string): ((el: Element, url: string) => RawItem) | undefined {
  const name = rootName.toLowerCase();
  if (name === 'rss' || isRdf(name)) return readRssItem;
  return isAtom(name) ? readEntry : undefined;
}

/** Parse a feed; `url` only names it in errors. Throws IngestError (ERR_NOT_A_FEED, ERR_BAD_FEED, ERR_UNSAFE_XML, ERR_UNSUPPORTED_FORMAT). */
export function parseFeed(body: string, url: string): ParsedFeed {
  const start = body.trimStart();
  if (start.startsWith('{')) return parseJsonFeed(start, url);
  if (!start.startsWith('<')) throw notAFeed(url, 'neither XML nor JSON');
  const items: RawItem[] = [];
  const bad: BadItem[] = [];
  let position = 0;
  const { root } = parseXml(start, url, (el, rootName) => {
    const read = itemReader(rootName);
    if (!read) return;
    position++;
    // One unreadable item (e.g. markup nested past the stack) is reported; the rest of the feed is kept.
    try {
      items.push(read(el, url));
    } catch (error) {
      const why = error instanceof RangeError ? 'markup nested too deeply' : error instanceof Error ? error.message : String(error);
      const link = attr(child(el, 'link', '*:link'), 'href') ?? text(child(el, 'link'));
      bad.push({ position, ...(link ? { link } : {}), reason: `item ${position} could not be read (${why}); skipped` });
    }
  });
  const withBad = (feed: ParsedFeed): ParsedFeed => (bad.length ? { ...feed, badItems: bad } : feed);
  const name = root.name.toLowerCase();
  if (name === 'rss') return withBad(parseRss(root, items, url));
  if (isRdf(name)) return withBad(parseRdf(root, items));
  if (isAtom(name)) return withBad(parseAtom(root, items, url));
  throw new IngestError('ERR_NOT_A_FEED', url, `${url}: not a feed (root element <${root.name}>, expected rss, rdf:RDF or feed); check the feed URL`);
}
