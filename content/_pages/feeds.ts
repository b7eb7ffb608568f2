/** Feeds of the mirror itself: Atom and RSS (site-wide and per outlet), an OPML of them all, and a page listing them. */
import type { EleventyData, JsTemplate } from '@11ty/eleventy';
import type { Feed, SiteIndex } from '../../src/render/collections.ts';
import type { RenderContext } from '../../src/render/context.ts';
import { esc, rootPrefix, rfc822 } from '../../src/render/filters.ts';
import { langAttr, shell } from '../_includes/shell.ts';

const XML = '<?xml version="1.0" encoding="utf-8"?>\n';

function feedTitle(ctx: RenderContext, feed: Feed): string {
  return feed.outlet ? `${feed.title} — ${ctx.site.title}` : ctx.site.title;
}

function perFeed(file: string, render: (feed: Feed) => string): JsTemplate {
  return {
    data: { pagination: { data: 'collections.nm.feeds', size: 1, alias: 'feed' }, permalink: (data: EleventyData) => `${(data.feed as Feed).dir}${file}`, eleventyExcludeFromCollections: true },
    render: (data) => render(data.feed as Feed),
  };
}

export function atom(ctx: RenderContext): JsTemplate {
  return perFeed('atom.xml', (feed) => {
    // Links stay relative to the site root, named by xml:base, so a feed read from any copy leads into that copy.
    const base = rootPrefix(`${feed.dir}atom.xml`) || './';
    const entries = feed.entries
      .map(({ article: a, content }) => {
        const author = a.author ? `<author><name>${esc(a.author)}</name></author>` : '';
        const summary = a.summary ? `<summary>${esc(a.summary)}</summary>` : '';
        return `<entry xml:lang="${esc(a.lang)}"><title>${esc(a.title)}</title><id>urn:newsmirror:${esc(a.id)}</id><link rel="alternate" type="text/html" href="${a.href}"/><published>${a.date}</published><updated>${a.updated ?? a.date}</updated>${author}${summary}<content type="html">${esc(content())}</content></entry>`;
      })
      .join('\n');
    return `${XML}<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${ctx.lang}" xml:base="${base}"><title>${esc(feedTitle(ctx, feed))}</title><id>urn:newsmirror:feed:${feed.outlet || 'all'}</id><updated>${feed.updated}</updated><link rel="self" href="${feed.dir}atom.xml"/><link rel="alternate" type="text/html" href="${feed.dir}index.html"/><generator>newsmirror</generator>\n${entries}\n</feed>\n`;
  });
}

/**
 * RSS 2.0 wants absolute links: made so against the site's main `url` when site.yaml has one;
 * without it they stay relative to the feed (most readers resolve them against the feed's URL).
 */
export function rssLink(ctx: Pick<RenderContext, 'site'>, feedPath: string): (target: string) => string {
  const { url } = ctx.site;
  if (url) {
    const root = url.endsWith('/') ? url : `${url}/`;
    return (target) => new URL(target, root).href;
  }
  const up = rootPrefix(feedPath);
  return (target) => `${up}${target}`;
}

export function rss(ctx: RenderContext): JsTemplate {
  return perFeed('rss.xml', (feed) => {
    const link = rssLink(ctx, `${feed.dir}rss.xml`);
    const items = feed.entries
      .map(({ article: a, content }) => {
        const creator = a.author ? `<dc:creator>${esc(a.author)}</dc:creator>` : '';
        return `<item><title>${esc(a.title)}</title><link>${esc(link(a.href))}</link><guid isPermaLink="false">urn:newsmirror:${esc(a.id)}</guid><pubDate>${rfc822(a.date)}</pubDate>${creator}<description>${esc(content())}</description></item>`;
      })
      .join('\n');
    return `${XML}<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>${esc(feedTitle(ctx, feed))}</title><link>${esc(link(`${feed.dir}index.html`))}</link><description>${esc(ctx.site.description || ctx.site.title)}</description><language>${ctx.lang}</language><lastBuildDate>${rfc822(feed.updated)}</lastBuildDate>\n${items}\n</channel></rss>\n`;
  });
}

export function opml(ctx: RenderContext): JsTemplate {
  return {
    data: { permalink: 'feeds.opml', eleventyExcludeFromCollections: true },
    render(data) {
      const index = (data.collections as { nm: SiteIndex }).nm;
      const outlines = index.feeds.map((f) => `<outline type="rss" text="${esc(feedTitle(ctx, f))}" title="${esc(feedTitle(ctx, f))}" xmlUrl="${f.dir}atom.xml" htmlUrl="${f.dir}index.html"/>`).join('\n');
      return `${XML}<opml version="2.0"><head><title>${esc(ctx.site.title)}</title></head><body>\n${outlines}\n</body></opml>\n`;
    },
  };
}

export function feedsPage(ctx: RenderContext): JsTemplate {
  const path = 'feeds.html';
  return {
    data: { permalink: path, eleventyExcludeFromCollections: true },
    render(data) {
      const index = (data.collections as { nm: SiteIndex }).nm;
      const name = (f: Feed) => (f.outlet ? `<span${langAttr(ctx.outletById.get(f.outlet)?.lang, ctx.lang)}>${esc(f.title)}</span>` : ctx.t.allOutlets);
      const rows = index.feeds.map((f) => `<li>${name(f)}: <a href="${f.dir}atom.xml">Atom</a> · <a href="${f.dir}rss.xml">RSS</a></li>`).join('');
      const body = `<h1>${ctx.t.feeds}</h1><p>${ctx.t.feedsIntro}</p><ul>${rows}</ul><p><a href="feeds.opml">${ctx.t.opml}</a></p>`;
      return shell(ctx, { path, lang: ctx.lang, title: `${ctx.t.feeds} — ${ctx.site.title}`, body, feeds: [{ href: 'atom.xml', title: ctx.site.title }] });
    },
  };
}
