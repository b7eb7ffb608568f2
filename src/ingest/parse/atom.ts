/** Atom 1.0 (and 0.3): <feed><entry>; text constructs are text, html or xhtml. */
import { attr, child, children, childText, innerHtml, text, type Element } from './xml.ts';
import type { FeedText, ParsedFeed, RawItem } from './types.ts';

/** An Atom text construct: type="text" (default), "html", or "xhtml" (one <div> of markup). */
function textConstruct(el: Element | undefined): FeedText | undefined {
  if (!el) return undefined;
  const type = (attr(el, 'type') ?? 'text').toLowerCase();
  if (type === 'xhtml' || type === 'application/xhtml+xml') {
    const div = el.children.find((node): node is Element => node.type === 'tag');
    const value = (div ? innerHtml(div) : innerHtml(el)).trim();
    return value ? { value, type: 'html' } : undefined;
  }
  const value = text(el);
  if (!value) return undefined;
  return { value, type: type === 'html' || type === 'text/html' ? 'html' : 'text' };
}

/** The alternate link: rel="alternate" or no rel, else the first link with an href. */
function alternateLink(el: Element): string | undefined {
  const links = children(el, 'link', '*:link');
  const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate' && attr(l, 'href')) ?? links.find((l) => attr(l, 'href'));
  return attr(alternate, 'href');
}

/** One <entry>. */
export function readEntry(entry: Element): RawItem {
  const raw: RawItem = {
    authors: children(entry, 'author', '*:author').map((a) => childText(a, 'name', '*:name')).filter((v): v is string => !!v),
    categories: children(entry, 'category', '*:category').map((c) => attr(c, 'label') ?? attr(c, 'term')).filter((v): v is string => !!v),
  };
  const id = childText(entry, 'id', '*:id');
  if (id) raw.guid = id;
  const link = alternateLink(entry);
  if (link) raw.link = link;
  const title = textConstruct(child(entry, 'title', '*:title'));
  if (title) raw.title = title;
  const published = childText(entry, 'published', 'issued', '*:published');
  const updated = childText(entry, 'updated', 'modified', '*:updated');
  if (published ?? updated) raw.published = published ?? updated;
  if (updated) raw.updated = updated;
  const content = textConstruct(child(entry, 'content', '*:content'));
  if (content) raw.content = content;
  const summary = textConstruct(child(entry, 'summary', '*:summary'));
  if (summary) raw.summary = summary;
  const lang = attr(entry, 'xml:lang');
  if (lang) raw.lang = lang;
  return raw;
}

/** The feed around its entries (read one by one with readEntry while parsing). */
export function parseAtom(root: Element, items: RawItem[]): ParsedFeed {
  const feed: ParsedFeed = { format: 'atom', title: text(child(root, 'title', '*:title')) ?? '', items };
  const link = alternateLink(root);
  if (link) feed.link = link;
  const lang = attr(root, 'xml:lang');
  if (lang) feed.lang = lang;
  return feed;
}
