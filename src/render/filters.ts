/** Small pure helpers the templates use (escaping, relative URLs, dates), also registered as Eleventy filters. */
import type { UserConfig } from '@11ty/eleventy';
import { stripNonXmlChars } from '../core/sanitize.ts';
import { formatDateTime, formatMonth, type UiLang } from './i18n.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML text and attribute values (and XML: characters XML 1.0 forbids are dropped, so a hand-written file cannot break a feed). */
export function esc(value: unknown): string {
  const text = stripNonXmlChars(String(value ?? ''));
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c) : text;
}

/**
 * The prefix that leads from a page back to the site root: "" for "index.html",
 * "../../../" for "outlet/2026/01/x.html". Every internal link is prefix + a
 * root-relative file path, so the site works at a root, under a subpath, under
 * /ipfs/<cid>/ and from file://.
 */
export function rootPrefix(pagePath: string): string {
  let depth = 0;
  for (let i = 0; i < pagePath.length; i++) if (pagePath.charCodeAt(i) === 47) depth++;
  return '../'.repeat(depth);
}

/** A link from one page to another, both given as root-relative file paths ("a/b.html"). */
export function relUrl(target: string, fromPage: string): string {
  return rootPrefix(fromPage) + target;
}

/** The page path Eleventy gives as "/a/b.html", without the leading slash. */
export function pagePath(url: string | false | undefined): string {
  return typeof url === 'string' ? url.replace(/^\//, '') : '';
}

/** "2026-01-05T10:00:00Z" to "2026-01" (the archive month). */
export function yearMonth(iso: string): string {
  return iso.slice(0, 7);
}

/** An ISO time as RFC 822 (RSS pubDate): "Mon, 05 Jan 2026 10:00:00 GMT". */
export function rfc822(iso: string): string {
  return new Date(iso).toUTCString();
}

/** The host of a URL without "www.", or "" when it is not a URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** Split a list into pages of `size` (the last may be shorter; an empty list gives one empty page). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (items.length === 0) return [[]];
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += size) pages.push(items.slice(i, i + size));
  return pages;
}

/** Eleventy plugin: the same helpers as filters, for anyone adding Nunjucks/Liquid templates. */
export default function filtersPlugin(config: UserConfig): void {
  config.addFilter('esc', esc);
  config.addFilter('relUrl', relUrl);
  config.addFilter('rfc822', rfc822);
  config.addFilter('hostOf', hostOf);
  config.addFilter('dateTime', (iso: string, lang: UiLang) => formatDateTime(iso, lang));
  config.addFilter('month', (ym: string, lang: UiLang) => formatMonth(ym, lang));
}
