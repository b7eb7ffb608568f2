/**
 * Ingest benchmark: parse throughput (items/s) on a large generated RSS feed, then a run over
 * 1,000 generated feeds on a local server (first run, then an all-304 second run), with wall
 * time and peak RSS. Targets: ≥ 20,000 items/s parsing; second run ≤ 10 s. Then items/s for
 * each place a feed carries the full text (content:encoded, yandex:full-text in a default
 * namespace, bare full-text, turbo:content, Atom content with xml:base, xhtml:body, description only).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { ingest } from '../src/ingest/index.ts';
import { normalizeItem } from '../src/ingest/normalize.ts';
import { parseFeed } from '../src/ingest/parse/index.ts';
import { sanitizeArticleHtml } from '../src/core/sanitize.ts';
import { startFeedServer } from '../tests/helpers/feed-server.ts';

const FEEDS = 1000;
const ITEMS_PER_FEED = 5;
const PARSE_ITEMS = 20_000;

function item(feed: number, i: number): string {
  return `<item><title>Новость ${feed}-${i}: «заголовок» № ${i} — әкімдік</title><link>https://outlet-${feed}.example/news/${i}</link><guid isPermaLink="false">o${feed}-${i}</guid><pubDate>Wed, 05 Jan 2022 13:${String(i % 60).padStart(2, '0')}:00 +0600</pubDate><dc:creator>Автор ${i}</dc:creator><category>Общество</category><description>Краткое описание материала ${i}.</description><content:encoded><![CDATA[<p>Первый абзац материала ${i} о событиях в регионе, с <a href="/tag/x">ссылкой</a> и <strong>выделением</strong>.</p><p>Второй абзац: «цитата» — сказал собеседник. Ещё немного текста, чтобы тело было похоже на настоящую новость средней длины.</p><figure><img src="/img/${i}.jpg" alt="Фото ${i}"><figcaption>Подпись</figcaption></figure>]]></content:encoded></item>`;
}

function feed(n: number, items: number): string {
  const body = Array.from({ length: items }, (_, i) => item(n, i)).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Outlet ${n}</title><link>https://outlet-${n}.example/</link><language>ru</language>\n${body}\n</channel></rss>`;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

async function parseThroughput(): Promise<void> {
  const xml = feed(0, PARSE_ITEMS);
  // Five timed runs after a warm-up; the median is the figure, the best shows the machine's headroom.
  parseFeed(feed(0, 2000), 'warmup');
  const times: number[] = [];
  const cold = performance.now();
  let parsed = parseFeed(xml, 'bench');
  const coldMs = performance.now() - cold;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    parsed = parseFeed(xml, 'bench');
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[2] as number;
  const perSecond = Math.round(parsed.items.length / (median / 1000));
  const best = Math.round(parsed.items.length / ((times[0] as number) / 1000));
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  console.log(`parse: ${parsed.items.length} items (${mb(Buffer.byteLength(xml))} feed), median ${median.toFixed(0)} ms = ${perSecond} items/s, best ${best} items/s, first (JIT still warming) ${Math.round(parsed.items.length / (coldMs / 1000))} items/s (target ≥ 20000) ${perSecond >= 20_000 ? 'OK' : 'BELOW TARGET'}`);
  // The whole per-item transform (normalize + sanitize), for context.
  const outlet = { id: 'bench', name: 'Bench', homepage: 'https://bench.example/', lang: 'ru', feeds: ['https://bench.example/rss'], fulltext: false, enabled: true };
  const now = new Date();
  const start = performance.now();
  const sample = parsed.items.slice(0, 5000);
  for (const raw of sample) {
    const draft = normalizeItem(raw, { outlet, feedUrl: 'https://bench.example/rss', feed: parsed, fetched: now, now });
    sanitizeArticleHtml(draft.html, { baseUrl: draft.baseUrl });
  }
  const transformMs = performance.now() - start;
  console.log(`normalize + sanitize: ${sample.length} items in ${transformMs.toFixed(0)} ms = ${Math.round(sample.length / (transformMs / 1000))} items/s`);
}

async function manyFeeds(): Promise<void> {
  const server = await startFeedServer({ mountFixtures: false });
  const root = await mkdtemp(join(tmpdir(), 'newsmirror-bench-ingest-'));
  try {
    const outlets = [];
    for (let n = 0; n < FEEDS; n++) {
      server.serve(`/o${n}/rss`, feed(n, ITEMS_PER_FEED), { contentType: 'application/rss+xml; charset=utf-8', compress: n % 2 ? 'gzip' : undefined });
      outlets.push({ id: `outlet-${n}`, name: `Outlet ${n}`, homepage: `https://outlet-${n}.example/`, lang: 'ru', feeds: [`${server.url}/o${n}/rss`] });
    }
    await mkdir(join(root, 'content', '_data'), { recursive: true });
    await writeFile(join(root, 'content', '_data', 'outlets.yaml'), stringify(outlets));
    for (const label of ['first run', 'second run (all 304)']) {
      const start = performance.now();
      const report = await ingest({ root });
      const seconds = (performance.now() - start) / 1000;
      const sum = (key: 'new' | 'unchanged' | 'updated') => report.outlets.reduce((n, o) => n + o[key], 0);
      const failed = report.outlets.filter((o) => o.failed.length).length;
      const verdict = label.startsWith('second') ? (seconds <= 10 ? 'OK' : 'ABOVE TARGET') : '';
      console.log(`${FEEDS} feeds, ${label}: ${seconds.toFixed(2)} s, ${sum('new')} new, ${sum('updated')} updated, ${sum('unchanged')} unchanged, ${failed} failed, peak RSS ${mb(peakRss())}${verdict ? ` (target ≤ 10 s) ${verdict}` : ''}`);
    }
    const notModified = server.requests.filter((r) => r.headers['if-none-match']).length;
    console.log(`conditional requests on the second run: ${notModified}/${FEEDS}`);
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

const VARIANT_ITEMS = 5000;
const PARAGRAPHS = '<p>Первый абзац материала о событиях в регионе, с <a href="/tag/x">ссылкой</a> и <strong>выделением</strong>.</p><p>Второй абзац: «цитата» — сказал собеседник. Ещё немного текста, чтобы тело было похоже на настоящую новость.</p>';
const escaped = (html: string) => html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One feed of VARIANT_ITEMS items a full-text variant. */
const VARIANTS: Record<string, () => string> = {
  'content:encoded': () => feed(0, VARIANT_ITEMS),
  'yandex:full-text (default ns, escaped)': () =>
    `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns="http://backend.userland.com/rss2" xmlns:yandex="http://news.yandex.ru"><channel><title>B</title><link>https://b.example/</link>${Array.from({ length: VARIANT_ITEMS }, (_, i) => `<item><title>Новость ${i}</title><link>https://b.example/news/${i}/</link><description>Кратко ${i}.</description><pubDate>Wed, 05 Jan 2022 13:00:00 +0600</pubDate><yandex:full-text>${escaped(PARAGRAPHS)}</yandex:full-text></item>`).join('')}</channel></rss>`,
  'full-text (bare)': () =>
    `<rss version="2.0"><channel><title>U</title><link>https://u.example/</link>${Array.from({ length: VARIANT_ITEMS }, (_, i) => `<item><title>Новина ${i}</title><link>https://u.example/${i}</link><guid>u-${i}</guid><description>Коротко.</description><full-text><![CDATA[${PARAGRAPHS}]]></full-text></item>`).join('')}</channel></rss>`,
  'turbo:content': () =>
    `<rss version="2.0" xmlns:turbo="http://turbo.yandex.ru"><channel><title>T</title><link>https://t.example/</link>${Array.from({ length: VARIANT_ITEMS }, (_, i) => `<item turbo="true"><title>Т ${i}</title><link>https://t.example/${i}</link><turbo:content><![CDATA[<header><h1>Т ${i}</h1></header>${PARAGRAPHS}]]></turbo:content></item>`).join('')}</channel></rss>`,
  'Atom content + xml:base': () =>
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example/kk/"><title>A</title>${Array.from({ length: VARIANT_ITEMS }, (_, i) => `<entry xml:base="news/"><id>a-${i}</id><title>Жаңалық ${i}</title><link href="${i}.html"/><updated>2022-01-05T08:00:00Z</updated><summary>Қысқа.</summary><content type="html" xml:base="/media/">${escaped(PARAGRAPHS)}</content></entry>`).join('')}</feed>`,
  'xhtml:body (RSS 1.0, rss: prefix)': () =>
    `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rss="http://purl.org/rss/1.0/" xmlns:xhtml="http://www.w3.org/1999/xhtml"><rss:channel><rss:title>R</rss:title></rss:channel>${Array.from({ length: VARIANT_ITEMS }, (_, i) => `<rss:item rdf:about="https://r.example/${i}"><rss:title>R ${i}</rss:title><rss:link>https://r.example/${i}</rss:link><xhtml:body><xhtml:p>Первый абзац ${i}, <xhtml:strong>важно</xhtml:strong>.</xhtml:p><xhtml:p>Второй абзац.</xhtml:p></xhtml:body></rss:item>`).join('')}</rdf:RDF>`,
  'description only': () =>
    `<rss version="2.0"><channel><title>D</title><link>https://d.example/</link>${Array.from({ length: VARIANT_ITEMS }, (_, i) => `<item><title>D ${i}</title><link>https://d.example/${i}</link><description>${escaped(PARAGRAPHS)}</description></item>`).join('')}</channel></rss>`,
};

