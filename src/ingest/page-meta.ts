/**
 * An article page's own metadata, for pages found in a sitemap (no feed item describes them):
 * title, dates, author, language and summary from JSON-LD (NewsArticle and kin), Open Graph /
 * article:* meta tags, <time datetime>, <html lang> and plain <meta>/<title>. Pure: HTML in,
 * strings out (raw: dates are parsed, text cleaned and capped by the caller).
 */
import { parseHTML } from 'linkedom';
import { cleanText } from './text.ts';

export interface PageMeta {
  title?: string;
  /** Published, as the page writes it. */
  date?: string;
  updated?: string;
  author?: string;
  lang?: string;
  summary?: string;
}

/** JSON-LD types that describe an article (schema.org's Article and the subtypes newsrooms use). */
const ARTICLE_TYPES = new Set(['newsarticle', 'article', 'reportagenewsarticle', 'analysisnewsarticle', 'opinionnewsarticle', 'backgroundnewsarticle', 'blogposting', 'liveblogposting', 'scholarlyarticle', 'report']);
/** A JSON-LD block larger than this is not metadata. */
const MAX_JSONLD = 256 * 1024;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(v: Json | undefined): string | undefined {
  if (typeof v === 'string') return cleanText(v) || undefined;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return str(v[0]);
  if (isObject(v)) return str(v['@value'] ?? v.name);
  return undefined;
}

function isArticle(node: JsonObject): boolean {
  const type = node['@type'];
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => typeof t === 'string' && ARTICLE_TYPES.has(t.toLowerCase()));
}

/** The first article object in a JSON-LD value (top level, arrays, @graph), breadth first, bounded. */
function findArticle(value: Json): JsonObject | undefined {
  const queue: Json[] = [value];
  for (let seen = 0; queue.length && seen < 1000; seen++) {
    const node = queue.shift() as Json;
    if (Array.isArray(node)) queue.push(...node);
    else if (isObject(node)) {
      if (isArticle(node)) return node;
      if (node['@graph'] !== undefined) queue.push(node['@graph']);
      if (isObject(node.mainEntity) || Array.isArray(node.mainEntity)) queue.push(node.mainEntity);
    }
  }
  return undefined;
}

function authorsOf(value: Json | undefined): string | undefined {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const names = list.map((a) => str(a)).filter((n): n is string => !!n && !/^https?:\/\//i.test(n));
  return names.length ? [...new Set(names)].slice(0, 10).join(', ') : undefined;
}

/** "ru_RU" → "ru-RU"; anything else as is. */
const locale = (v: string | undefined) => v?.replace('_', '-');

/** Metadata of an article page; every field optional. */
export function pageMeta(html: string): PageMeta {
  const { document } = parseHTML(html);
  const meta = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      for (const el of document.querySelectorAll('meta')) {
        const name = (el.getAttribute('property') ?? el.getAttribute('name') ?? el.getAttribute('itemprop') ?? '').toLowerCase();
        if (name !== key) continue;
        const value = cleanText(el.getAttribute('content') ?? '');
        if (value) return value;
      }
    }
    return undefined;
  };
  let ld: JsonObject | undefined;
  for (const script of document.querySelectorAll('script')) {
    if (!/^\s*application\/ld\+json\s*$/i.test(script.getAttribute('type') ?? '')) continue;
    const text = script.textContent ?? '';
    if (text.length > MAX_JSONLD) continue;
    try {
      ld = findArticle(JSON.parse(text) as Json);
    } catch {
      continue; // CMSes ship broken JSON-LD: the other sources still count
    }
    if (ld) break;
  }
  const time = document.querySelector('time[itemprop="datePublished"][datetime], time[pubdate][datetime], article time[datetime], time[datetime]');
  const titleEl = document.querySelector('title');
  const out: PageMeta = {
    title: str(ld?.headline) ?? str(ld?.name) ?? meta('og:title', 'twitter:title') ?? (titleEl ? cleanText(titleEl.textContent ?? '') || undefined : undefined),
    date: str(ld?.datePublished) ?? meta('article:published_time', 'datepublished', 'pubdate', 'date', 'dc.date.issued', 'dc.date') ?? (time?.getAttribute('datetime')?.trim() || undefined),
    updated: str(ld?.dateModified) ?? meta('article:modified_time', 'og:updated_time', 'datemodified'),
    author: authorsOf(ld?.author) ?? meta('author', 'article:author', 'dc.creator'),
    lang: document.documentElement?.getAttribute('lang')?.trim() || str(ld?.inLanguage) || locale(meta('og:locale')),
    summary: str(ld?.description) ?? meta('og:description', 'description', 'twitter:description'),
  };
  if (out.author && /^https?:\/\//i.test(out.author)) delete out.author;
  for (const key of Object.keys(out) as (keyof PageMeta)[]) if (out[key] === undefined) delete out[key];
  return out;
}
