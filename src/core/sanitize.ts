/**
 * The one HTML sanitizer (allowlist, sanitize-html): the last step of ingest and run
 * again at render. Nothing executable and nothing that makes a reader's browser
 * contact a third party survives; text around hostile parts does.
 */
import sanitizeHtml from 'sanitize-html';

export interface SanitizeOptions {
  /** The article's own URL: relative links and images are resolved against it. */
  baseUrl?: string;
  /**
   * The way from the page back to the site root ("../../../"), for HTML with no baseUrl
   * (staff-written bodies at render): a root-relative URL ("/about.html") is rewritten onto
   * it, since "/…" breaks a copy served under /ipfs/<cid>/ or opened from file://.
   */
  siteRoot?: string;
  /**
   * Photos archived by ingest ("/_media/<sha256>.webp", exactly as written in the HTML): kept as
   * site-internal images even with a baseUrl. At render, with no baseUrl, they are relative like
   * any site path and go onto `siteRoot`.
   */
  localImages?: ReadonlySet<string>;
}

/** Where archived photos live, under the site root and under content/ (see src/ingest/images.ts). */
export const MEDIA_DIR = '_media';

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'kbd', 'samp',
  'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'small', 'mark', 'abbr', 'cite', 'q', 'time', 'span', 'div',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'img', 'figure', 'figcaption',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption',
];

/** Tags whose whole content goes with them (raw text, or markup that only makes sense live). */
const DROP_WITH_CONTENT = ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'iframe', 'object', 'embed', 'applet', 'title', 'head', 'noembed', 'noframes', 'xmp', 'plaintext', 'select', 'button', 'svg', 'math', 'canvas', 'audio', 'video'];

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * Characters XML 1.0 forbids even as references (C0 controls but tab/LF/CR, U+FFFE, U+FFFF):
 * not text, and one of them in an article makes every Atom/RSS feed that carries it unreadable.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** `text` without the characters XML 1.0 forbids (see NOT_XML_CHARS). */
export function stripNonXmlChars(text: string): string {
  return text.replace(NOT_XML_CHARS, '');
}

/** Resolve a URL against the base and keep it only if it is http(s)/mailto; '' otherwise. With no base, a root-relative URL goes onto `siteRoot` when given. */
export function safeUrl(raw: string | undefined, baseUrl?: string, siteRoot?: string): string {
  // Browsers ignore ASCII whitespace and control characters inside a scheme: so do we.
  // eslint-disable-next-line no-control-regex
  const value = (raw ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  if (!value) return '';
  let url: URL;
  try {
    url = baseUrl ? new URL(value, baseUrl) : new URL(value);
  } catch {
    // Relative with no base: keep it relative (site-internal), unless it smuggles a scheme.
    if (baseUrl || /^[a-z][a-z0-9+.-]*:/i.test(value) || /^[/\\]{2}/.test(value)) return '';
    return siteRoot !== undefined && /^[/\\]/.test(value) ? siteRoot + value.slice(1) : value;
  }
  return SAFE_SCHEMES.has(url.protocol) ? url.href : '';
}

/** A tracking pixel or a hidden image: never shown, never archived. */
export function isPixel(attribs: Record<string, string>): boolean {
  const tiny = (v: string | undefined) => v !== undefined && /^\s*[01](px)?\s*$/.test(v);
  const style = (attribs.style ?? '').replace(/\s+/g, '').toLowerCase();
  return tiny(attribs.width) || tiny(attribs.height) || style.includes('display:none') || style.includes('visibility:hidden');
}

function remoteImageText(attribs: Record<string, string>, href: string): string {
  const alt = (attribs.alt ?? attribs.title ?? '').trim();
  if (alt) return `[${alt}]`;
  const url = new URL(href);
  const last = url.pathname.split('/').pop() ?? '';
  let name = last;
  try {
    name = decodeURIComponent(last);
  } catch {
    // A malformed %-escape in a hostile URL: show the file name as written.
  }
  return `[${name || url.hostname}]`;
}

/**
 * Sanitize article HTML with an allowlist. Remote images (absolute http(s), or relative
 * with a baseUrl) become a link to the original, never an <img> a browser would load;
 * tracking pixels and data: images vanish. Links keep http(s)/mailto only.
 */
export function sanitizeArticleHtml(html: string, options: SanitizeOptions = {}): string {
  const { baseUrl, siteRoot, localImages } = options;
  // Stripped from the output: character references ("&#x0B;") only become those characters while parsing.
  return stripNonXmlChars(sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'class'],
      img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
      abbr: ['title'],
      time: ['datetime'],
      ol: ['start', 'reversed'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan', 'scope'],
      blockquote: ['cite'],
      q: ['cite'],
    },
    allowedClasses: { a: ['remote-image', 'local-image'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: [] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    allowedStyles: {},
    disallowedTagsMode: 'discard',
    nonTextTags: DROP_WITH_CONTENT,
    enforceHtmlBoundary: false,
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src && !frame.attribs.href,
    parser: { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
    transformTags: {
      h1: 'h2',
      a: (_tag, attribs) => {
        const href = safeUrl(attribs.href, baseUrl, siteRoot);
        const out: Record<string, string> = {};
        if (href) {
          out.href = href;
          if (/^https?:/.test(href)) out.rel = 'nofollow noopener noreferrer';
        }
        if (attribs.title) out.title = attribs.title;
        // Keep the marker of an image turned into a link, so a second pass (render) gives the same HTML.
        if (/(^|\s)remote-image(\s|$)/.test(attribs.class ?? '')) out.class = 'remote-image';
        // The link around an archived photo, to the original.
        else if (/(^|\s)local-image(\s|$)/.test(attribs.class ?? '')) out.class = 'local-image';
        return { tagName: 'a', attribs: out };
      },
      img: (_tag, attribs) => {
        const raw = attribs.src?.trim() ?? '';
        const src = localImages?.has(raw) ? raw : safeUrl(attribs.src, baseUrl, siteRoot);
        // No src left: the exclusive filter below removes it (a disallowed tag name here would corrupt closing tags).
        if (!src || isPixel(attribs)) return { tagName: 'img', attribs: {} };
        if (/^https?:/.test(src)) {
          return {
            tagName: 'a',
            attribs: { href: src, rel: 'nofollow noopener noreferrer', class: 'remote-image' },
            text: remoteImageText(attribs, src),
          };
        }
        // A relative image with no base is part of the site itself: keep it.
        const out: Record<string, string> = { src };
        for (const key of ['alt', 'title', 'width', 'height'] as const) if (attribs[key]) out[key] = attribs[key];
        // alt="" is meaningful (a photo with no description): kept.
        if (attribs.alt === '') out.alt = '';
        if (attribs.loading === 'lazy') out.loading = 'lazy';
        return { tagName: 'img', attribs: out };
      },
    },
  }));
}
