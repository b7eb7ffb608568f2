// Real feeds' dialects and quirks (issue 12), each a fixture in tests/fixtures/feeds/ served by a real HTTP server on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestReport, type OutletReport } from '../../src/ingest/index.ts';
import { parseFeed } from '../../src/ingest/parse/index.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { localFixture } from '../helpers/local-fixtures.ts';
import { makeProject, readWritten, removeProject, type Written } from './project.ts';

const NOW = new Date('2026-10-01T00:00:00Z');

const FEEDS: [file: string, contentType: string][] = [
  // Bitrix declares windows-1251 only in the XML prolog, as KazTAG's CMS does.
  ['yandex-bitrix-windows1251.xml', 'application/rss+xml'],
  ['fulltext-bare-uk.xml', 'application/rss+xml; charset=utf-8'],
  ['turbo-content.xml', 'application/rss+xml; charset=utf-8'],
  ['atom-xml-base.xml', 'application/atom+xml; charset=utf-8'],
  ['quirks-rss.xml', 'text/xml; charset=utf-8'],
  ['atom03-base64.xml', 'application/atom+xml'],
  ['rss1-prefixed-dc.xml', 'application/rdf+xml'],
];
const outletId = (file: string) => file.replace(/\.xml$/, '').replace(/[^a-z0-9]+/g, '-');

let server: FeedServer;
let root: string;
let report: IngestReport;
const outlet = (id: string) => report.outlets.find((o) => o.outlet === id) as OutletReport;
const written = async (id: string) => (await readWritten(root, id)).map((w): Omit<Written, 'frontMatter'> & { frontMatter: Record<string, unknown> } => {
  const { id: _id, hash: _hash, source: _source, outlet: _outlet, ...frontMatter } = w.frontMatter;
  return { path: w.path, frontMatter, body: w.body };
});

beforeAll(async () => {
  server = await startFeedServer({ mountFixtures: false });
  for (const [file, contentType] of FEEDS) server.serve(`/${file}`, localFixture(`feeds/${file}`), { contentType });
  root = await makeProject(FEEDS.map(([file]) => ({ id: outletId(file), feeds: [`${server.url}/${file}`], lang: file.includes('rss1') ? 'en' : 'ru' })));
  report = await ingest({ root, now: () => NOW });
});

afterAll(async () => {
  await server.close();
  await removeProject(root);
});

