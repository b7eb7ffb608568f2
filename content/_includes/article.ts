/** The article page layout: outlet, title, author, dates, the notice (a copy; original; other copies; download), correction, body, tags, original link and mirroring time. */
import type { EleventyData, JsTemplate } from '@11ty/eleventy';
import type { RenderedArticle } from '../../src/render/articles.ts';
import type { RenderContext } from '../../src/render/context.ts';
import { esc, hostOf, rootPrefix } from '../../src/render/filters.ts';
import { describeDateNote, fill, formatDateTime } from '../../src/render/i18n.ts';
import { copyLinks, DOWNLOAD, langAttr, outletLink, shell } from './shell.ts';

function time(iso: string, ctx: RenderContext): string {
  return `<time datetime="${iso}">${formatDateTime(iso, ctx.lang)}</time>`;
}

/**
 * The notice at the top of every article: whose article this is a copy of, the original (may be
 * blocked), 2–3 other copies that answered at the last check, and the whole site to download.
 */
export function notice(ctx: RenderContext, a: RenderedArticle, up: string): string {
  const { t } = ctx;
  const own = langAttr(ctx.outletById.get(a.outlet)?.lang, ctx.lang);
  const outlet = own ? `<span${own}>${esc(a.outletName)}</span>` : esc(a.outletName);
  const original = a.safeUrl ? ` ${t.noticeOriginal} <a href="${esc(a.safeUrl)}" rel="nofollow noopener noreferrer">${esc(hostOf(a.safeUrl) || a.safeUrl)}</a>` : '';
  const copies = copyLinks(ctx);
  return `<aside class="n"${langAttr(ctx.lang, a.lang)} aria-label="${t.noticeLabel}"><p>${fill(t.noticeCopy, { outlet })}${original}</p><p>${t.noticeOther} ${copies ? `${copies} · ` : ''}<a href="${up}mirrors.html">${t.allMirrors}</a></p><p><a href="${up}${DOWNLOAD}">${t.noticeDownload}</a> (zip)</p></aside>`;
}

export function renderArticle(ctx: RenderContext, a: RenderedArticle, content: string): string {
  const { t } = ctx;
  const up = rootPrefix(a.path);
  const ui = langAttr(ctx.lang, a.lang);
  const meta = [a.author ? `${t.by} <span${langAttr(a.lang, ctx.lang)}>${esc(a.author)}</span>` : '', time(a.date, ctx), a.updated ? `${t.updated} ${time(a.updated, ctx)}` : ''].filter(Boolean).join(' · ');
  const correction = a.correction ? `<p class="c"><strong${ui}>${t.correction}:</strong> ${esc(a.correction)}</p>` : '';
  const dateNote = a.dateNote ? `<p class="m"${ui}>${t.dateNote}: ${esc(describeDateNote(a.dateNote, ctx.lang))}</p>` : '';
  const tags = a.tags.length ? `<p class="m"><span${ui}>${t.tags}:</span> ${a.tags.map(esc).join(', ')}</p>` : '';
  const original = a.safeUrl ? `${t.original}: <a href="${esc(a.safeUrl)}" rel="nofollow noopener noreferrer">${esc(a.safeUrl)}</a>` : '';
  const mirrored = a.source ? `<span${ui}>${t.mirroredAt}</span> ${time(a.source.fetched, ctx)}` : '';
  const footerLine = [original ? `<span${ui}>${original}</span>` : '', mirrored].filter(Boolean).join(' · ');
  // Search (src/render/search-index.ts): the article is what Pagefind indexes, its outlet the filter, its date shown with a result.
  const outletName = outletLink(ctx, up, a.outlet, a.outletName, ctx.lang).replace('<a ', '<a data-pagefind-filter="outlet" ');
  const body = `<article data-pagefind-body data-pagefind-meta="date:${esc(formatDateTime(a.date, ctx.lang))}"><p class="m"${ui} data-pagefind-meta="lang:${esc(a.lang)}">${outletName}</p><h1 dir="auto">${esc(a.title)}</h1><p class="m"${ui}>${meta}</p>${notice(ctx, a, up)}${correction}${dateNote}<div class="b" dir="auto">${content}</div>${tags}${footerLine ? `<p class="m o">${footerLine}</p>` : ''}</article>`;
  return shell(ctx, {
    path: a.path,
    lang: a.lang,
    title: `${a.title} — ${a.outletName}`,
    description: a.summary,
    body,
    feeds: [{ href: `${a.outlet}/atom.xml`, title: a.outletName }],
  });
}

/** Eleventy layout (virtual `_includes/article.11ty.js`). */
export default function articleLayout(ctx: RenderContext): JsTemplate {
  return {
    render: (data: EleventyData) => renderArticle(ctx, data.nm as RenderedArticle, data.content ?? ''),
  };
}
