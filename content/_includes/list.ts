/** A listing of articles (home, outlet, archive month) with its pager. */
import type { Entry, ListPage } from '../../src/render/collections.ts';
import type { RenderContext } from '../../src/render/context.ts';
import { esc, rootPrefix } from '../../src/render/filters.ts';
import { formatDateTime } from '../../src/render/i18n.ts';

function item(ctx: RenderContext, up: string, { article: a }: Entry, showOutlet: boolean): string {
  const lang = a.lang === ctx.lang ? '' : ` lang="${esc(a.lang)}"`;
  const outlet = showOutlet ? `<a href="${up}${a.outlet}/index.html">${esc(a.outletName)}</a> · ` : '';
  const summary = a.summary ? `<p${lang}>${esc(a.summary)}</p>` : '';
  return `<li><h2${lang}><a href="${up}${a.href}">${esc(a.title)}</a></h2><p class="m">${outlet}<time datetime="${a.date}">${formatDateTime(a.date, ctx.lang)}</time></p>${summary}</li>`;
}

/** The list and, when there is more than one page, newer/older links. */
export function articleList(ctx: RenderContext, page: ListPage, showOutlet: boolean): string {
  const up = rootPrefix(page.path);
  if (page.entries.length === 0) return `<p>${ctx.t.noArticles}</p>`;
  const items = page.entries.map((e) => item(ctx, up, e, showOutlet)).join('');
  const prev = page.prev ? `<a href="${up}${page.prev}">← ${ctx.t.newer}</a> ` : '';
  const next = page.next ? `<a href="${up}${page.next}">${ctx.t.older} →</a>` : '';
  const pager = prev || next ? `<p class="p">${prev}${ctx.t.page} ${page.number}/${page.count} ${next}</p>` : '';
  return `<ul class="l">${items}</ul>${pager}`;
}
