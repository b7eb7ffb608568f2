/**
 * Atom 1.0 and 0.3: <feed><entry>. Text constructs are text, html or xhtml; Atom 0.3's
 * mode="escaped|base64|xml" and Atom 1.0's base64 content (a non-text, non-XML type) are
 * decoded. xml:base on the feed, the entry, the link and the content resolves links.
 */
import { enclosure, pickBody } from './body.ts';
import { attr, child, children, childText, innerHtml, text, xmlBase, type Element } from './xml.ts';
import type { Enclosure, FeedText, ParsedFeed, RawItem } from './types.ts';

const XHTML = /^(xhtml|application\/xhtml\+xml)$/;
const HTML = /^(html|text\/html)$/;

/** Atom 1.0 §4.1.3.3: content of a type that is neither text nor XML is base64. */
function isBase64(type: string, mode: string | undefined): boolean {
  if (mode) return mode === 'base64';
  if (['text', 'html', 'xhtml'].includes(type) || type.startsWith('text/')) return false;
  return !/[+/]xml$/.test(type) && type.includes('/');
}

/** base64 to UTF-8 text, or undefined when it is not text (an image, say). */
function decodeBase64(value: string): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(value.replace(/\s+/g, ''), 'base64')).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** An Atom text construct: type="text" (default), "html", "xhtml" (one <div> of markup), a MIME type, or Atom 0.3's modes. */
function textConstruct(el: Element | undefined, documentUrl: string, withBase = true): FeedText | undefined {
  if (!el) return undefined;
  const type = (attr(el, 'type') ?? 'text').toLowerCase();
  const mode = attr(el, 'mode')?.toLowerCase();
  // A title is reduced to text: no link in it needs a base.
  const base = withBase ? xmlBase(el, documentUrl) : undefined;
  const out = (value: string | undefined, kind: FeedText['type']): FeedText | undefined => {
    if (!value) return undefined;
    const result: FeedText = { value, type: kind };
    if (base) result.base = base;
    return result;
  };
  if (XHTML.test(type) || mode === 'xml') {
    const div = el.children.find((node): node is Element => node.type === 'tag');
    const inline = div && /(^|:)div$/.test(div.name) && el.children.filter((n) => n.type === 'tag').length === 1;
    return out((inline ? innerHtml(div) : innerHtml(el)).trim(), 'html');
  }
  if (isBase64(type, mode)) {
    const decoded = decodeBase64(text(el) ?? '');
    return out(decoded, /html/.test(type) || /<\/?[a-z][^>]*>/i.test(decoded ?? '') ? 'html' : 'text');
  }
  return out(text(el), HTML.test(type) || (mode === 'escaped' && type !== 'text/plain') ? 'html' : 'text');
}

/** The alternate link: rel="alternate" or no rel, else the first link with an href; resolved against its xml:base. */
function alternateLink(el: Element, documentUrl: string): string | undefined {
  const links = children(el, 'link', '*:link');
  const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate' && attr(l, 'href')) ?? links.find((l) => attr(l, 'href'));
  return resolved(alternate, documentUrl);
}

/** A link element's href, made absolute when an xml:base is in force (else left for normalize to resolve). */
function resolved(link: Element | undefined, documentUrl: string): string | undefined {
  const href = attr(link, 'href');
  if (!link || !href) return href;
  const base = xmlBase(link, documentUrl);
  if (!base) return href;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

function enclosures(entry: Element, documentUrl: string): Enclosure[] {
  return children(entry, 'link', '*:link')
    .filter((l) => attr(l, 'rel') === 'enclosure')
    .map((l) => enclosure(resolved(l, documentUrl), attr(l, 'type'), attr(l, 'length')))
    .filter((e): e is Enclosure => !!e);
}

/** One <entry>; `documentUrl` is the base of last resort for xml:base. */
export function readEntry(entry: Element, documentUrl = ''): RawItem {
  const raw: RawItem = {
    authors: children(entry, 'author', '*:author', 'dc:creator').map((a) => childText(a, 'name', '*:name') ?? (a.name === 'dc:creator' ? text(a) : undefined)).filter((v): v is string => !!v),
    categories: children(entry, 'category', '*:category', 'dc:subject').map((c) => attr(c, 'label') ?? attr(c, 'term') ?? text(c)).filter((v): v is string => !!v),
  };
  const id = childText(entry, 'id', '*:id');
  if (id) raw.guid = id;
  const link = alternateLink(entry, documentUrl);
  if (link) raw.link = link;
  const title = textConstruct(child(entry, 'title', '*:title'), documentUrl, false) ?? (childText(entry, 'dc:title') ? { value: childText(entry, 'dc:title') as string, type: 'text' } : undefined);
  if (title) raw.title = title;
  const published = childText(entry, 'published', 'issued', 'created', '*:published', 'dcterms:issued', 'dc:date');
  const updated = childText(entry, 'updated', 'modified', '*:updated', 'dcterms:modified');
  if (published ?? updated) raw.published = published ?? updated;
  if (updated) raw.updated = updated;
  const content = textConstruct(child(entry, 'content', '*:content'), documentUrl);
  const summary =
    textConstruct(child(entry, 'summary', '*:summary'), documentUrl) ??
    (childText(entry, 'dc:description') ? { value: childText(entry, 'dc:description') as string, type: 'html' } : undefined) ??
    (childText(entry, 'media:description', 'itunes:summary') ? { value: childText(entry, 'media:description', 'itunes:summary') as string, type: 'text' } : undefined);
  Object.assign(raw, pickBody([content], summary));
  const lang = attr(entry, 'xml:lang');
  if (lang) raw.lang = lang;
  const files = enclosures(entry, documentUrl);
  if (files.length) raw.enclosures = files;
  return raw;
}

/** The feed around its entries (read one by one with readEntry while parsing). */
export function parseAtom(root: Element, items: RawItem[], url = ''): ParsedFeed {
  const feed: ParsedFeed = { format: 'atom', title: text(child(root, 'title', '*:title')) ?? '', items };
  const subtitle = text(child(root, 'subtitle', 'tagline', '*:subtitle'));
  if (subtitle) feed.description = subtitle;
  const link = alternateLink(root, url);
  if (link) feed.link = link;
  const lang = attr(root, 'xml:lang');
  if (lang) feed.lang = lang;
  return feed;
}
