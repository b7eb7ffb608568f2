/** Home (latest across outlets), each outlet's pages, the archive index and archive month pages. */
import type { EleventyData, JsTemplate } from '@11ty/eleventy';
import type { ListPage, SiteIndex } from '../../src/render/collections.ts';
import type { RenderContext } from '../../src/render/context.ts';
import { esc, hostOf, rootPrefix } from '../../src/render/filters.ts';
import { countOf, formatMonth } from '../../src/render/i18n.ts';
import { articleList } from '../_includes/list.ts';
import { langAttr, outletLink, shell } from '../_includes/shell.ts';

function paginated(over: string, render: (page: ListPage, index: SiteIndex) => string): JsTemplate {
  return {
    data: { pagination: { data: `collections.nm.${over}`, size: 1, alias: 'listPage', addAllPagesToCollections: false }, permalink: (data: EleventyData) => (data.listPage as ListPage).path, eleventyExcludeFromCollections: true },
    render: (data) => render(data.listPage as ListPage, (data.collections as { nm: SiteIndex }).nm),
  };
}

/** The first (newest) page carries the listing's plain title; the others say which page they are. */
function pageTitle(ctx: RenderContext, title: string, page: ListPage): string {
  return page.prev ? `${title} — ${ctx.t.page} ${page.number}` : title;
}

/** "N articles": on the landing page only (it changes with every article; numbered pages never do). */
function total(ctx: RenderContext, page: ListPage): string {
  return page.total === undefined ? '' : countOf(page.total, ctx.t.articlesCount, ctx.lang);
}

export function home(ctx: RenderContext): JsTemplate {
  const { t, site } = ctx;
  return paginated('home', (page, index) => {
    const up = rootPrefix(page.path);
    const outlets = page.number === 1 && index.outlets.length ? `<p class="m">${t.outlets}: ${index.outlets.map((o) => outletLink(ctx, up, o.id, o.name, ctx.lang)).join(' · ')}</p>` : '';
    const intro = page.number === 1 && site.description ? `<p>${esc(site.description)}</p>` : '';
    const more = !page.next && index.articles > page.number * site.pageSize ? `<p><a href="${up}archive/index.html">${t.moreInArchive}</a></p>` : '';
    const body = `<h1>${esc(site.title)}</h1>${intro}${outlets}<h2>${t.latest}</h2>${articleList(ctx, page, true, 3)}${more}`;
    return shell(ctx, { path: page.path, lang: ctx.lang, title: pageTitle(ctx, site.title, page), description: site.description, body, feeds: [{ href: 'atom.xml', title: site.title }] });
  });
}

export function outlet(ctx: RenderContext): JsTemplate {
  const { t } = ctx;
  return paginated('outletPages', (page, index) => {
    const o = index.outlets.find((x) => x.id === page.key);
    const name = o?.name ?? page.key;
    const up = rootPrefix(page.path);
    const homepage = o?.homepage ? `${t.original} (${t.mayBeBlocked}): <a href="${esc(o.homepage)}" rel="nofollow noopener noreferrer">${esc(hostOf(o.homepage) || o.homepage)}</a> · ` : '';
    const body = `<h1${langAttr(ctx.outletById.get(page.key)?.lang, ctx.lang)} dir="auto">${esc(name)}</h1><p class="m">${homepage}<a href="${up}${page.key}/atom.xml">Atom</a> · <a href="${up}${page.key}/rss.xml">RSS</a>${page.total === undefined ? '' : ` · ${total(ctx, page)}`}</p>${articleList(ctx, page, false)}`;
    return shell(ctx, { path: page.path, lang: ctx.lang, title: `${pageTitle(ctx, name, page)} — ${ctx.site.title}`, body, feeds: [{ href: `${page.key}/atom.xml`, title: name }] });
  });
}

export function archiveMonth(ctx: RenderContext): JsTemplate {
  return paginated('monthPages', (page) => {
    const title = formatMonth(page.key, ctx.lang);
    const body = `<p class="m"><a href="index.html">${ctx.t.archive}</a></p><h1>${title}</h1>${page.total === undefined ? '' : `<p class="m">${total(ctx, page)}</p>`}${articleList(ctx, page, true)}`;
    return shell(ctx, { path: page.path, lang: ctx.lang, title: `${pageTitle(ctx, title, page)} — ${ctx.site.title}`, body });
  });
}

export function archiveIndex(ctx: RenderContext): JsTemplate {
  const path = 'archive/index.html';
  return {
    data: { permalink: path, eleventyExcludeFromCollections: true },
    render(data) {
      const index = (data.collections as { nm: SiteIndex }).nm;
      const up = rootPrefix(path);
      let body = `<h1>${ctx.t.archive}</h1>`;
      let year = '';
      for (const m of index.months) {
        const y = m.month.slice(0, 4);
        if (y !== year) body += `${year ? '</ul>' : ''}<h2>${y}</h2><ul>`;
        year = y;
        body += `<li><a href="${up}${m.path}">${formatMonth(m.month, ctx.lang)}</a> (${m.count})</li>`;
      }
      body += year ? '</ul>' : `<p>${ctx.t.noArticles}</p>`;
      body += `<h2>${ctx.t.outlets}</h2><ul>${index.outlets.map((o) => `<li>${outletLink(ctx, up, o.id, o.name, ctx.lang)} (${o.count})</li>`).join('')}</ul>`;
      return shell(ctx, { path, lang: ctx.lang, title: `${ctx.t.archive} — ${ctx.site.title}`, body });
    },
  };
}
