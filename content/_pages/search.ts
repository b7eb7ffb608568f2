/**
 * The search page (search.html): Pagefind in the browser, by its own CSP the
 * only page allowed to run a script (and WebAssembly); without JavaScript or
 * from file:// it says so and links the plain title index (titles/…), which
 * the other two templates here render.
 */
import { readFileSync } from 'node:fs';
import type { EleventyData, JsTemplate } from '@11ty/eleventy';
import type { ListPage, SiteIndex } from '../../src/render/collections.ts';
import type { RenderContext } from '../../src/render/context.ts';
import { esc, rootPrefix } from '../../src/render/filters.ts';
import { fill, formatDate, formatDateTime, formatMonth } from '../../src/render/i18n.ts';
import { SEARCH_SCRIPT, searchCsp } from '../../src/render/search-page.ts';
import { titlePages, type TitlePage } from '../../src/render/search-titles.ts';
import { shell } from '../_includes/shell.ts';

const CLIENT = new URL('../../src/render/search-client.js', import.meta.url);

/**
 * What the index holds in full, when site.yaml's fullTextSearch is not `all`: from the first day
 * of the newest article month (`month`) or year (`year`), as search-shards.ts leadOnly splits it.
 */
function leadNote(ctx: RenderContext, index: SiteIndex): string {
  const newest = index.months[0]?.month;
  if (ctx.site.fullTextSearch === 'all' || !newest) return '';
  const since = ctx.site.fullTextSearch === 'month' ? `${newest}-01` : `${newest.slice(0, 4)}-01-01`;
  return `<p class="m">${esc(fill(ctx.t.svLeadOnly, { since: formatDate(since, ctx.lang) }))}</p>`;
}

export function searchPage(ctx: RenderContext): JsTemplate {
  const path = 'search.html';
  const { t } = ctx;
  return {
    data: { permalink: path, eleventyExcludeFromCollections: true },
    render(data) {
      const index = (data.collections as { nm: SiteIndex }).nm;
      const pages = titlePages(index.monthPages, index.outlets);
      const options = index.outlets.filter((o) => o.count > 0).map((o) => `<option value="${esc(o.name)}">${esc(o.name)}</option>`).join('');
      const status = `data-loading="${esc(t.svLoading)}" data-failed="${esc(t.svFailed)}" data-none="${esc(t.svNone)}" data-found="${esc(t.svFound)}" data-more="${esc(t.svMore)}"`;
      const scope = leadNote(ctx, index);
      const form = `<form id="sf" role="search" hidden><p><label for="q">${t.svSearchLabel}</label><br><input id="q" type="search" name="q" autocomplete="off"></p><p><label for="so">${t.svOutlet}</label><br><select id="so" name="outlet"><option value="">${t.svAllOutlets}</option>${options}</select></p><p><button type="submit">${t.svFind}</button></p>${scope}<p class="m">${t.svPrivacy}</p></form>`;
      const byOutlet = index.outlets
        .map((o) => {
          const months = pages.filter((p) => p.outlet === o.id).map((p) => `<a href="${p.path}">${formatMonth(p.month, ctx.lang)}</a> (${p.entries.length})`);
          return months.length ? `<h3>${esc(o.name)}</h3><p class="tm">${months.join(' · ')}</p>` : '';
        })
        .join('');
      const titles = `<h2 id="titles">${t.svTitles}</h2>${byOutlet || `<p>${t.noArticles}</p>`}`;
      const body = `<h1>${t.svSearch}</h1><p id="sn">${t.svNeedsJs}</p>${form}<p id="ss" role="status" ${status}></p><ol id="sr" class="l sr"></ol><p id="sm" hidden><button type="button">${t.svMore}</button></p>${titles}<script src="${SEARCH_SCRIPT}" defer></script>`;
      return shell(ctx, { path, lang: ctx.lang, title: `${t.svSearch} — ${ctx.site.title}`, body, csp: searchCsp(ctx.csp) });
    },
  };
}

/** titles/<outlet>/<yyyy-mm>.html: the titles of one outlet's month, linked. */
export function titleIndex(ctx: RenderContext): JsTemplate {
  const { t } = ctx;
  return {
    data: {
      // Over the archive's month pages, regrouped by outlet (Eleventy's `before` gets the full data as its second argument).
      pagination: { data: 'collections.nm.monthPages', size: 1, alias: 'titlePage', addAllPagesToCollections: false, before: (monthPages: ListPage[], full: EleventyData) => titlePages(monthPages, (full.collections as { nm: SiteIndex }).nm.outlets) },
      permalink: (data: EleventyData) => (data.titlePage as TitlePage).path,
      eleventyExcludeFromCollections: true,
    },
    render(data) {
      const page = data.titlePage as TitlePage;
      const index = (data.collections as { nm: SiteIndex }).nm;
      const up = rootPrefix(page.path);
      const name = index.outlets.find((o) => o.id === page.outlet)?.name ?? page.outlet;
      const month = formatMonth(page.month, ctx.lang);
      const items = page.entries
        .map(({ article: a }) => `<li><a href="${up}${a.href}"${a.lang === ctx.lang ? '' : ` lang="${esc(a.lang)}"`} dir="auto">${esc(a.title)}</a> <span class="m"><time datetime="${a.date}">${formatDateTime(a.date, ctx.lang)}</time></span></li>`)
        .join('');
      const body = `<p class="m"><a href="${up}search.html#titles">${t.svTitles}</a></p><h1>${t.svTitlesFor}: ${esc(name)}, ${month}</h1><ul class="tl">${items}</ul>`;
      return shell(ctx, { path: page.path, lang: ctx.lang, title: `${name}, ${month} — ${ctx.site.title}`, body });
    },
  };
}

/** search.js, the search page's script (src/render/search-client.js, copied as is). */
export function searchScript(): JsTemplate {
  return {
    data: { permalink: SEARCH_SCRIPT, eleventyExcludeFromCollections: true },
    render: () => readFileSync(CLIENT, 'utf8'),
  };
}