describe('full text from every place CMSes put it', () => {
  it('every fixture is read without a failure', () => {
    expect(report.outlets.map((o) => [o.outlet, o.new, o.failed.length])).toEqual(FEEDS.map(([file]) => [outletId(file), expect.any(Number), 0]));
    expect(report.outlets.reduce((n, o) => n + o.new, 0)).toBe(12);
  });

  it('Bitrix / Yandex.News: default namespace, windows-1251, no guid, entity-escaped yandex:full-text is the body, description the summary', async () => {
    expect(outlet('yandex-bitrix-windows1251').new).toBe(2);
    expect(await written('yandex-bitrix-windows1251')).toEqual([
      {
        path: 'content/yandex-bitrix-windows1251/2026/09/akimat-pavlodara-otchitalsia-o-remonte-teplosetei.md',
        frontMatter: { title: 'Акимат Павлодара отчитался о ремонте теплосетей', url: 'https://steppe-telegraph.example/ru/news/12345/', date: '2026-09-10T09:05:00Z', author: '', lang: 'ru', tags: ['Регионы'], summary: 'В Павлодаре заменили 14 км труб.' },
        body:
          // The enclosure (length="0") is the lead photo, a link to the original as every remote image.
          '<figure><a href="https://steppe-telegraph.example/upload/iblock/a1b/teplo.jpg" rel="nofollow noopener noreferrer" class="remote-image">[Акимат Павлодара отчитался о ремонте теплосетей]</a></figure>\n' +
          '<p>В Павлодаре к отопительному сезону заменили 14 километров труб, сообщили в акимате города.</p>\n' +
          '<p>«Работы завершены на 96%», — сказал заместитель акима. Жители микрорайона № 5 жалуются на перебои с горячей водой.</p>\n' +
          '<p>Подробнее — на <a href="https://steppe-telegraph.example/ru/news/12300/" rel="nofollow noopener noreferrer">сайте</a>.</p>\n',
      },
      {
        path: 'content/yandex-bitrix-windows1251/2026/09/sud-rassmotrit-isk-zhurnalistki.md',
        frontMatter: { title: 'Суд рассмотрит иск журналистки', url: 'https://steppe-telegraph.example/ru/news/12344/', date: '2026-09-10T06:30:00Z', author: '', lang: 'ru', tags: [], summary: 'Заседание назначено на понедельник.' },
        // Plain-text full-text (Yandex's own spec): paragraphs from blank lines.
        body: '<p>Заседание назначено на понедельник, 14 сентября.</p>\n<p>Журналистка требует опровержения и компенсации морального вреда.</p>\n',
      },
    ]);
  });

  it('a bare <full-text> is the body', async () => {
    const [school] = await written('fulltext-bare-uk');
    expect(school?.frontMatter.summary).toBe('Школу відкрили до 1 вересня.');
    expect(school?.body).toBe('<p>Школу в селі відновили за кошти громади та волонтерів і відкрили до 1 вересня.</p><p>«Діти повернулися до своїх класів», — розповіла директорка.</p>\n');
  });

  it('turbo:content is the body, without the <header> that repeats the title', async () => {
    expect(await written('turbo-content')).toEqual([
      {
        path: 'content/turbo-content/2026/09/v-kostanae-otkrylsia-novyi-avtovokzal.md',
        frontMatter: { title: 'В Костанае открылся новый автовокзал', url: 'https://north-pravda.example/news/avtovokzal', date: '2026-09-12T02:15:00Z', author: 'Асель Нурланова', lang: 'ru', tags: [], summary: 'Новый автовокзал принимает 40 рейсов в сутки. Старое здание закроют на реконструкцию.' },
        body: '<p>Новый автовокзал принимает 40 рейсов в сутки.</p><p>Старое здание закроют на реконструкцию.</p>\n',
      },
    ]);
  });

  it('Atom xml:base on the feed, the entry and the content resolves entry links and links inside content (not the feed URL)', async () => {
    const files = await written('atom-xml-base');
    expect(files.map((f) => [f.frontMatter.url, f.body])).toEqual([
      ['https://base-feed.example/kk/reply.html', '<p>Толығырақ <a href="https://base-feed.example/kk/more/" rel="nofollow noopener noreferrer">мұнда</a>.</p>\n'],
      [
        'https://base-feed.example/kk/news/2026/road.html',
        '<p>Жол <a href="https://base-feed.example/media/road-map.pdf" rel="nofollow noopener noreferrer">картасы</a> және <a href="https://base-feed.example/media/road.jpg" rel="nofollow noopener noreferrer" class="remote-image">[Жол]</a> суреті.</p>\n',
      ],
    ]);
  });
});

