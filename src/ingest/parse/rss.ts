/**
 * RSS 2.0 (and 0.9x, and the Yandex.News / Turbo dialects): <rss><channel><item>. Items share
 * their reader with RSS 1.0 (rdf.ts), whose elements may carry an explicit prefix
 * (<rss:item><rss:title>): an item's children under its own prefix count as unprefixed.
 */
import { IngestError } from '../errors.ts';
import { enclosure, htmlOrText, pickBody } from './body.ts';
import { attr, child, children, childText, innerHtml, text, type Element } from './xml.ts';
import type { Enclosure, FeedText, ParsedFeed, RawItem } from './types.ts';

/** Longer than any real "address (name)": the regex below is quadratic in the length of a run of "@"s. */
const AUTHOR_MAX = 512;

/** "jane@example.org (Jane Doe)" → "Jane Doe"; anything else (or longer than AUTHOR_MAX) as is. */
export function authorName(value: string): string {
  const match = value.length > AUTHOR_MAX ? null : /^\S+@\S+\s*\((.+)\)$/.exec(value);
  return (match?.[1] ?? value).trim();
}

/** `names` as written, and under the element's own prefix ("rss:title" inside <rss:item>). */
function own(el: Element, ...names: string[]): string[] {
  const colon = el.name.indexOf(':');
  if (colon < 0) return names;
  const prefix = el.name.slice(0, colon + 1);
  return names.flatMap((n) => (n.includes(':') ? [n] : [n, prefix + n]));
}

const html = (value: string | undefined): FeedText | undefined => (value ? { value, type: 'html' } : undefined);

/** Yandex Turbo content opens with a <header> repeating the title (and the cover): the article is what follows. */
function turboContent(item: Element): FeedText | undefined {
  const value = childText(item, 'turbo:content');
  return html(value?.replace(/^\s*<header\b[\s\S]*?<\/header>\s*/i, '') || value);
}

/** <xhtml:body> or <body>: inline XHTML markup. */
function xhtmlBody(item: Element): FeedText | undefined {
  const body = child(item, 'xhtml:body', '*:body', 'body');
  const value = body ? innerHtml(body).trim() : '';
  return value ? { value, type: 'html' } : undefined;
}

/** Media RSS's description, on the item or inside its <media:group> / <media:content>. */
function mediaDescription(item: Element): string | undefined {
  const direct = childText(item, 'media:description');
  if (direct) return direct;
  for (const holder of children(item, 'media:group', 'media:content')) {
    const inner = childText(holder, 'media:description') ?? mediaDescription(holder);
    if (inner) return inner;
  }
  return undefined;
}

function enclosures(item: Element): Enclosure[] {
  return children(item, ...own(item, 'enclosure'))
    .map((el) => enclosure(attr(el, 'url') ?? attr(el, 'rdf:resource'), attr(el, 'type'), attr(el, 'length')))
    .filter((e): e is Enclosure => !!e);
}

/** One <item> of RSS 2.0 or RSS 1.0. */
export function readRssItem(item: Element): RawItem {
  const guidEl = child(item, ...own(item, 'guid'));
  const guid = text(guidEl);
  let link = childText(item, ...own(item, 'link')) ?? attr(item, 'rdf:about');
  if (!link && guid && attr(guidEl, 'isPermaLink') !== 'false' && /^https?:\/\//i.test(guid)) link = guid;
  const raw: RawItem = {
    authors: [...children(item, 'dc:creator', ...own(item, 'author'), '*:creator')].map((el) => text(el)).filter((v): v is string => !!v).map(authorName),
    categories: children(item, ...own(item, 'category'), 'dc:subject').map((el) => text(el)).filter((v): v is string => !!v),
  };
  if (guid) raw.guid = guid;
  if (link) raw.link = link;
  const title = childText(item, ...own(item, 'title'), 'dc:title');
  if (title) raw.title = { value: title, type: 'html' };
  const published = childText(item, ...own(item, 'pubDate'), 'dc:date', 'dcterms:issued', 'dcterms:created', '*:date');
  if (published) raw.published = published;
  const updated = childText(item, 'atom:updated', 'dc:modified', 'dcterms:modified');
  if (updated) raw.updated = updated;
  // Every place a CMS puts the article; the fullest wins (pickBody).
  const bodies = [
    html(childText(item, 'content:encoded', '*:encoded')),
    htmlOrText(childText(item, 'yandex:full-text', '*:full-text')),
    turboContent(item),
    xhtmlBody(item),
  ];
  const summary =
    html(childText(item, ...own(item, 'description'), 'dc:description')) ??
    html(childText(item, 'itunes:summary')) ??
    html(mediaDescription(item));
  Object.assign(raw, pickBody(bodies, summary));
  const lang = childText(item, 'dc:language', '*:language');
  if (lang) raw.lang = lang;
  const files = enclosures(item);
  if (files.length) raw.enclosures = files;
  return raw;
}

/** The channel's own title, description, link and language. */
export function readChannel(channel: Element | undefined): Omit<ParsedFeed, 'format' | 'items'> {
  const feed: Omit<ParsedFeed, 'format' | 'items'> = { title: '' };
  if (!channel) return feed;
  feed.title = childText(channel, ...own(channel, 'title'), 'dc:title') ?? '';
  const description = childText(channel, ...own(channel, 'description'), 'dc:description');
  if (description) feed.description = description;
  const link = childText(channel, ...own(channel, 'link'));
  if (link) feed.link = link;
  const lang = childText(channel, ...own(channel, 'language'), 'dc:language', '*:language');
  if (lang) feed.lang = lang;
  return feed;
}

/** The feed around its items (read one by one while parsing, see xml.ts). */
export function parseRss(root: Element, items: RawItem[], url: string): ParsedFeed {
  const channel = child(root, 'channel', '*:channel');
  if (!channel) throw new IngestError('ERR_BAD_FEED', url, `${url}: an <rss> document without a <channel> (an empty or broken feed); kept the outlet's earlier articles`);
  return { format: 'rss2', ...readChannel(channel), items };
}
