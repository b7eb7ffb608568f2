/** RSS 1.0 (RDF): <rdf:RDF><channel/><item/>...; items are siblings of the channel. */
import { readChannel, readRssItem } from './rss.ts';
import { child, children, type Element } from './xml.ts';
import type { ParsedFeed } from './types.ts';

export function parseRdf(root: Element): ParsedFeed {
  const channel = child(root, 'channel', '*:channel');
  return { format: 'rdf', ...readChannel(channel), items: children(root, 'item', '*:item').map(readRssItem) };
}
