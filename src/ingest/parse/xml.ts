/**
 * XML to a small DOM (htmlparser2 in XML mode), refusing what must never be processed:
 * a DTD with entity declarations (billion laughs, XXE) is rejected before parsing, and
 * nothing ever resolves an entity beyond the five XML ones and character references.
 */
import { parseDocument, DomUtils } from 'htmlparser2';
import { IngestError } from '../errors.ts';

type Document = ReturnType<typeof parseDocument>;
/** An XML element of the parsed feed. */
export type Element = Parameters<typeof DomUtils.getAttributeValue>[0];

/** Parse feed XML; throws ERR_UNSAFE_XML, ERR_NOT_A_FEED or ERR_BAD_FEED naming the URL. */
export function parseXml(text: string, url: string): { doc: Document; root: Element } {
  const head = text.slice(0, 64 * 1024);
  const doctype = /<!DOCTYPE\s+([^\s>[]+)/i.exec(head);
  if (doctype && /^html$/i.test(doctype[1] ?? '')) throw notAFeed(url, 'an HTML page');
  if (doctype && /<!DOCTYPE[^>]*\[|<!ENTITY/i.test(head)) {
    throw new IngestError('ERR_UNSAFE_XML', url, `${url}: the feed declares DTD entities (entity expansion or external entities); refused without expanding them`);
  }
  const doc = parseDocument(text, { xmlMode: true, decodeEntities: true, recognizeCDATA: true });
  const root = doc.children.find((node): node is Element => node.type === 'tag');
  if (!root) throw notAFeed(url, 'no XML element at all');
  if (/^html$/i.test(root.name)) throw notAFeed(url, 'an HTML page');
  // htmlparser2 is lenient: a body cut off mid-element is still parsed, so check the root closes.
  const closing = new RegExp(`</\\s*${root.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*>\\s*(<!--[\\s\\S]*?-->\\s*)*$`);
  if (!closing.test(text)) {
    throw new IngestError('ERR_BAD_FEED', url, `${url}: the XML ends before </${root.name}> (truncated or cut off); kept the outlet's earlier articles, try again later`);
  }
  return { doc, root };
}

export function notAFeed(url: string, what: string): IngestError {
  return new IngestError('ERR_NOT_A_FEED', url, `${url}: not a feed (${what}; maybe a maintenance or block page); nothing mirrored, check the feed URL`);
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** Child elements whose name is one of `names` (exact, e.g. "dc:creator"; or a bare local name). */
export function children(el: Element, ...names: string[]): Element[] {
  return el.children.filter((node): node is Element => node.type === 'tag' && (names.includes(node.name) || names.includes(`*:${local(node.name)}`)));
}

export function child(el: Element, ...names: string[]): Element | undefined {
  for (const name of names) {
    const found = children(el, name)[0];
    if (found) return found;
  }
  return undefined;
}

/** The text of an element, entities decoded, CDATA included, trimmed. */
export function text(el: Element | undefined): string | undefined {
  if (!el) return undefined;
  const value = DomUtils.textContent(el).trim();
  return value || undefined;
}

export function childText(el: Element, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = text(child(el, name));
    if (value) return value;
  }
  return undefined;
}

/** Serialize an element's children as HTML (for Atom xhtml content), UTF-8 kept as is. */
export function innerHtml(el: Element): string {
  return DomUtils.getInnerHTML(el, { xmlMode: false, encodeEntities: 'utf8' });
}

export function attr(el: Element | undefined, name: string): string | undefined {
  const value = el?.attribs[name]?.trim();
  return value || undefined;
}
