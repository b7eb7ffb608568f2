/** The about page (what this is, whose reporting, how to check a copy) and build.json. */
import type { JsTemplate } from '@11ty/eleventy';
import type { SiteIndex } from '../../src/render/collections.ts';
import type { RenderContext } from '../../src/render/context.ts';
import { esc } from '../../src/render/filters.ts';
import { outletLink, shell } from '../_includes/shell.ts';

export function about(ctx: RenderContext): JsTemplate {
  const path = 'about.html';
  const { t } = ctx;
  return {
    data: { permalink: path, eleventyExcludeFromCollections: true },
    render(data) {
      const index = (data.collections as { nm: SiteIndex }).nm;
      const outlets = index.outlets
        .map((o) => `<li>${outletLink(ctx, '', o.id, o.name, ctx.lang)}${o.homepage ? ` — ${t.original} (${t.mayBeBlocked}): <a href="${esc(o.homepage)}" rel="nofollow noopener noreferrer">${esc(o.homepage)}</a>` : ''}</li>`)
        .join('');
      const description = ctx.site.description ? `<p>${esc(ctx.site.description)}</p>` : '';
      const body = `<h1>${t.aboutTitle}</h1>${description}<p>${t.aboutWhat}</p><p>${t.aboutWhose}</p><ul>${outlets}</ul><p>${t.aboutTrust} <a href="verify.html">${t.verifyTitle}</a>. <a href="mirrors.html">${t.mirrors}</a> · <a href="feeds.html">${t.feeds}</a></p>`;
      return shell(ctx, { path, lang: ctx.lang, title: `${t.aboutTitle} — ${ctx.site.title}`, body });
    },
  };
}

/** _site/build.json: the build time and article count seal reads. */
export function buildInfo(): JsTemplate {
  return {
    data: { permalink: 'build.json', eleventyExcludeFromCollections: true },
    render(data) {
      const index = (data.collections as { nm: SiteIndex }).nm;
      return `${JSON.stringify({ built: index.built, articles: index.articles })}\n`;
    },
  };
}
