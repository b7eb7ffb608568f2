/**
 * Full text for summary-only feeds: the article page's main content, extracted with
 * @mozilla/readability on a linkedom document (no scripts run, nothing loaded). Relative
 * URLs are resolved later, by the sanitizer, against the page URL.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

/** The main content of an article page as HTML, or undefined when Readability finds none. */
export function extractFullText(html: string): string | undefined {
  const { document } = parseHTML(html);
  for (const el of document.querySelectorAll('script, style, noscript, iframe, template')) el.remove();
  const article = new Readability(document as unknown as Document, { charThreshold: 100, keepClasses: false }).parse();
  const content = article?.content?.trim();
  return content || undefined;
}
