/** The article page layout: title, outlet, author, dates, correction, body, tags, original link and mirroring time. */
import type { EleventyData, JsTemplate } from '@11ty/eleventy';
import type { RenderedArticle } from '../../src/render/articles.ts';
import type { RenderContext } from '../../src/render/context.ts';
import { esc, rootPrefix } from '../../src/render/filters.ts';
import { describeDateNote, formatDateTime } from '../../src/render/i18n.ts';
import { shell } from './shell.ts';

function time(iso: string, ctx: RenderContext): string {
  return `<time datetime="${iso}">${formatDateTime(iso, ctx.lang)}</time>`;
}

export function renderArticle(ctx: RenderContext, a: RenderedArticle, content: string): string {
  const { t } = ctx;
  const up = rootPrefix(a.path);
  const ui = a.lang === ctx.lang ? '' : ` lang="${ctx.lang}"`;
  const meta = [a.author ? `${t.by} ${esc(a.author)}` : '', time(a.date, ctx), a.updated ? `${t.updated} ${time(a.updated, ctx)}` : ''].filter(Boolean).join(' · ');
  const correction = a.correction ? `<p class="c"><strong${ui}>${t.correction}:</strong> ${esc(a.correction)}</p>` : '';
  const dateNote = a.dateNote ? `<p class="m"${ui}>${t.dateNote}: ${esc(describeDateNote(a.dateNote, ctx.lang))}</p>` : '';
  const tags = a.tags.length ? `<p class="m"><span${ui}>${t.tags}:</span> ${a.tags.map(esc).join(', ')}</p>` : '';
  const original = a.safeUrl ? `${t.original} (${t.mayBeBlocked}): <a href="${esc(a.safeUrl)}" rel="nofollow noopener noreferrer">${esc(a.safeUrl)}</a>` : '';
  const mirrored = a.source ? `${t.mirroredAt} ${time(a.source.fetched, ctx)}` : '';
  const footerLine = [original, mirrored].filter(Boolean).join(' · ');
  // Search (src/render/search-index.ts): the article is what Pagefind indexes, its outlet the filter, its date shown with a result.
  const body = `<article data-pagefind-body data-pagefind-meta="date:${esc(formatDateTime(a.date, ctx.lang))}"><p class="m"${ui} data-pagefind-meta="lang:${esc(a.lang)}"><a href="${up}${a.outlet}/index.html" data-pagefind-filter="outlet">${esc(a.outletName)}</a></p><h1>${esc(a.title)}</h1><p class="m"${ui}>${meta}</p>${correction}${dateNote}${content}${tags}${footerLine ? `<p class="m o"${ui}>${footerLine}</p>` : ''}</article>`;
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