describe('older and rarer formats', () => {
  it('Atom 0.3: mode="base64" decoded, mode="escaped" as HTML, issued/modified as dates', async () => {
    expect((await written('atom03-base64')).map((f) => [f.frontMatter.title, f.frontMatter.date, f.frontMatter.updated, f.frontMatter.summary, f.body])).toEqual([
      ['Запись с escaped', '2026-09-09T08:00:00Z', undefined, 'Экранированный HTML.', '<p>Экранированный <em>HTML</em>.</p>\n'],
      ['Запись в base64', '2026-09-10T02:00:00Z', '2026-09-10T09:00:00Z', 'Коротко о записи.', '<p>Текст записи, закодированный в base64.</p>\n'],
    ]);
  });

  it('Atom 1.0 content of a non-text type is base64, decoded; binary content is dropped', () => {
    const html = Buffer.from('<p>Мәтін</p>').toString('base64');
    const feed = parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>a</id><title>A</title><content type="application/x-html">${html}</content></entry>` +
        `<entry><id>b</id><title>B</title><summary>Қысқа</summary><content type="image/png">iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==</content></entry></feed>`,
      'https://x.example/atom',
    );
    expect(feed.items.map((i) => [i.content, i.summary])).toEqual([
      [{ value: '<p>Мәтін</p>', type: 'html' }, undefined],
      [undefined, { value: 'Қысқа', type: 'text' }],
    ]);
  });

  it('RSS 1.0 with rss: prefixes, dc:title, dc:description, dcterms:issued/modified, xhtml:body, itunes:summary and media:description', async () => {
    expect(await written('rss1-prefixed-dc')).toEqual([
      {
        path: 'content/rss1-prefixed-dc/2026/09/ferry-service-resumes-after-storm.md',
        frontMatter: { title: 'Ferry service resumes after storm', url: 'https://caspian-wire.example/2026/09/ferry', date: '2026-09-08T06:00:00Z', updated: '2026-09-08T07:30:00Z', author: 'Dana Seitkali', lang: 'en', tags: [], summary: 'The Aktau ferry runs again.' },
        body: '<p>The Aktau ferry <strong>runs again</strong> after a two-day storm.</p><p>Passengers waited at the port.</p>\n',
      },
      {
        path: 'content/rss1-prefixed-dc/2026/09/podcast-the-port-at-night.md',
        frontMatter: { title: 'Podcast: the port at night', url: 'https://caspian-wire.example/2026/09/podcast', date: '2026-09-07T20:00:00Z', author: '', lang: 'en', tags: [], summary: 'Forty minutes with the night shift at the port.' },
        body: '<p>Forty minutes with the night shift at the port.</p>\n',
      },
      {
        path: 'content/rss1-prefixed-dc/2026/09/video-oil-rigs.md',
        frontMatter: { title: 'Video: oil rigs', url: 'https://caspian-wire.example/2026/09/video', date: '2026-09-06T20:00:00Z', author: '', lang: 'en', tags: [], summary: 'Drone footage of the rigs.' },
        body: '<p>Drone footage of the rigs.</p>\n',
      },
    ]);
    expect(parseFeed(localFixture('feeds/rss1-prefixed-dc.xml').toString(), 'u')).toMatchObject({ format: 'rdf', title: 'Caspian Wire', description: 'Wire copy from the Caspian coast', link: 'https://caspian-wire.example/', lang: 'en' });
  });
});

describe('quirks of real feeds', () => {
  it('double-escaped entities (&amp;#769;, &amp;laquo;) in HTML bodies and titles come out as the characters', async () => {
    const [notes] = await written('quirks-rss');
    expect(notes?.frontMatter.title).toBe('«Заме\u0301тки» редактора');
    expect(notes?.frontMatter.summary).toBe('Уда\u0301рение и «кавычки» — как в газете.');
    expect(notes?.body).toContain('<p>Уда\u0301рение и «кавычки» — как в газете.</p>');
  });

  it('a channel description written entirely in character references is read as text', () => {
    expect(parseFeed(localFixture('feeds/quirks-rss.xml').toString(), 'u')).toMatchObject({ title: 'Уральская неделя', description: 'Независимая газета Западного Казахстана' });
  });

  it('enclosures with length="0" and a wrong MIME type: the type from the file, no size; a photo leads, other files follow as links', async () => {
    const feed = parseFeed(localFixture('feeds/quirks-rss.xml').toString(), 'u');
    expect(feed.items[0]?.enclosures).toEqual([
      { url: 'https://ural-week.example/wp-content/uploads/2026/09/notes.jpg', type: 'image/jpeg' },
      { url: 'https://ural-week.example/audio/notes.mp3', type: 'audio/mpeg' },
      { url: 'https://ural-week.example/docs/report.pdf', type: 'application/pdf', length: 2516582 },
    ]);
    const [notes] = await written('quirks-rss');
    expect(notes?.body).toBe(
      '<figure><a href="https://ural-week.example/wp-content/uploads/2026/09/notes.jpg" rel="nofollow noopener noreferrer" class="remote-image">[«Заме\u0301тки» редактора]</a></figure>\n' +
        '<p>Уда\u0301рение и «кавычки» — как в газете.</p>\n' +
        '<p><a href="https://ural-week.example/audio/notes.mp3" rel="nofollow noopener noreferrer">notes.mp3</a> (audio/mpeg)</p>\n' +
        '<p><a href="https://ural-week.example/docs/report.pdf" rel="nofollow noopener noreferrer">report.pdf</a> (application/pdf, 2.4 MB)</p>\n',
    );
  });

  it('a 200 answer with an 11-byte body is a failure, not "nothing new", and keeps earlier articles', async () => {
    const quirks = await makeProject([{ id: 'tiny', feeds: [`${server.url}/tiny.xml`] }]);
    try {
      server.serve('/tiny.xml', localFixture('feeds/quirks-rss.xml'), { contentType: 'application/rss+xml' });
      expect((await ingest({ root: quirks, now: () => NOW })).outlets[0]?.new).toBe(1);
      for (const body of ['<rss></rss>', 'Bad Request']) {
        server.serve('/tiny.xml', body, { contentType: 'application/rss+xml' });
        expect((await ingest({ root: quirks, now: () => NOW })).outlets[0]?.failed).toEqual([
          { url: `${server.url}/tiny.xml`, code: 'ERR_BAD_FEED', reason: `${server.url}/tiny.xml: HTTP 200 with a 11-byte body, too short to be a feed (a broken server or an emptied file); kept the outlet's earlier articles, try again later` },
        ]);
      }
      expect((await readWritten(quirks)).map((w) => w.path)).toEqual(['content/tiny/2026/09/zametki-redaktora.md']);
    } finally {
      await removeProject(quirks);
    }
  });
});

