// Outlets without a feed: news sitemaps and sitemap indexes on a real local server; page metadata; hostile sitemaps.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadOutlets } from '../../src/core/config.ts';
import { ingest } from '../../src/ingest/index.ts';
import { pageMeta } from '../../src/ingest/page-meta.ts';
import { parseSitemap } from '../../src/ingest/sitemap.ts';
import { gzipBomb, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { readWritten } from './project.ts';

let server: FeedServer;
const roots: string[] = [];
const NOW = new Date('2026-03-01T00:00:00Z');
const PARAGRAPH = 'Жители района третий день обсуждают решение акимата о переносе рынка. Собеседники редакции говорят, что их не спросили, а сроки объявили за неделю до начала работ.';

function page(n: number, head = ''): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Page ${n} | Site</title>${head}</head><body><nav><a href="/">Главная</a></nav><article><h1>Заголовок ${n}</h1><p>${PARAGRAPH}</p><p>${PARAGRAPH} (${n})</p></article><footer>© Site</footer></body></html>`;
}

const SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"';
const urlset = (entries: string[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<urlset ${SITEMAP_NS}>\n${entries.join('\n')}\n</urlset>\n`;
const index = (locs: { loc: string; lastmod: string }[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locs.map((s) => `<sitemap><loc>${s.loc}</loc><lastmod>${s.lastmod}</lastmod></sitemap>`).join('')}</sitemapindex>\n`;

async function project(outlet: Record<string, unknown>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'newsmirror-sitemap-'));
  roots.push(root);
  await mkdir(join(root, 'content', '_data'), { recursive: true });
  await writeFile(join(root, 'content', '_data', 'outlets.yaml'), stringify([{ id: 'nofeed', name: 'No Feed', homepage: 'https://nofeed.example/', lang: 'kk', images: 'none', ...outlet }]));
  return root;
}

const pageHits = (prefix: string) => server.requests.filter((r) => r.path.startsWith(prefix)).map((r) => r.path);

beforeAll(async () => {
  server = await startFeedServer({ mountFixtures: false });
});
afterAll(async () => {
  await server.close();
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

describe('outlets.yaml', () => {
  it('takes an outlet with sitemaps and no feeds, and names the field when it has neither', async () => {
    const root = await project({ sitemaps: ['https://nofeed.example/sitemap.xml'], sitemapPages: 10 });
    expect((await loadOutlets(root)).map((o) => [o.feeds, o.sitemaps, o.sitemapPages, o.images])).toEqual([[[], ['https://nofeed.example/sitemap.xml'], 10, 'none']]);
    const bare = await project({});
    await expect(loadOutlets(bare)).rejects.toThrow('content/_data/outlets.yaml is not valid:\n  [0].feeds: an outlet needs at least one URL in feeds or in sitemaps\n');
  });
});

describe('page metadata', () => {
  it('takes JSON-LD NewsArticle first, then Open Graph, <time>, <html lang>', () => {
    const ld = JSON.stringify({ '@context': 'https://schema.org', '@graph': [{ '@type': 'WebSite', name: 'Site' }, { '@type': ['NewsArticle'], headline: 'Аким  ответил\n на вопросы', datePublished: '2026-02-10T09:30:00+06:00', dateModified: '2026-02-10T12:00:00+06:00', author: [{ '@type': 'Person', name: 'Айгуль Сапарова' }, { '@type': 'Person', name: 'Ержан Ким' }], inLanguage: 'kk', description: 'Кратко о встрече.' }] });
    const html = `<html lang="ru-KZ"><head><meta property="og:title" content="OG title"><meta property="article:published_time" content="2020-01-01T00:00:00Z"><script type="application/ld+json">${ld}</script><title>T</title></head><body></body></html>`;
    expect(pageMeta(html)).toEqual({ title: 'Аким ответил на вопросы', date: '2026-02-10T09:30:00+06:00', updated: '2026-02-10T12:00:00+06:00', author: 'Айгуль Сапарова, Ержан Ким', lang: 'ru-KZ', summary: 'Кратко о встрече.' });
  });
  it('falls back to Open Graph, article:* and <meta name=author>', () => {
    const html = `<html><head><meta property="og:title" content="Суд &amp; дело"><meta property="article:published_time" content="2026-02-11T08:00:00Z"><meta property="article:modified_time" content="2026-02-12T08:00:00Z"><meta name="author" content="Редакция"><meta property="og:locale" content="kk_KZ"><meta property="og:description" content="Описание"><script type="application/ld+json">{broken</script></head><body></body></html>`;
    expect(pageMeta(html)).toEqual({ title: 'Суд & дело', date: '2026-02-11T08:00:00Z', updated: '2026-02-12T08:00:00Z', author: 'Редакция', lang: 'kk-KZ', summary: 'Описание' });
  });
  it('falls back to <time datetime> and <title>', () => {
    const html = `<html lang="en"><head><title>Plain page</title></head><body><article><time datetime="2026-01-05T10:00:00Z">5 Jan</time></article></body></html>`;
    expect(pageMeta(html)).toEqual({ title: 'Plain page', date: '2026-01-05T10:00:00Z', lang: 'en' });
  });
});

describe('news sitemap', () => {
  it('mirrors each new page once, metadata from the page, then the sitemap; the second run is a 304 and fetches nothing', async () => {
    const og = '<meta property="og:title" content="Рынок переносят"><meta property="article:published_time" content="2026-02-20T06:00:00Z"><meta name="author" content="Асель Нурова">';
    const ld = `<script type="application/ld+json">${JSON.stringify({ '@type': 'NewsArticle', headline: 'Акимат ответил', datePublished: '2026-02-21T10:00:00+06:00', author: { '@type': 'Person', name: 'Данияр Абенов' } })}</script>`;
    server.serve('/news/1', page(1, og), { contentType: 'text/html; charset=utf-8' });
    server.serve('/news/2', page(2, ld).replace('lang="ru"', 'lang="kk"'), { contentType: 'text/html; charset=utf-8' });
    server.serve('/news/3', page(3).replace(' lang="ru"', ''), { contentType: 'text/html; charset=utf-8' });
    const news = (n: number, title: string, date: string) => `<url><loc>${server.url}/news/${n}</loc><news:news><news:publication><news:name>Site</news:name><news:language>en</news:language></news:publication><news:publication_date>${date}</news:publication_date><news:title>${title}</news:title></news:news></url>`;
    server.serve('/sitemap-news.xml', urlset([news(1, 'N1', '2026-02-20T06:00:00Z'), news(2, 'N2', '2026-02-21T04:00:00Z'), news(3, 'Из ситемапа', '2026-02-22T07:15:00+06:00')]));
    const root = await project({ sitemaps: [`${server.url}/sitemap-news.xml`] });
    const first = await ingest({ root, now: () => NOW });
    expect(first.outlets[0]).toEqual({ outlet: 'nofeed', new: 3, updated: 0, unchanged: 0, skipped: 0, failed: [] });
    const written = (await readWritten(root)).sort((a, b) => String(a.frontMatter.url).localeCompare(String(b.frontMatter.url)));
    const fm = written.map((w) => ({ title: w.frontMatter.title, date: w.frontMatter.date, author: w.frontMatter.author, lang: w.frontMatter.lang, url: w.frontMatter.url, feed: (w.frontMatter.source as { feed: string }).feed }));
    expect(fm).toEqual([
      { title: 'Рынок переносят', date: '2026-02-20T06:00:00Z', author: 'Асель Нурова', lang: 'ru', url: `${server.url}/news/1`, feed: `${server.url}/sitemap-news.xml` },
      { title: 'Акимат ответил', date: '2026-02-21T04:00:00Z', author: 'Данияр Абенов', lang: 'kk', url: `${server.url}/news/2`, feed: `${server.url}/sitemap-news.xml` },
      { title: 'Page 3 | Site', date: '2026-02-22T01:15:00Z', author: '', lang: 'en', url: `${server.url}/news/3`, feed: `${server.url}/sitemap-news.xml` },
    ]);
    expect(written[0]?.path).toBe('content/nofeed/2026/02/rynok-perenosiat.md');
    expect(written[0]?.body).toContain(PARAGRAPH);
    expect(written[0]?.body).not.toContain('Главная');
    const second = await ingest({ root, now: () => NOW });
    expect(second.outlets[0]).toEqual({ outlet: 'nofeed', new: 0, updated: 0, unchanged: 0, skipped: 0, failed: [] });
    const [, again] = server.hits('/sitemap-news.xml');
    expect(again?.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(pageHits('/news/').sort()).toEqual(['/news/1', '/news/2', '/news/3']);
  });
});

describe('sitemap index of 2,000 URLs', () => {
  it('fetches only new pages, newest first, at most sitemapPages a run, with conditional GET on the index and every child', async () => {
    const day = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString().replace('.000Z', 'Z');
    const child = (c: number, extra: string[] = []) => urlset([...extra, ...Array.from({ length: 500 }, (_, k) => { const i = c * 500 + k; return `<url><loc>${server.url}/big/${i}</loc><lastmod>${day(i)}</lastmod></url>`; })]);
    for (let i = 0; i < 2000; i++) server.serve(`/big/${i}`, page(i), { contentType: 'text/html; charset=utf-8' });
    // Child 0 is a gzipped file (.xml.gz, no Content-Encoding), as CMSes publish them.
    server.serve('/sm/0.xml.gz', zlib.gzipSync(child(0)), { contentType: 'application/x-gzip' });
    for (let c = 1; c < 4; c++) server.serve(`/sm/${c}.xml`, child(c));
    const locs = [0, 1, 2, 3].map((c) => ({ loc: `${server.url}/sm/${c}${c === 0 ? '.xml.gz' : '.xml'}`, lastmod: day(c * 500 + 499) }));
    server.serve('/sitemap_index.xml', index(locs));
    const root = await project({ sitemaps: [`${server.url}/sitemap_index.xml`], sitemapPages: 25 });

    const first = await ingest({ root, now: () => NOW });
    expect(first.outlets[0]).toMatchObject({ new: 25, failed: [] });
    const firstPages = pageHits('/big/');
    expect(firstPages.sort()).toEqual(Array.from({ length: 25 }, (_, k) => `/big/${1975 + k}`).sort());

    const before = server.requests.length;
    const second = await ingest({ root, now: () => NOW });
    expect(second.outlets[0]).toEqual({ outlet: 'nofeed', new: 0, updated: 0, unchanged: 0, skipped: 0, failed: [] });
    const secondRun = server.requests.slice(before);
    expect(secondRun.map((r) => r.path).sort()).toEqual(['/sitemap_index.xml', '/sm/0.xml.gz', '/sm/1.xml', '/sm/2.xml', '/sm/3.xml']);
    expect(secondRun.every((r) => typeof r.headers['if-none-match'] === 'string')).toBe(true);

    // Two new articles in child 1: they, then the newest not yet mirrored of that changed sitemap; the others answer 304.
    server.serve('/new/a', page(9001), { contentType: 'text/html; charset=utf-8' });
    server.serve('/new/b', page(9002), { contentType: 'text/html; charset=utf-8' });
    server.serve('/sm/1.xml', child(1, [`<url><loc>${server.url}/new/a</loc><lastmod>2026-02-01T00:00:00Z</lastmod></url>`, `<url><loc>${server.url}/new/b</loc><lastmod>2026-02-02T00:00:00Z</lastmod></url>`]));
    const mark = server.requests.length;
    const third = await ingest({ root, now: () => NOW });
    expect(third.outlets[0]).toMatchObject({ new: 25, failed: [] });
    const thirdPages = server.requests.slice(mark).map((r) => r.path).filter((p) => !p.startsWith('/s')).sort();
    expect(thirdPages).toEqual(['/new/a', '/new/b', ...Array.from({ length: 23 }, (_, k) => `/big/${977 + k}`)].sort());
    expect((await readWritten(root)).length).toBe(50);
  }, 30_000);
});

describe('hostile sitemaps', () => {
  it('refuses entity declarations, a gzip bomb, an index nested too deep and a listed page on a loopback name, naming each URL', async () => {
    server.serve('/h/laughs.xml', '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><urlset><url><loc>&lol2;</loc></url></urlset>');
    server.serve('/h/bomb.xml.gz', zlib.gzipSync(Buffer.alloc(40 * 1024 * 1024), { level: 9 }), { contentType: 'application/x-gzip' });
    server.serve('/h/i1.xml', index([{ loc: `${server.url}/h/i2.xml`, lastmod: '2026-01-01' }]));
    server.serve('/h/i2.xml', index([{ loc: `${server.url}/h/i3.xml`, lastmod: '2026-01-01' }]));
    server.serve('/h/i3.xml', index([{ loc: `${server.url}/h/i4.xml`, lastmod: '2026-01-01' }]));
    const port = new URL(server.url).port;
    server.serve('/h/private.xml', urlset([`<url><loc>http://localhost:${port}/news/1</loc></url>`]));
    server.handle('/h/encoded-bomb.xml', gzipBomb(40 * 1024 * 1024));
    const names = ['laughs.xml', 'bomb.xml.gz', 'i1.xml', 'private.xml', 'encoded-bomb.xml'];
    const root = await project({ sitemaps: names.map((n) => `${server.url}/h/${n}`) });
    const report = await ingest({ root, now: () => NOW });
    const failed = report.outlets[0]?.failed.map((f) => [f.url.replace(server.url, ''), f.code]);
    expect(failed).toEqual([
      ['/h/laughs.xml', 'ERR_UNSAFE_XML'],
      ['/h/bomb.xml.gz', 'ERR_DECOMPRESSED_TOO_LARGE'],
      ['/h/i3.xml', 'ERR_BAD_FEED'],
      ['/h/encoded-bomb.xml', 'ERR_DECOMPRESSED_TOO_LARGE'],
      [`http://localhost:${port}/news/1`, 'ERR_FULLTEXT'],
    ]);
    expect(report.outlets[0]?.failed[4]?.reason).toContain('may not reach this machine');
    expect(report.outlets[0]?.new).toBe(0);
  });

  it('parses a sitemap without expanding anything and counts entries beyond 50,000', () => {
    const many = urlset(Array.from({ length: 50_003 }, (_, i) => `<url><loc>https://x.example/${i}</loc></url>`));
    const parsed = parseSitemap(many, 'https://x.example/sitemap.xml');
    expect(parsed.kind).toBe('urlset');
    expect(parsed.dropped).toBe(3);
    expect(parsed.kind === 'urlset' && parsed.urls.length).toBe(50_000);
    expect(() => parseSitemap('<!DOCTYPE html><html><body>blocked</body></html>', 'https://x.example/s.xml')).toThrow('https://x.example/s.xml: not a sitemap');
  });
});
