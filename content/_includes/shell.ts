/** The HTML shell of every page: head (CSP, no referrer, inline CSS), header navigation and the footer with the mirror list. */
import type { RenderContext } from '../../src/render/context.ts';
import { esc, rootPrefix } from '../../src/render/filters.ts';
import { usableMirrors } from '../../src/render/mirrors.ts';

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
  /** This page's Content-Security-Policy when not the site's (only the search page runs a script). */
  csp?: string;
}

/** Mirrors shown in every footer. */
export const FOOTER_MIRRORS = 4;

function footer(ctx: RenderContext, up: string): string {
  const { t } = ctx;
  const mirrors = usableMirrors(ctx.mirrors).slice(0, FOOTER_MIRRORS);
  const list = mirrors.map((m) => `<a href="${esc(m.url)}">${esc(m.url.replace(/^https?:\/\//, '').replace(/\/$/, ''))}</a>`).join(' · ');
  return `<footer><p>${t.otherMirrors}: ${list ? `${list} · ` : ''}<a href="${up}mirrors.html">${t.allMirrors}</a></p><p><a href="${up}about.html">${t.about}</a> · <a href="${up}search.html">${t.svSearch}</a> · <a href="${up}verify.html">${t.verify}</a> · <a href="${up}feeds.html">${t.feeds}</a></p></footer>`;
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
    parts = {
      head: `<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="Content-Security-Policy" content="${ctx.csp}"><meta name="referrer" content="no-referrer">`,
      header: `<style>${ctx.css}</style></head><body><header${ui}><a class="s" href="${up}index.html">${esc(site.title)}</a> <nav><a href="${up}archive/index.html">${t.archive}</a> <a href="${up}feeds.html">${t.feeds}</a> <a href="${up}about.html">${t.about}</a></nav></header><main>`,
      footer: `</main>${footer(ctx, up).replace('<footer>', `<footer${ui}>`)}</body></html>\n`,
    };
    byKey.set(key, parts);
  }
  return parts;
}

export function shell(ctx: RenderContext, input: ShellInput): string {
  const up = rootPrefix(input.path);
  // Interface text stays in the site's language when the page (an article) is in another.
  const ui = input.lang === ctx.lang ? '' : ` lang="${ctx.lang}"`;
  const parts = chromeFor(ctx, up, ui);
  const feeds = (input.feeds ?? []).map((f) => `<link rel="alternate" type="application/atom+xml" href="${up}${f.href}" title="${esc(f.title)}">`).join('');
  const description = input.description ? `<meta name="description" content="${esc(input.description)}">` : '';
  const head = input.csp ? parts.head.replace(`content="${ctx.csp}"`, `content="${input.csp}"`) : parts.head;
  return `<!doctype html><html lang="${esc(input.lang)}"><head>${head}<title>${esc(input.title)}</title>${description}${feeds}${parts.header}${input.body}${parts.footer}`;
}
