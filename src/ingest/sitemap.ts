/**
 * Sitemap bytes to entries: a news sitemap (<news:news> with title and publication date), a
 * plain <urlset> with <lastmod>, or a <sitemapindex>. Hostile input: gzip (.xml.gz) is
 * inflated under a byte cap, DTD entities are refused by the feed parser's XML reader (never
 * expanded), and entries beyond the protocol's 50,000 are counted, not kept. Never sees a URL.
 */
import zlib from 'node:zlib';
import { decodeBody } from './decode.ts';
import { IngestError } from './errors.ts';
import { absoluteHttpUrl } from './normalize.ts';
import { child, childText, children, parseXml, type Element } from './parse/xml.ts';

/** The sitemap protocol's own limit of entries in one file. */
export const MAX_SITEMAP_ENTRIES = 50_000;

export interface SitemapUrl {
  /** Absolute http(s) URL of the page. */
  loc: string;
  lastmod?: string;
  /** From <news:news>: the article's title, publication date and language. */
  news?: { title?: string; date?: string; lang?: string };
}

export type ParsedSitemap =
  | { kind: 'urlset'; urls: SitemapUrl[]; /** Entries beyond MAX_SITEMAP_ENTRIES, left out. */ dropped: number }
  | { kind: 'index'; sitemaps: { loc: string; lastmod?: string }[]; dropped: number };

const localName = (name: string) => name.slice(name.indexOf(':') + 1).toLowerCase();

/** Gzip bytes (a .xml.gz served as a file, no Content-Encoding) inflated, at most `maxBytes`. */
export function gunzipCapped(bytes: Buffer, maxBytes: number, url: string): Buffer {
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new IngestError('ERR_DECOMPRESSED_TOO_LARGE', url, `${url}: the gzipped sitemap inflates to more than ${maxBytes} bytes (a compression bomb?); refused`, { cause: error });
    }
    throw new IngestError('ERR_BAD_ENCODING', url, `${url}: the gzipped sitemap is corrupt (${(error as Error).message})`, { cause: error });
  }
}

/** Sitemap bytes (plain or gzip) to text. */
export function sitemapText(bytes: Buffer, contentType: string | undefined, maxDecompressedBytes: number, url: string): string {
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return gzip ? decodeBody(gunzipCapped(bytes, maxDecompressedBytes, url)) : decodeBody(bytes, contentType);
}

function notASitemap(url: string, what: string): IngestError {
  return new IngestError('ERR_NOT_A_FEED', url, `${url}: not a sitemap (${what}); check the sitemaps URL in outlets.yaml`);
}

function readUrl(el: Element, base: string): SitemapUrl | undefined {
  const loc = absoluteHttpUrl(childText(el, 'loc', '*:loc'), base);
  if (!loc) return undefined;
  const entry: SitemapUrl = { loc };
  const lastmod = childText(el, 'lastmod', '*:lastmod');
  if (lastmod) entry.lastmod = lastmod;
  const news = child(el, 'news:news', '*:news');
  if (news) {
    const publication = child(news, 'news:publication', '*:publication');
    const title = childText(news, 'news:title', '*:title');
    const date = childText(news, 'news:publication_date', '*:publication_date');
    const lang = publication ? childText(publication, 'news:language', '*:language') : undefined;
    entry.news = { ...(title ? { title } : {}), ...(date ? { date } : {}), ...(lang ? { lang } : {}) };
  }
  return entry;
}

/** Parse sitemap text; `url` names it in errors and resolves relative <loc>s. Throws IngestError (ERR_UNSAFE_XML, ERR_NOT_A_FEED, ERR_BAD_FEED). */
export function parseSitemap(text: string, url: string, maxEntries = MAX_SITEMAP_ENTRIES): ParsedSitemap {
  const start = text.trimStart();
  if (!start.startsWith('<')) throw notASitemap(url, 'not XML');
  let root: Element;
  try {
    ({ root } = parseXml(start, url, () => {}));
  } catch (error) {
    if (error instanceof IngestError && error.code === 'ERR_NOT_A_FEED') throw notASitemap(url, 'an HTML page or no XML element');
    throw error;
  }
  const name = localName(root.name);
  if (name === 'urlset') {
    const all = children(root, 'url', '*:url');
    const urls: SitemapUrl[] = [];
    for (const el of all.slice(0, maxEntries)) {
      const entry = readUrl(el, url);
      if (entry) urls.push(entry);
    }
    return { kind: 'urlset', urls, dropped: Math.max(0, all.length - maxEntries) };
  }
  if (name === 'sitemapindex') {
    const all = children(root, 'sitemap', '*:sitemap');
    const sitemaps: { loc: string; lastmod?: string }[] = [];
    for (const el of all.slice(0, maxEntries)) {
      const loc = absoluteHttpUrl(childText(el, 'loc', '*:loc'), url);
      if (!loc) continue;
      const lastmod = childText(el, 'lastmod', '*:lastmod');
      sitemaps.push(lastmod ? { loc, lastmod } : { loc });
    }
    return { kind: 'index', sitemaps, dropped: Math.max(0, all.length - maxEntries) };
  }
  throw notASitemap(url, `root element <${root.name}>, expected urlset or sitemapindex`);
}
