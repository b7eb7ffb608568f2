/**
 * XML to a small DOM (htmlparser2 in XML mode), refusing what must never be processed:
 * a DTD with entity declarations (billion laughs, XXE) is rejected before parsing, and
 * nothing ever resolves an entity beyond the five XML ones and character references.
 */
import { DomHandler, DomUtils, Parser } from 'htmlparser2';
import { IngestError } from '../errors.ts';

/** An XML element of the parsed feed. */
export type Element = Parameters<typeof DomUtils.getAttributeValue>[0];

const ITEM = /^(?:[\w.-]+:)?(?:item|entry)$/;

/** Whether `el` is a feed item: <item>/<entry> under the root, or under the root's <channel>. */
function isItem(el: Element): boolean {
  if (!ITEM.test(el.name)) return false;
  const parent = el.parent;
  if (parent?.type === 'root') return false;
  if (parent && parent.parent?.type === 'root') return true;
  const grand = parent?.parent as Element | null | undefined;
  return !!grand && grand.parent?.type === 'root' && /(^|:)channel$/.test((parent as Element).name);
}

/**
 * Parse feed XML; throws ERR_UNSAFE_XML, ERR_NOT_A_FEED or ERR_BAD_FEED naming the URL.
 * Each item/entry is handed to `onItem` as soon as it closes and then dropped from the tree,
 * so a feed of any length never holds more than one item's nodes (fast, and light on the GC).
 */
export function parseXml(text: string, url: string, onItem: (item: Element, rootName: string) => void): { root: Element } {
  const head = text.slice(0, 64 * 1024);
  const doctype = /<!DOCTYPE\s+([^\s>[]+)/i.exec(head);
  if (doctype && /^html$/i.test(doctype[1] ?? '')) throw notAFeed(url, 'an HTML page');
  if (doctype && /<!DOCTYPE[^>]*\[|<!ENTITY/i.test(head)) {
    throw new IngestError('ERR_UNSAFE_XML', url, `${url}: the feed declares DTD entities (entity expansion or external entities); refused without expanding them`);
  }
  let root: Element | undefined;
  const handler = new DomHandler(null, { xmlMode: true }, (el) => {
    if (!isItem(el)) return;
    root ??= handler.root.children.find((node): node is Element => node.type === 'tag');
    onItem(el, root?.name ?? '');
    DomUtils.removeElement(el);
  });
  const parser = new Parser(handler, { xmlMode: true, decodeEntities: true, recognizeCDATA: true });
  parser.end(text);
  root ??= handler.root.children.find((node): node is Element => node.type === 'tag');
  if (!root) throw notAFeed(url, 'no XML element at all');
  if (/^html$/i.test(root.name)) throw notAFeed(url, 'an HTML page');
  // htmlparser2 is lenient: a body cut off mid-element is still parsed, so check the root closes.
  if (!endsWithClose(text, root.name)) {
    throw new IngestError('ERR_BAD_FEED', url, `${url}: the XML ends before </${root.name}> (truncated or cut off); kept the outlet's earlier articles, try again later`);
  }
  return { root };
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\r' || c === '\t';

/**
 * Whether `text` ends with </name>, then only whitespace and comments. A backward scan in
 * linear time: a regex with a lazy comment group here took quadratic time on a body full of
 * "</rss><!--" (16 MB: over an hour of CPU, no timeout applies).
 */
export function endsWithClose(text: string, name: string): boolean {
  let end = text.length;
  for (;;) {
    while (end > 0 && isSpace(text[end - 1])) end--;
    if (end < 3 || !text.startsWith('-->', end - 3)) break;
    const open = text.lastIndexOf('<!--', end - 3);
    if (open < 0) return false;
    end = open;
  }
  if (text[end - 1] !== '>') return false;
  let at = end - 1;
  while (at > 0 && isSpace(text[at - 1])) at--;
  if (text.slice(at - name.length, at) !== name) return false;
  at -= name.length;
  while (at > 0 && isSpace(text[at - 1])) at--;
  return at >= 2 && text.startsWith('</', at - 2);
}

export function notAFeed(url: string, what: string): IngestError {
  return new IngestError('ERR_NOT_A_FEED', url, `${url}: not a feed (${what}; maybe a maintenance or block page); nothing mirrored, check the feed URL`);
}


function matches(node: Element, name: string): boolean {
  if (name.startsWith('*:')) return node.name === name.slice(2) || node.name.endsWith(name.slice(1));
  return node.name === name;
}

/** Child elements whose name is one of `names`: exact ("dc:creator"), or "*:creator" for any prefix or none. */
export function children(el: Element, ...names: string[]): Element[] {
  const out: Element[] = [];
  for (const node of el.children) {
    if (node.type === 'tag' && names.some((name) => matches(node as Element, name))) out.push(node as Element);
  }
  return out;
}

/** The first child element matching the first name that matches at all. */
export function child(el: Element, ...names: string[]): Element | undefined {
  for (const name of names) {
    for (const node of el.children) if (node.type === 'tag' && matches(node as Element, name)) return node as Element;
  }
  return undefined;
}

type Node = Element['children'][number];

/**
 * All text under `el` in document order, CDATA included. Iterative: a hostile item nested
 * thousands of levels deep must not overflow the stack (DomUtils.textContent recurses).
 */
export function textContent(el: Element): string {
  const out: string[] = [];
  const stack: Node[] = [...el.children].reverse();
  while (stack.length) {
    const node = stack.pop() as Node;
    if (node.type === 'text') out.push(node.data);
    else if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Node);
  }
  return out.join('');
}

/** The text of an element, entities decoded, CDATA included, trimmed. */
export function text(el: Element | undefined): string | undefined {
  if (!el) return undefined;
  const value = textContent(el).trim();
  return value || undefined;
}

export function childText(el: Element, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = text(child(el, name));
    if (value) return value;
  }
  return undefined;
}

/**
 * Serialize an element's children as HTML (Atom xhtml content, `xhtml:body`), UTF-8 kept as is.
 * Markup written under a namespace prefix (`<xhtml:p>`) loses the prefix: HTML knows none.
 */
export function innerHtml(el: Element): string {
  const html = DomUtils.getInnerHTML(el, { xmlMode: false, encodeEntities: 'utf8' });
  return html.includes(':') ? html.replace(/<(\/?)[A-Za-z][\w.-]*:(?=[A-Za-z])/g, '<$1') : html;
}

/**
 * The xml:base in force at `el` (its own, its ancestors', resolved outermost first against
 * `documentUrl`), or undefined when no element on the way declares one. An unusable value is skipped.
 */
export function xmlBase(el: Element, documentUrl: string): string | undefined {
  const chain: string[] = [];
  for (let node: Element | null = el; node && node.type === 'tag'; node = node.parent as Element | null) {
    const value = attr(node, 'xml:base');
    if (value) chain.push(value);
  }
  if (!chain.length) return undefined;
  let base: string | undefined;
  try {
    base = new URL(documentUrl).href;
  } catch {
    base = undefined;
  }
  for (const value of chain.reverse()) {
    try {
      base = new URL(value, base).href;
    } catch {
      // a relative xml:base over a document URL that is not a URL: keep what we have
    }
  }
  return base;
}

export function attr(el: Element | undefined, name: string): string | undefined {
  const value = el?.attribs[name]?.trim();
  return value || undefined;
}
