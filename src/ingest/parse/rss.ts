/** RSS 2.0 (and 0.9x): <rss><channel><item>. Items share their reader with RSS 1.0 (rdf.ts). */
import { attr, child, children, childText, text, type Element } from './xml.ts';
import type { ParsedFeed, RawItem } from './types.ts';

/** Longer than any real "address (name)": the regex below is quadratic in the length of a run of "@"s. */
const AUTHOR_MAX = 512;

/** "jane@example.org (Jane Doe)" → "Jane Doe"; anything else (or longer than AUTHOR_MAX) as is. */
export function authorName(value: string): string {
  const match = value.length > AUTHOR_MAX ? null : /^\S+@\S+\s*\((.+)\)$/.exec(value);
  return (match?.[1] ?? value).trim();
}

/** One <item> of RSS 2.0 or RSS 1.0. */
export function readRssItem(item: Element): RawItem {
  const guidEl = child(item, 'guid');
  const guid = text(guidEl);
  let link = childText(item, 'link') ?? attr(item, 'rdf:about');
  if (!link && guid && attr(guidEl, 'isPermaLink') !== 'false' && /^https?:\/\//i.test(guid)) link = guid;
  const raw: RawItem = {
    authors: [...children(item, 'dc:creator', 'author', '*:creator')].map((el) => text(el)).filter((v): v is string => !!v).map(authorName),
    categories: children(item, 'category', 'dc:subject').map((el) => text(el)).filter((v): v is string => !!v),
  };
  if (guid) raw.guid = guid;
  if (link) raw.link = link;
  const title = childText(item, 'title');
  if (title) raw.title = { value: title, type: 'html' };
  const published = childText(item, 'pubDate', 'dc:date', '*:date');
  if (published) raw.published = published;
  const updated = childText(item, 'atom:updated', 'dc:modified');
  if (updated) raw.updated = updated;
  const content = childText(item, 'content:encoded', '*:encoded');
  if (content) raw.content = { value: content, type: 'html' };
  const summary = childText(item, 'description');
  if (summary) raw.summary = { value: summary, type: 'html' };
  const lang = childText(item, 'dc:language', '*:language');
  if (lang) raw.lang = lang;
  return raw;
}

/** The channel's own title, link and language. */
export function readChannel(channel: Element | undefined): Omit<ParsedFeed, 'format' | 'items'> {
  const feed: Omit<ParsedFeed, 'format' | 'items'> = { title: '' };
  if (!channel) return feed;
  feed.title = childText(channel, 'title') ?? '';
  const link = childText(channel, 'link');
  if (link) feed.link = link;
  const lang = childText(channel, 'language', 'dc:language', '*:language');
  if (lang) feed.lang = lang;
  return feed;
}

/** The feed around its items (read one by one while parsing, see xml.ts). */
export function parseRss(root: Element, items: RawItem[]): ParsedFeed {
  return { format: 'rss2', ...readChannel(child(root, 'channel')), items };
}
