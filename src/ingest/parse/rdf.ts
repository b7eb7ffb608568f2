/** RSS 1.0 (RDF): <rdf:RDF><channel/><item/>...; items are siblings of the channel, with or without an explicit prefix (<rss:channel>). */
import { readChannel } from './rss.ts';
import { child, type Element } from './xml.ts';
import type { ParsedFeed, RawItem } from './types.ts';

/** The feed around its items (each <item> is read with rss.ts's reader while parsing). */
export function parseRdf(root: Element, items: RawItem[]): ParsedFeed {
  return { format: 'rdf', ...readChannel(child(root, 'channel', '*:channel')), items };
}
