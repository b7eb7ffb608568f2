/**
 * Which of an item's texts is the article and which the summary. CMSes put the body in
 * different places (content:encoded, yandex:full-text, turbo:content, full-text, xhtml:body,
 * Atom content) and some put the whole article in <description>: the fullest text is the
 * body, the shortest the summary.
 */
import { contentType } from '../../core/mime.ts';
import type { Enclosure, FeedText } from './types.ts';

/** How long a text reads, roughly: markup does not count, so a short body heavy with tags loses to a long plain one. */
function weight(text: FeedText): number {
  return text.type === 'html' ? text.value.replace(/<[^>]*>/g, '').length : text.value.length;
}

/**
 * The body and the summary of an item. `bodies` are the places a full text may be (in the
 * order preferred on a tie), `summary` the item's description. The fullest text of all is the
 * body; the summary is the description when that is not the body, else the shortest other text.
 * A description alone is a summary and no body (the orchestrator makes it the body, or fetches
 * the page when the outlet asks for full text).
 */
export function pickBody(bodies: (FeedText | undefined)[], summary: FeedText | undefined): { content?: FeedText; summary?: FeedText } {
  const found = bodies.filter((t): t is FeedText => !!t);
  if (!found.length) return summary ? { summary } : {};
  const all = summary ? [...found, summary] : found;
  let content = all[0] as FeedText;
  for (const text of all) if (weight(text) > weight(content)) content = text;
  const rest = all.filter((t) => t !== content);
  if (!rest.length) return { content };
  let shortest = summary && summary !== content ? summary : (rest[0] as FeedText);
  if (shortest !== summary) for (const text of rest) if (weight(text) < weight(shortest)) shortest = text;
  // The same text twice (a CMS that copies the body into <description>) is a body, not a summary.
  return weight(shortest) === weight(content) && shortest.value === content.value ? { content } : { content, summary: shortest };
}

/** Markup if it has any tag, else plain text (Yandex's full-text is plain text by its spec; Bitrix writes escaped HTML). */
export function htmlOrText(value: string | undefined, base?: string): FeedText | undefined {
  if (!value) return undefined;
  const text: FeedText = { value, type: /<\/?[a-z][^>]*>/i.test(value) ? 'html' : 'text' };
  if (base) text.base = base;
  return text;
}

/** Types that say nothing about the file: the extension decides. */
const GENERIC = /^(application\/(octet-stream|x-unknown|unknown|download|force-download)|binary\/octet-stream|text\/(plain|html))$/;

/**
 * An enclosure as a mature reader keeps it: `length="0"` (or junk) means unknown, and the
 * type comes from the file extension when the declared one is missing, generic
 * ("application/octet-stream", "text/html") or names another kind of media than the file is
 * (an .mp3 announced as image/jpeg).
 */
export function enclosure(url: string | undefined, type: string | undefined, length: string | undefined): Enclosure | undefined {
  if (!url) return undefined;
  const out: Enclosure = { url };
  const declared = type?.split(';')[0]?.trim().toLowerCase();
  const path = (() => {
    try {
      return new URL(url, 'https://x.invalid/').pathname;
    } catch {
      return url;
    }
  })();
  const byExtension = contentType(path).split(';')[0] as string;
  const known = byExtension !== 'application/octet-stream';
  const kind = (t: string) => t.split('/')[0];
  if (known && (!declared || GENERIC.test(declared) || !/^[\w.+-]+\/[\w.+-]+$/.test(declared) || kind(declared) !== kind(byExtension))) out.type = byExtension;
  else if (declared && /^[\w.+-]+\/[\w.+-]+$/.test(declared)) out.type = declared;
  const bytes = /^\d{1,15}$/.test(length?.trim() ?? '') ? Number(length) : 0;
  if (bytes > 0) out.length = bytes;
  return out;
}
