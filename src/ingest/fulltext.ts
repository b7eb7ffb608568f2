/**
 * Full text for summary-only feeds: the article page's main content, extracted with
 * @mozilla/readability on a linkedom document (no scripts run, nothing loaded). Relative
 * URLs are resolved later, by the sanitizer, against the page URL.
 */
import { Readability } from '@mozilla/readability';
import { Parser } from 'htmlparser2';
import { parseHTML } from 'linkedom';
import { IngestError } from './errors.ts';

/**
 * Deeper than any real article page (they nest 20–60 levels). Readability's time grows
 * steeply with depth: a 22 KB page of 2,000 nested <div>s took 150 s of CPU, which no
 * fetch timeout can stop.
 */
export const MAX_PAGE_DEPTH = 256;

/** Whether the markup nests elements more than `limit` deep: one streaming pass, no tree (linkedom itself slows down with depth). */
function deeperThan(html: string, limit: number): boolean {
  let depth = 0;
  let max = 0;
  const parser = new Parser({
    onopentag() {
      if (++depth > max) max = depth;
      if (max > limit) parser.pause();
    },
    onclosetag() {
      depth--;
    },
  });
  parser.end(html);
  return max > limit;
}

/** The main content of an article page as HTML, or undefined when Readability finds none; ERR_FULLTEXT for a page nested too deeply. */
export function extractFullText(html: string, url = 'the article page'): string | undefined {
  if (deeperThan(html, MAX_PAGE_DEPTH)) {
    throw new IngestError('ERR_FULLTEXT', url, `${url}: the page nests markup more than ${MAX_PAGE_DEPTH} levels deep (no real article does); not extracted`);
  }
  const { document } = parseHTML(html);
  for (const el of document.querySelectorAll('script, style, noscript, iframe, template')) el.remove();
  const article = new Readability(document as unknown as Document, { charThreshold: 100, keepClasses: false }).parse();
  const content = article?.content?.trim();
  return content || undefined;
}