/** Parse, and parse + normalize + sanitize, items/s for each full-text variant (median of three runs). */
function fullTextVariants(): void {
  const outlet = { id: 'bench', name: 'Bench', homepage: 'https://bench.example/', lang: 'ru', feeds: ['https://bench.example/rss'], fulltext: false, enabled: true };
  const now = new Date();
  const median = (f: () => void) => {
    const times = [0, 1, 2].map(() => {
      const start = performance.now();
      f();
      return performance.now() - start;
    });
    return times.sort((a, b) => a - b)[1] as number;
  };
  for (const [name, make] of Object.entries(VARIANTS)) {
    const xml = make();
    const parsed = parseFeed(xml, 'bench');
    if (parsed.items.length !== VARIANT_ITEMS || !parsed.items.every((item) => item.content ?? item.summary)) throw new Error(`${name}: expected ${VARIANT_ITEMS} items with a body, got ${parsed.items.length}`);
    const parseMs = median(() => parseFeed(xml, 'bench'));
    const wholeMs = median(() => {
      for (const raw of parseFeed(xml, 'bench').items) {
        const draft = normalizeItem(raw, { outlet, feedUrl: 'https://bench.example/rss', feed: parsed, fetched: now, now });
        sanitizeArticleHtml(draft.html, { baseUrl: draft.baseUrl });
      }
    });
    const rate = (ms: number) => Math.round(VARIANT_ITEMS / (ms / 1000));
    console.log(`full text from ${name}: parse ${rate(parseMs)} items/s, parse + normalize + sanitize ${rate(wholeMs)} items/s`);
  }
}

// The feeds run first, so its peak RSS is its own (the parse run holds a 20,000-item feed in memory).
await manyFeeds();
await parseThroughput();
fullTextVariants();
console.log(`peak RSS: ${mb(peakRss())}`);
