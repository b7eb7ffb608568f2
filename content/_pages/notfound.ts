/** 404.html: in the site's language, linking home, search and other copies. */
import type { JsTemplate } from '@11ty/eleventy';
import type { RenderContext } from '../../src/render/context.ts';
import { copyLinks, shell } from '../_includes/shell.ts';

/**
 * The prefix of 404.html's links. A server shows this page at whatever address was missing
 * (nginx error_page, GitHub Pages, `newsmirror serve`), at any depth, so its links cannot be
 * relative: they start at the path of the site's main `url` ("/" without one).
 */
export function notFoundPrefix(ctx: Pick<RenderContext, 'site'>): string {
  if (!ctx.site.url) return '/';
  const path = new URL(ctx.site.url).pathname;
  return path.endsWith('/') ? path : `${path}/`;
}

export function notFound(ctx: RenderContext): JsTemplate {
  const path = '404.html';
  const { t } = ctx;
  return {
    data: { permalink: path, eleventyExcludeFromCollections: true },
    render() {
      const up = notFoundPrefix(ctx);
      const copies = copyLinks(ctx);
      const body = `<h1>${t.notFoundTitle}</h1><p>${t.notFoundText}</p><ul class="k"><li><a href="${up}index.html">${t.siteHome}</a></li><li><a href="${up}search.html">${t.search}</a></li><li><a href="${up}mirrors.html">${t.otherCopies}</a>${copies ? `: ${copies}` : ''}</li></ul>`;
      return shell(ctx, { path, up, lang: ctx.lang, title: `${t.notFoundTitle} — ${ctx.site.title}`, body });
    },
  };
}
