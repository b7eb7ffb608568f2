/** The "Other copies" page (mirrors.html), /mirrors.json and the Bypass Censorship v2 /mirrorSites.json, from mirrors/*.yaml and the last health check. */
import type { JsTemplate } from '@11ty/eleventy';
import type { SiteIndex } from '../../src/render/collections.ts';
import type { RenderContext } from '../../src/render/context.ts';
import { esc, hostOf } from '../../src/render/filters.ts';
import { fill, formatDateTime, formatDuration } from '../../src/render/i18n.ts';
import { ipfsCid, listedCopies, mirrorSitesJson, mirrorsJson, reachOf, type MirrorEntry } from '../../src/render/mirrors.ts';
import { qrSvg } from '../../src/render/qr.ts';
import { DOWNLOAD, shell } from '../_includes/shell.ts';

/** Public gateways offered beside a mirror's own for an IPFS copy (links only: nothing is loaded from them). */
export const PUBLIC_GATEWAYS = ['https://ipfs.io/ipfs/', 'https://dweb.link/ipfs/'];

/** The QR code holds at most this many characters of addresses (a phone camera still reads it at 375 px). */
const QR_MAX = 600;

/** "checked 2 hours earlier: up to date", relative to the latest check of any copy (`reference`). */
export function checkedWords(ctx: RenderContext, m: MirrorEntry, reference: string | null): string {
  const { t } = ctx;
  const status = t.statuses[m.status];
  if (!m.checked || !reference) return `${t.notChecked}`;
  const ms = Date.parse(reference) - Date.parse(m.checked);
  return ms < 60_000 ? fill(t.checkedThen, { status }) : fill(t.checkedBefore, { ago: formatDuration(ms, ctx.lang), status });
}

function link(url: string, text = url): string {
  return `<a href="${esc(url)}">${esc(text)}</a>`;
}

function webItem(ctx: RenderContext, m: MirrorEntry, reference: string | null): string {
  return `<li>${link(m.url)}<br><span class="m">${checkedWords(ctx, m, reference)}</span></li>`;
}

function ipfsItem(ctx: RenderContext, m: MirrorEntry, reference: string | null): string {
  const { t } = ctx;
  const cid = ipfsCid(m.url);
  const gateways = [m.url, ...(cid ? PUBLIC_GATEWAYS.map((g) => `${g}${cid}/`) : [])];
  const cidLine = cid ? `<p>${t.cid}: <code>${esc(cid)}</code></p>` : '';
  const app = cid ? `<p>${t.ipfsApp}: ${link(`ipfs://${cid}/`)}</p>` : '';
  return `<li>${cidLine}<p>${t.gateways}:</p><ul>${gateways.map((g) => `<li>${link(g, hostOf(g))}</li>`).join('')}</ul>${app}<p class="m">${checkedWords(ctx, m, reference)}</p></li>`;
}

function onionItem(ctx: RenderContext, m: MirrorEntry, reference: string | null): string {
  return `<li>${link(m.url)}<br><span class="m">${checkedWords(ctx, m, reference)}</span></li>`;
}

function offline(ctx: RenderContext): string {
  const { t } = ctx;
  // No sizes here: the bundles hold this page, so a size printed in it would change every build (and
  // a run with nothing new would never give the same CID). release.json, beside the copy, has them.
  return `<h2>${t.copiesOffline}</h2><p>${t.offlineIntro}</p><ul class="k"><li><a href="${DOWNLOAD}">site.zip</a>: ${t.zipHow}</li><li><a href="site.car">site.car</a>: ${t.carHow}</li></ul><p class="m"><a href="release.json">${t.releaseRecord}</a></p>`;
}

/** The addresses the QR code carries: every listed copy, one a line, as many as fit. */
export function qrText(copies: readonly MirrorEntry[]): string {
  let text = '';
  for (const m of copies) {
    if (text.length + m.url.length + 1 > QR_MAX) break;
    text += `${text ? '\n' : ''}${m.url}`;
  }
  return text;
}

export function mirrorsPageBody(ctx: RenderContext): string {
  const { t } = ctx;
  const copies = listedCopies(ctx.mirrors);
  const reference = copies.map((m) => m.checked).filter((c): c is string => Boolean(c)).sort().at(-1) ?? null;
  const group = (reach: string) => copies.filter((m) => reachOf(m) === reach);
  const web = group('web');
  const ipfs = group('ipfs');
  const onion = group('onion');
  let body = `<h1>${t.otherMirrors}</h1><p>${t.copiesIntro}</p>`;
  if (copies.length === 0) body += `<p><strong>${t.noCopies}</strong></p>`;
  else if (reference) body += `<p class="m">${fill(t.asOf, { time: formatDateTime(reference, ctx.lang) })}</p>`;
  if (web.length) body += `<h2>${t.copiesWeb}</h2><ul class="k">${web.map((m) => webItem(ctx, m, reference)).join('')}</ul>`;
  if (ipfs.length) body += `<h2>${t.copiesIpfs}</h2><p>${t.ipfsIntro}</p><ul class="k">${ipfs.map((m) => ipfsItem(ctx, m, reference)).join('')}</ul>`;
  if (onion.length) body += `<h2>${t.copiesOnion}</h2><p>${t.onionIntro}</p><ul class="k">${onion.map((m) => onionItem(ctx, m, reference)).join('')}</ul>`;
  body += offline(ctx);
  const qr = qrText(copies);
  if (qr) body += `<h2>${t.qrTitle}</h2><p>${t.qrText}</p>${qrSvg(qr, t.qrTitle)}`;
  body += `<h2 id="host">${t.becomeTitle}</h2><p>${t.becomeText}</p><p>${t.becomeReadme}:</p><pre>npx newsmirror clone &lt;URL&gt; my-copy${ctx.site.publicKey ? ` --key ${esc(ctx.site.publicKey)}` : ''}\nnpx newsmirror serve my-copy</pre>`;
  body += `<p class="m"><a href="mirrors.json">mirrors.json</a> · <a href="mirrorSites.json">mirrorSites.json</a> · <a href="verify.html">${t.verify}</a></p>`;
  return body;
}

export function mirrorsPage(ctx: RenderContext): JsTemplate {
  const path = 'mirrors.html';
  return {
    data: { permalink: path, eleventyExcludeFromCollections: true },
    render: () => shell(ctx, { path, lang: ctx.lang, title: `${ctx.t.otherMirrors} — ${ctx.site.title}`, body: mirrorsPageBody(ctx) }),
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