describe('DDoS-protection challenge pages (ERR_CHALLENGE)', () => {
  const challenges: [name: string, status: number, headers: Record<string, string>, page: string, service: string][] = [
    ['Cloudflare managed challenge (403, cf-mitigated)', 403, { server: 'cloudflare', 'cf-mitigated': 'challenge', 'content-type': 'text/html; charset=UTF-8' }, 'pages/challenge-cloudflare.html', 'Cloudflare'],
    ['Cloudflare "Just a moment..." (503, markup only)', 503, { server: 'cloudflare', 'content-type': 'text/html; charset=UTF-8', 'retry-after': '5' }, 'pages/challenge-cloudflare.html', 'Cloudflare'],
    ['DDoS-Guard (403)', 403, { server: 'ddos-guard', 'content-type': 'text/html' }, 'pages/challenge-ddos-guard.html', 'DDoS-Guard'],
    ['DDoS-Guard JS challenge answered with 200 at the feed URL', 200, { server: 'ddos-guard', 'content-type': 'text/html' }, 'pages/challenge-ddos-guard.html', 'DDoS-Guard'],
    ['Qrator block page (403, server header)', 403, { server: 'QRATOR', 'content-type': 'text/html' }, 'pages/homepage-nofeed.html', 'Qrator'],
  ];
  for (const [name, status, headers, page, service] of challenges) {
    it(`${name}: its own code and a message saying the site is behind a challenge`, async () => {
      const path = `/challenge-${status}-${service.toLowerCase()}`;
      server.handle(path, (_req, res) => void res.writeHead(status, headers).end(localFixture(page)));
      const project = await makeProject([{ id: 'kaztag', feeds: [`${server.url}${path}`] }]);
      try {
        const [result] = (await ingest({ root: project, now: () => NOW })).outlets;
        expect(result?.failed).toEqual([
          {
            url: `${server.url}${path}`,
            code: 'ERR_CHALLENGE',
            reason: `${server.url}${path}: the outlet's site is behind a DDoS-protection challenge (${service}, HTTP ${status}): it answers a browser check instead of the feed; nothing mirrored, earlier articles kept. Ask the outlet to exempt its feed, or mirror it from a network the service lets through`,
          },
        ]);
      } finally {
        await removeProject(project);
      }
    });
  }

  it('a gzip-compressed challenge page (as Cloudflare sends it) is recognised; an endless 403 body is read only up to 256 KB', async () => {
    server.serve('/gz-challenge', localFixture('pages/challenge-cloudflare.html'), { status: 403, compress: 'gzip', contentType: 'text/html; charset=UTF-8', headers: { server: 'cloudflare' } });
    let sent = 0;
    server.handle('/endless-403', (_req, res) => {
      res.writeHead(403, { 'content-type': 'text/html' });
      const pump = () => {
        while (!res.destroyed && sent < 64 * 1024 * 1024) {
          sent += 65536;
          if (!res.write(`<p>${'x'.repeat(65529)}</p>`)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const project = await makeProject([{ id: 'gz', feeds: [`${server.url}/gz-challenge`, `${server.url}/endless-403`] }]);
    try {
      const [result] = (await ingest({ root: project, now: () => NOW })).outlets;
      expect(result?.failed.map((f) => [f.code, f.reason.slice(0, 90)])).toEqual([
        ['ERR_CHALLENGE', `${server.url}/gz-challenge: the outlet's site is behind a DDoS-protection challenge (Cloudflare, HTTP 403)`.slice(0, 90)],
        ['ERR_HTTP_STATUS', `${server.url}/endless-403: HTTP 403; try again later`],
      ]);
      // The server could write a few socket buffers more before the connection closed, never the 64 MB.
      expect(sent).toBeLessThan(8 * 1024 * 1024);
    } finally {
      await removeProject(project);
    }
  });

  it('an ordinary 403 or 503 is not a challenge, and a feed that mentions Cloudflare is a feed', async () => {
    server.handle('/plain-403', (_req, res) => void res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden'));
    server.serve('/mentions.xml', '<rss version="2.0"><channel><title>t</title><item><title>Cloudflare: Just a moment... and DDoS-Guard</title><link>https://x.example/1</link></item></channel></rss>', { contentType: 'application/rss+xml', headers: { server: 'cloudflare' } });
    const project = await makeProject([{ id: 'plain', feeds: [`${server.url}/plain-403`, `${server.url}/mentions.xml`] }]);
    try {
      const [result] = (await ingest({ root: project, now: () => NOW })).outlets;
      expect(result?.failed.map((f) => f.code)).toEqual(['ERR_HTTP_STATUS']);
      expect(result?.new).toBe(1);
    } finally {
      await removeProject(project);
    }
  });
});
