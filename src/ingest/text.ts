/** Small text helpers shared by normalize and full text: HTML to plain text, cleaning, capping. */
import { parseDocument } from 'htmlparser2';

type Node = ReturnType<typeof parseDocument>['children'][number];
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'iframe', 'object', 'svg', 'math']);

const BREAK = /^(p|div|br|li|h[1-6]|tr|blockquote|figure|figcaption)$/i;

/** Text of `nodes` in order, a space after block elements. Iterative: markup nested 10,000 deep must not overflow the stack. */
function collect(nodes: Node[], out: string[]): void {
  // A string on the stack is text to emit once an element's children are done.
  const stack: (Node | string)[] = [...nodes].reverse();
  while (stack.length) {
    const node = stack.pop() as Node | string;
    if (typeof node === 'string') out.push(node);
    else if (node.type === 'text') out.push(node.data);
    else if ('children' in node && !('name' in node && SKIP.has(node.name.toLowerCase()))) {
      if ('name' in node && BREAK.test(node.name)) stack.push(' ');
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Node);
    }
  }
}

/** Visible text of an HTML fragment, entities decoded, scripts and styles dropped. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return cleanText(html);
  const out: string[] = [];
  collect(parseDocument(html, { decodeEntities: true }).children, out);
  return cleanText(out.join(''));
}

/** One line of text: controls, bidi overrides and the noncharacters XML forbids removed, whitespace collapsed. */
export function cleanText(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Cap at `max` characters, at a word boundary when one is near, with an ellipsis. */
export function capText(value: string, max: number): string {
  const chars = Array.from(value);
  if (chars.length <= max) return value;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Plain text as HTML paragraphs. */
export function textToHtml(value: string): string {
  return value
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p, false).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}


/** Named references a CMS double-escapes in practice (`&amp;laquo;`); others stay as written. */
const NAMED = 'nbsp|laquo|raquo|mdash|ndash|quot|apos|hellip|amp|lt|gt|rsquo|lsquo|rdquo|ldquo|bdquo|sbquo|copy|reg|trade|shy|thinsp|ensp|emsp|minus|times|deg|middot|bull|prime|euro|acute';
const DOUBLE_ESCAPED = new RegExp(`&amp;(#[0-9]{1,7}|#x[0-9a-f]{1,6}|${NAMED});`, 'gi');

/**
 * Markup whose character references were escaped twice (`&amp;#769;`, `&amp;laquo;`): a
 * reader would see "&#769;" instead of the accent. Numeric references and the common named
 * ones get their one level of escaping back; anything else stays as written.
 */
export function undoDoubleEscaping(html: string): string {
  return html.includes('&amp;') ? html.replace(DOUBLE_ESCAPED, '&$1;') : html;
}

/** Text safe inside an HTML element, and inside a double-quoted attribute unless `quotes` is false. */
export function escapeHtml(value: string, quotes = true): string {
  const escaped = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return quotes ? escaped.replace(/"/g, '&quot;') : escaped;
}
