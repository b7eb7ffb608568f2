/** A listing of articles (home, outlet, archive month) with its pager. */
import type { Entry, ListPage } from '../../src/render/collections.ts';
import type { RenderContext } from '../../src/render/context.ts';
import { esc, rootPrefix } from '../../src/render/filters.ts';
import { fill, formatDateTime } from '../../src/render/i18n.ts';
import { langAttr, outletLink } from './shell.ts';

/** Headlines are h2 under a page's h1, or h3 under a section heading (home's "Latest"). */
export type HeadlineLevel = 2 | 3;

function item(ctx: RenderContext, up: string, { article: a }: Entry, showOutlet: boolean, level: HeadlineLevel): string {
  const lang = langAttr(a.lang, ctx.lang);
  const outlet = showOutlet ? `${outletLink(ctx, up, a.outlet, a.outletName, ctx.lang)} · ` : '';
  const summary = a.summary ? `<p${lang} dir="auto">${esc(a.summary)}</p>` : '';
  return `<li><h${level}${lang} dir="auto"><a href="${up}${a.href}">${esc(a.title)}</a></h${level}><p class="m">${outlet}<time datetime="${a.date}">${formatDateTime(a.date, ctx.lang)}</time></p>${summary}</li>`;
}

/** The list and, when there is more than one page, newer/older links. */
export function articleList(ctx: RenderContext, page: ListPage, showOutlet: boolean, level: HeadlineLevel = 2): string {
  const up = rootPrefix(page.path);
  if (page.entries.length === 0) return `<p>${ctx.t.noArticles}</p>`;
  const items = page.entries.map((e) => item(ctx, up, e, showOutlet, level)).join('');
  const prev = page.prev ? `<a href="${up}${page.prev}" rel="prev">← ${ctx.t.newer}</a> ` : '';
  const next = page.next ? ` <a href="${up}${page.next}" rel="next">${ctx.t.older} →</a>` : '';
  // "page 2 of 5" where the count is on the page (home); numbered outlet and month pages say only their number, so they never change.
  const label = page.count === undefined ? `${ctx.t.page} ${page.number}` : fill(ctx.t.pageOf, { n: page.number, count: page.count });
  const pager = prev || next ? `<nav class="p" aria-label="${label}">${prev}<span>${label}</span>${next}</nav>` : '';
  return `<ul class="l">${items}</ul>${pager}`;
}
