/** The HTML shell of every page: head (CSP, no referrer, inline CSS, inline favicon), header navigation and the footer with other copies. */
import type { RenderContext } from '../../src/render/context.ts';
import { esc, rootPrefix } from '../../src/render/filters.ts';
import { chosenCopies, copyLabel } from '../../src/render/mirrors.ts';

export interface ShellInput {
  /** Root-relative output file of this page. */
  path: string;
  /** The page's language (an article's own; else the site's). */
  lang: string;
  title: string;
  description?: string;
  body: string;
  /** Feeds announced in <head>, root-relative. */
  feeds?: { href: string; title: string }[];
  /** The prefix of links back to the site root, when it is not the relative one of `path` (404.html). */
  up?: string;
  /** This page's Content-Security-Policy when not the site's (only the search page runs a script). */
  csp?: string;
}

/** The offline bundle every published copy carries at its root (written by seal, beside the site). */
export const DOWNLOAD = 'site.zip';

/** A favicon drawn inline (a page of text on the link colour): no request, allowed by the CSP's img-src data:. */
const FAVICON = `<link rel="icon" href="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><rect width='16' height='16' rx='3' fill='%230645ad'/><path d='M4 5h8M4 8h8M4 11h5' stroke='%23fff' stroke-width='1.5'/></svg>">`;

/** ` lang="x"` when a piece of text is in another language than the element around it, else "". */
export function langAttr(lang: string | undefined, around: string): string {
  return lang && lang !== around ? ` lang="${esc(lang)}"` : '';
}

/** An outlet's name as a link to its page, marked with the outlet's own language. */
export function outletLink(ctx: RenderContext, up: string, id: string, name: string, around: string): string {
  return `<a href="${up}${id}/index.html"${langAttr(ctx.outletById.get(id)?.lang, around)}>${esc(name)}</a>`;
}

/** Links to the chosen other copies (see chosenCopies), joined for a sentence. */
export function copyLinks(ctx: RenderContext): string {
  return chosenCopies(ctx.mirrors)
    .map((m) => `<a href="${esc(m.url)}">${esc(copyLabel(m))}</a>`)
    .join(' · ');
}

function footer(ctx: RenderContext, up: string): string {
  const { t } = ctx;
  const list = copyLinks(ctx);
  return `<footer><p>${t.otherMirrors}: ${list ? `${list} · ` : ''}<a href="${up}mirrors.html">${t.allMirrors}</a></p><p><a href="${up}about.html">${t.about}</a> · <a href="${up}feeds.html">${t.feeds}</a> · <a href="${up}mirrors.json">mirrors.json</a></p></footer>`;
}

/** The header links, in order: Home, Archive, Search, Other copies, Verify, Download. */
function navLinks(ctx: RenderContext): [string, string][] {
  const { t } = ctx;
  return [
    ['index.html', t.home],
    ['archive/index.html', t.archive],
    ['search.html', t.search],
    ['mirrors.html', t.otherCopies],
    ['verify.html', t.verify],
    [DOWNLOAD, t.download],
  ];
}

/** Header and footer depend only on the page's depth and whether it needs a lang attribute: built once each. */
const chrome = new WeakMap<RenderContext, Map<string, { head: string; header: string; footer: string }>>();

function chromeFor(ctx: RenderContext, up: string, ui: string): { head: string; header: string; footer: string } {
  let byKey = chrome.get(ctx);
  if (!byKey) chrome.set(ctx, (byKey = new Map()));
  const key = `${up}|${ui}`;
  let parts = byKey.get(key);
  if (!parts) {
    const { t, site } = ctx;
    const nav = navLinks(ctx).map(([href, label]) => `<a href="${up}${href}">${label}</a>`).join(' ');
    parts = {
      head: `<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="Content-Security-Policy" content="${ctx.csp}"><meta name="referrer" content="no-referrer">${FAVICON}`,
      header: `<style>${ctx.css}</style></head><body><header${ui}><a class="s" href="${up}index.html">${esc(site.title)}</a><nav aria-label="${t.navLabel}">${nav}</nav></header><main>`,
      footer: `</main>${footer(ctx, up).replace('<footer>', `<footer${ui}>`)}</body></html>\n`,
    };
    byKey.set(key, parts);
  }
  return parts;
}

export function shell(ctx: RenderContext, input: ShellInput): string {
  const up = input.up ?? rootPrefix(input.path);
  // Interface text stays in the site's language when the page (an article) is in another.
  const ui = langAttr(ctx.lang, input.lang);
  const parts = chromeFor(ctx, up, ui);
  // The header link to this very page says so (screen readers announce "current page").
  const here = navLinks(ctx).some(([href]) => href === input.path) ? `<a href="${up}${input.path}">` : '';
  const header = here ? parts.header.replace(here, `<a href="${up}${input.path}" aria-current="page">`) : parts.header;
  const feeds = (input.feeds ?? []).map((f) => `<link rel="alternate" type="application/atom+xml" href="${up}${f.href}" title="${esc(f.title)}">`).join('');
  const description = input.description ? `<meta name="description" content="${esc(input.description)}">` : '';
  const head = input.csp ? parts.head.replace(`content="${ctx.csp}"`, `content="${input.csp}"`) : parts.head;
  return `<!doctype html><html lang="${esc(input.lang)}"><head>${head}<title>${esc(input.title)}</title>${description}${feeds}${header}${input.body}${parts.footer}`;
}
