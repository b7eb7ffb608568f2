/**
 * A RawItem to a Draft: absolute http(s) links, UTC dates (bad ones handled visibly),
 * plain-text title/summary/author/tags, language item > feed > outlet, the body HTML
 * still unsanitized (sanitize runs last, in the orchestrator).
 */
import type { Outlet } from '../core/config.ts';
import { isoUtc } from '../core/article.ts';
import { parseFeedDate, resolveDate } from './dates.ts';
import type { Enclosure, ParsedFeed, RawItem } from './parse/index.ts';
import { capText, cleanText, escapeHtml, htmlToText, textToHtml, undoDoubleEscaping } from './text.ts';

export const TITLE_MAX = 300;
export const SUMMARY_MAX = 300;
/** HTML that already has paragraphs; anything else (a one-line description) gets wrapped in <p>. */
const BLOCK = /<(p|div|br|ul|ol|dl|table|h[1-6]|blockquote|figure|pre|section|article)\b/i;

/** One item on its way to an Article. */
export interface Draft {
  outlet: string;
  /** The feed URL it came from. */
  feed: string;
  guid?: string;
  title: string;
  /** The original article, http(s) only; '' when the feed gave none usable. */
  url: string;
  /** What relative URLs in the body resolve against. */
  baseUrl: string;
  date: string;
  dateNote?: string;
  updated?: string;
  author: string;
  lang: string;
  tags: string[];
  summary: string;
  /** The body as HTML, not yet sanitized. */
  html: string;
  fetched: string;
  /** The identity key: guid → link → title+date (identity.ts hashes it). */
  identity: string;
}

export interface NormalizeContext {
  outlet: Outlet;
  feedUrl: string;
  feed: ParsedFeed;
  fetched: Date;
  now: Date;
}

/** An absolute http(s) URL, or undefined. `file:`, `javascript:` and the like are never kept. */
export function absoluteHttpUrl(raw: string | undefined, base?: string): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** "en-US" → "en"; anything that is not a language code → undefined. */
export function normalizeLang(raw: string | undefined): string | undefined {
  const match = /^([a-z]{2,3})(?:[-_][a-z0-9]+)*$/i.exec((raw ?? '').trim());
  return match?.[1]?.toLowerCase();
}

function uniqueTexts(values: string[], max: number, each: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const text = capText(cleanText(htmlToText(value)), each);
    if (!text || seen.has(text.toLowerCase())) continue;
    seen.add(text.toLowerCase());
    out.push(text);
    if (out.length >= max) break;
  }
  return out;
}

/** Enclosures read at most, per item. */
const ENCLOSURES_MAX = 5;

function size(bytes: number | undefined): string {
  if (!bytes) return '';
  return bytes >= 1024 * 1024 ? `, ${(bytes / 1024 / 1024).toFixed(1)} MB` : `, ${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * The item's enclosures as part of its body: a photo not already in the body goes before it as
 * a figure (the sanitizer, or the image step, decides what a reader gets); any other file is a
 * link after it, with its type and size when known.
 */
function withEnclosures(html: string, enclosures: Enclosure[] | undefined, base: string, title: string): string {
  if (!enclosures?.length) return html;
  const before: string[] = [];
  const after: string[] = [];
  for (const file of enclosures.slice(0, ENCLOSURES_MAX)) {
    const url = absoluteHttpUrl(file.url, base);
    // Already in the body, written absolute or relative: not twice.
    if (!url || html.includes(new URL(url).pathname)) continue;
    if (file.type?.startsWith('image/')) before.push(`<figure><img src="${escapeHtml(url)}" alt="${escapeHtml(title)}"></figure>`);
    else {
      const name = decodeURIComponent(new URL(url).pathname.split('/').pop() || url);
      after.push(`<p><a href="${escapeHtml(url)}">${escapeHtml(name)}</a> (${escapeHtml(file.type ?? 'file')}${size(file.length)})</p>`);
    }
  }
  return [...before, html, ...after].filter(Boolean).join('\n');
}

export function normalizeItem(raw: RawItem, ctx: NormalizeContext): Draft {
  const siteBase = absoluteHttpUrl(ctx.feed.link, ctx.feedUrl) ?? ctx.feedUrl;
  const url = absoluteHttpUrl(raw.link, siteBase) ?? '';
  const textOf = (t: RawItem['content']) => (!t ? '' : t.type === 'html' ? htmlToText(undoDoubleEscaping(t.value)) : cleanText(t.value));
  const bodyText = textOf(raw.content);
  const summaryText = textOf(raw.summary);
  const summary = capText(summaryText || bodyText, SUMMARY_MAX);
  let title = capText(textOf(raw.title), TITLE_MAX);
  if (!title) title = capText(summary || url || 'Untitled', 100);
  const source = raw.content ?? raw.summary;
  const markup = !source ? '' : source.type === 'text' ? textToHtml(source.value) : undoDoubleEscaping(source.value);
  const block = !markup || source?.type === 'text' || BLOCK.test(markup) ? markup : `<p>${markup.trim()}</p>`;
  // Atom's xml:base, where the feed gives one, is what links inside the content resolve against.
  const baseUrl = absoluteHttpUrl(source?.base) ?? (url || siteBase);
  const html = withEnclosures(block, raw.enclosures, baseUrl, title);
  const resolved = resolveDate(raw.published, ctx.fetched, ctx.now);
  const guid = raw.guid ? cleanText(raw.guid).slice(0, 2000) : undefined;
  const draft: Draft = {
    outlet: ctx.outlet.id,
    feed: ctx.feedUrl,
    title,
    url,
    baseUrl,
    date: resolved.date,
    author: uniqueTexts(raw.authors, 10, 100).join(', '),
    lang: normalizeLang(raw.lang) ?? normalizeLang(ctx.feed.lang) ?? ctx.outlet.lang,
    tags: uniqueTexts(raw.categories, 20, 100),
    summary,
    html,
    fetched: isoUtc(ctx.fetched),
    identity: guid ? `guid:${guid}` : url ? `link:${url}` : `title:${title}|${raw.published ?? ''}`,
  };
  if (guid) draft.guid = guid;
  if (resolved.note) draft.dateNote = resolved.note;
  const updated = raw.updated ? parseFeedDate(raw.updated) : undefined;
  if (!resolved.note && updated && isoUtc(updated) > draft.date && updated.getTime() <= ctx.now.getTime() + 86_400_000) {
    draft.updated = isoUtc(updated);
  }
  return draft;
}
