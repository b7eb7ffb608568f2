/** JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1). */
import { IngestError } from '../errors.ts';
import type { ParsedFeed, RawItem } from './types.ts';

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

function names(item: Json): string[] {
  const list = Array.isArray(item.authors) ? item.authors : item.author ? [item.author] : [];
  return list.map((a) => str(obj(a)?.name)).filter((v): v is string => !!v);
}

function readItem(item: Json): RawItem {
  const raw: RawItem = {
    authors: names(item),
    categories: Array.isArray(item.tags) ? item.tags.map(str).filter((v): v is string => !!v) : [],
  };
  const id = str(item.id) ?? (typeof item.id === 'number' ? String(item.id) : undefined);
  if (id) raw.guid = id;
  const link = str(item.url) ?? str(item.external_url);
  if (link) raw.link = link;
  const title = str(item.title);
  if (title) raw.title = { value: title, type: 'text' };
  const published = str(item.date_published) ?? str(item.date_modified);
  if (published) raw.published = published;
  const updated = str(item.date_modified);
  if (updated) raw.updated = updated;
  const html = str(item.content_html);
  const plain = str(item.content_text);
  if (html) raw.content = { value: html, type: 'html' };
  else if (plain) raw.content = { value: plain, type: 'text' };
  const summary = str(item.summary);
  if (summary) raw.summary = { value: summary, type: 'text' };
  const lang = str(item.language);
  if (lang) raw.lang = lang;
  return raw;
}

export function parseJsonFeed(body: string, url: string): ParsedFeed {
  let data: Json | undefined;
  try {
    data = obj(JSON.parse(body));
  } catch (error) {
    throw new IngestError('ERR_BAD_FEED', url, `${url}: invalid JSON (${(error as Error).message}); kept the outlet's earlier articles`, { cause: error });
  }
  if (!data || !/^https:\/\/jsonfeed\.org\/version\/1(\.\d+)?$/.test(str(data.version) ?? '')) {
    throw new IngestError('ERR_UNSUPPORTED_FORMAT', url, `${url}: JSON but not a JSON Feed (no "version": "https://jsonfeed.org/version/1.1")`);
  }
  const feed: ParsedFeed = { format: 'json', title: str(data.title) ?? '', items: [] };
  const link = str(data.home_page_url);
  if (link) feed.link = link;
  const lang = str(data.language);
  if (lang) feed.lang = lang;
  feed.items = (Array.isArray(data.items) ? data.items : []).map(obj).filter((v): v is Json => !!v).map(readItem);
  return feed;
}
