/** The mirrors page, /mirrors.json and the Bypass Censorship v2 /mirrorSites.json, from mirrors/*.yaml and the last health check. */
import type { JsTemplate } from '@11ty/eleventy';
import type { SiteIndex } from '../../src/render/collections.ts';
import type { RenderContext } from '../../src/render/context.ts';
import { esc } from '../../src/render/filters.ts';
import { formatDateTime } from '../../src/render/i18n.ts';
import { mirrorSitesJson, mirrorsJson } from '../../src/render/mirrors.ts';
import { shell } from '../_includes/shell.ts';

export function mirrorsPage(ctx: RenderContext): JsTemplate {
  const path = 'mirrors.html';
  const { t } = ctx;
  return {
    data: { permalink: path, eleventyExcludeFromCollections: true },
    render() {
      const rows = ctx.mirrors
        .map((m) => `<tr><td><a href="${esc(m.url)}">${esc(m.url)}</a></td><td>${esc(m.kind)}</td><td>${t.statuses[m.status]}</td><td>${m.checked ? formatDateTime(m.checked, ctx.lang) : t.never}</td></tr>`)
        .join('');
      const table = rows ? `<table><thead><tr><th>${t.mirrorName}</th><th>${t.kind}</th><th>${t.status}</th><th>${t.lastCheck}</th></tr></thead><tbody>${rows}</tbody></table>` : '';
      const body = `<h1>${t.mirrors}</h1><p>${t.mirrorsIntro}</p>${table}<p class="m"><a href="mirrors.json">mirrors.json</a> · <a href="mirrorSites.json">mirrorSites.json</a> · <a href="verify.html">${t.verify}</a></p>`;
      return shell(ctx, { path, lang: ctx.lang, title: `${t.mirrors} — ${ctx.site.title}`, body });
    },
  };
}

export function mirrorsJsonFile(ctx: RenderContext): JsTemplate {
  return { data: { permalink: 'mirrors.json', eleventyExcludeFromCollections: true }, render: () => mirrorsJson(ctx.mirrors) };
}

export function mirrorSitesFile(ctx: RenderContext): JsTemplate {
  return {
    data: { permalink: 'mirrorSites.json', eleventyExcludeFromCollections: true },
    render: (data) => mirrorSitesJson(ctx.mirrors, ctx.outlets, (data.collections as { nm: SiteIndex }).nm.built),
  };
}
