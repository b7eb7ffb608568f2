// Every shared feed fixture, served by a real HTTP server on 127.0.0.1, through one ingest run.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestReport, type OutletReport } from '../../src/ingest/index.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { makeProject, readWritten, removeProject, type Written } from './project.ts';

const NOW = new Date('2024-06-01T00:00:00Z');
const FIXTURES = ['rss2-ru-utf8.xml', 'rss2-ru-windows1251.xml', 'rss2-ru-koi8r.xml', 'atom-kk.xml', 'jsonfeed-en.json', 'hostile-xss.xml', 'hostile-fields.xml', 'billion-laughs.xml', 'truncated.xml', 'not-a-feed.html'];
const outletId = (file: string) => file.replace(/\.\w+$/, '').replace(/[^a-z0-9]+/g, '-');

let server: FeedServer;
let root: string;
let report: IngestReport;
const outlet = (id: string) => report.outlets.find((o) => o.outlet === id) as OutletReport;
const written = (id: string) => readWritten(root, id);
const byTitle = (files: Written[], title: string) => {
  const found = files.find((f) => f.frontMatter.title === title);
  if (!found) throw new Error(`no article titled ${title}; have ${files.map((f) => f.frontMatter.title).join(' | ')}`);
  return found;
};

beforeAll(async () => {
  server = await startFeedServer();
  // The RDF items link to https://open-caspian.example/...: point them at this server, which serves the pages there.
  server.fixture('/caspian/rss', 'feeds/rdf-en-summary.xml', { replace: { 'https://open-caspian.example': server.url } });
  server.fixture('/2022/01/port-workers-strike.html', 'pages/port-workers-strike.html');
  server.fixture('/2022/01/water-tariffs.html', 'pages/water-tariffs.html');
  const outlets = FIXTURES.map((f) => ({ id: outletId(f), feeds: [`${server.url}/feeds/${f}`] }));
  outlets.push({ id: 'caspian', feeds: [`${server.url}/caspian/rss`], fulltext: true, lang: 'en' } as (typeof outlets)[number]);
  root = await makeProject(outlets);
  report = await ingest({ root, now: () => NOW });
});

afterAll(async () => {
  await server.close();
  await removeProject(root);
});

describe('RSS 2.0, UTF-8 (rss2-ru-utf8.xml)', () => {
  it('writes 3 articles with full text, absolute URLs, author, categories and UTC dates', async () => {
    expect(outlet('rss2-ru-utf8')).toEqual({ outlet: 'rss2-ru-utf8', new: 3, updated: 0, unchanged: 0, skipped: 0, failed: [] });
    const files = await written('rss2-ru-utf8');
    expect(files.map((f) => f.path)).toEqual([
      'content/rss2-ru-utf8/2022/01/internet-v-oblastnom-tsentre-otkliuchali-trizhdy-za-sutki.md',
      'content/rss2-ru-utf8/2022/01/sud-ostavil-v-sile-shtraf-dlia-redaktora-gazety.md',
      'content/rss2-ru-utf8/2022/01/zhiteli-poselka-aktas-trebuiut-vernut-avtobusnyi-marshrut.md',
    ]);
    const bus = byTitle(files, 'Жители посёлка Актас требуют вернуть автобусный маршрут');
    expect(bus.frontMatter).toMatchObject({
      url: 'https://steppe-herald.example/news/2022/01/05/aktas-bus/',
      date: '2022-01-05T07:45:00Z',
      author: 'Айгерим Сапарова',
      lang: 'ru',
      tags: ['Общество', 'Транспорт'],
      summary: 'Маршрут №12 отменили без объяснений, и теперь до районного центра приходится добираться на попутках.',
      source: { feed: `${server.url}/feeds/rss2-ru-utf8.xml`, guid: 'steppe-herald-18231', fetched: '2024-06-01T00:00:00Z' },
    });
    expect(bus.frontMatter.id).toMatch(/^rss2-ru-utf8\/[0-9a-f]{16}$/);
    expect(bus.body).toBe(
      '<p>Маршрут №12 связывал посёлок Актас с районным центром больше двадцати лет. В декабре перевозчик объявил, что рейсов больше не будет.</p>\n' +
        '<p>«Мы ездим в больницу и на рынок, а теперь ждём попутку по два часа на морозе», — рассказывает пенсионерка Гульнар.</p>\n' +
        '<h2>Что говорят в акимате</h2>\n' +
        '<p>В районном акимате пообещали «рассмотреть обращение в установленный срок». Жители собрали <strong>412 подписей</strong>.</p>\n' +
        '<figure><a href="https://steppe-herald.example/uploads/2022/01/aktas-bus.jpg" rel="nofollow noopener noreferrer" class="remote-image">[Остановка в посёлке Актас]</a><figcaption>Пустая остановка в Актасе. Фото: редакция</figcaption></figure>\n' +
        '<p>Подробнее о проблемах сельского транспорта читайте в нашем <a href="https://steppe-herald.example/special/transport/" rel="nofollow noopener noreferrer">спецпроекте</a>.</p>\n',
    );
    expect(byTitle(files, 'Суд оставил в силе штраф для редактора газеты').frontMatter).toMatchObject({ date: '2022-01-04T12:02:00Z', author: 'Ерлан Жумабаев', tags: ['Суд', 'Свобода слова'] });
  });
});

describe('legacy charsets', () => {
  for (const [file, host] of [
    ['rss2-ru-windows1251.xml', 'north-pravda.example'],
    ['rss2-ru-koi8r.xml', 'north-pravda-koi.example'],
  ] as const) {
    it(`${file}: Cyrillic, «ёлочки», № and — exactly`, async () => {
      const files = await written(outletId(file));
      expect(files.map((f) => f.frontMatter.title)).toEqual(['Фермеры Костанайской области жалуются на цены на дизель', 'Очередь за сжиженным газом растянулась на километр']);
      const diesel = byTitle(files, 'Фермеры Костанайской области жалуются на цены на дизель');
      expect(diesel.frontMatter).toMatchObject({ url: `https://${host}/kostanay-diesel.html`, date: '2022-01-06T03:15:00Z', lang: 'ru' });
      expect(diesel.body).toBe('<p>Стоимость дизельного топлива за месяц выросла почти на треть. Фермеры опасаются, что весенний сев окажется под угрозой.</p><p>«Ёлки-палки, так мы до посевной не дотянем», — говорит фермер из Аулиекольского района.</p>\n');
      const gas = byTitle(files, 'Очередь за сжиженным газом растянулась на километр');
      expect(gas.body).toBe('<p>Водители провели у заправки всю ночь. Цена литра газа — 120 тенге, а неделю назад было 60.</p><p>Знак «№» и кавычки «ёлочки» должны пережить перекодировку.</p>\n');
      expect(gas.frontMatter.date).toBe('2022-01-06T02:05:00Z');
    });
  }
});

describe('Atom 1.0, Kazakh (atom-kk.xml)', () => {
  it('keeps html, xhtml and text content, reduces title markup to text, one article per entry', async () => {
    expect(outlet('atom-kk')).toMatchObject({ new: 3, failed: [] });
    const files = await written('atom-kk');
    expect(files.map((f) => f.path)).toEqual([
      'content/atom-kk/2022/01/auyl-mektebine-zhana-zhylu-qazandygy-ali-ornatylmady.md',
      'content/atom-kk/2022/01/internet-shekteuleri-vpn-qoldanushylary-kobeidi.md',
      'content/atom-kk/2022/01/zhanaozendegi-narazylyq-zhurt-ne-talap-etedi.md',
    ]);
    const vpn = byTitle(files, 'Интернет шектеулері: VPN қолданушылары көбейді');
    expect(vpn.frontMatter).toMatchObject({ date: '2022-01-03T06:00:00Z', updated: '2022-01-05T02:00:00Z', author: 'Бауыржан Әлімов', lang: 'kk' });
    expect(vpn.body).toBe('<p>Соңғы аптада VPN қосымшаларын жүктеу саны бірнеше есе артты.</p><p><em>Жаңартылды:</em> мақалаға 5 қаңтардағы деректер қосылды.</p>\n');
    const xhtml = byTitle(files, 'Жаңаөзендегі наразылық: жұрт не талап етеді?');
    expect(xhtml.body).toBe(
      '<p>Газ бағасының күрт өсуі наразылыққа себеп болды. Тұрғындардың негізгі талаптары:</p><ol><li>газ бағасын бұрынғы деңгейге қайтару;</li><li>жергілікті әкімдерді сайлау;</li><li>зейнет жасын төмендету.</li></ol><p>Өзгерістер туралы хабарламаларды осы бетте жаңартып отырамыз.</p>\n',
    );
    expect(xhtml.frontMatter).toMatchObject({ date: '2022-01-04T10:20:00Z', tags: ['қоғам'] });
    const school = byTitle(files, 'Ауыл мектебіне жаңа жылу қазандығы әлі орнатылмады');
    expect(school.frontMatter).toMatchObject({ summary: 'Оқушылар сабақта күртешемен отыр.', author: 'Әсем Нұрланқызы', date: '2022-01-06T03:00:00Z' });
    expect(school.body).toContain('<p>«Балалар сабақта күртешемен отыр», — дейді мұғалім Гүлжан Серікқызы.</p>');
  });
});

describe('JSON Feed 1.1 (jsonfeed-en.json)', () => {
  it('writes its one article', async () => {
    const [ferry, ...rest] = await written('jsonfeed-en');
    expect(rest).toEqual([]);
    expect(ferry?.path).toBe('content/jsonfeed-en/2022/01/ferry-service-resumes-after-storm.md');
    expect(ferry?.frontMatter).toMatchObject({ title: 'Ferry service resumes after storm', date: '2022-01-06T06:00:00Z', author: 'Open Caspian staff', lang: 'en', url: 'https://open-caspian.example/2022/01/ferry.html' });
    expect(ferry?.body).toBe('<p>The ferry between the two ports resumed on Thursday after a three-day pause caused by the storm.</p><p>Passengers waited in the terminal overnight.</p>\n');
  });
});

describe('RSS 1.0 summaries + full text (rdf-en-summary.xml, pages/*.html)', () => {
  it('extracts the article body only: no nav, ads, scripts or pixels', async () => {
    expect(outlet('caspian')).toMatchObject({ new: 2, failed: [] });
    const files = await written('caspian');
    expect(files.map((f) => f.path)).toEqual(['content/caspian/2022/01/city-council-postpones-vote-on-water-tariffs.md', 'content/caspian/2022/01/port-workers-stop-work-for-a-second-day.md']);
    const port = byTitle(files, 'Port workers stop work for a second day');
    expect(port.frontMatter).toMatchObject({ date: '2022-01-05T02:30:00Z', author: 'Open Caspian staff', lang: 'en', summary: 'Crane operators say wages have not kept up with fuel prices.' });
    expect(port.body).toContain("<p>Crane operators at the city's cargo port did not return to work on Wednesday, the second day of a stoppage that has left tankers waiting offshore.</p>");
    expect(port.body).toContain('<p>Internet access in the district was intermittent during the day, and several reporters were unable to file until the evening.</p>');
    expect(port.body).toContain(`<a href="${server.url}/img/2022/01/port-gates.jpg" rel="nofollow noopener noreferrer" class="remote-image">[Workers outside the port gates]</a>`);
    for (const bad of ['Most read', 'Advertisement', 'Subscribe', 'Privacy', '<script', 'tracker', 'pixel', 'example-ads', 'fonts.', '<img', '<nav']) expect(port.body).not.toContain(bad);
    const water = byTitle(files, 'City council postpones vote on water tariffs');
    expect(water.body).toContain('<p>The utility argues that the current tariff does not cover the cost of repairing pipes laid in the 1970s.</p>');
    expect(water.body).not.toContain('Home');
    expect(server.hits('/2022/01/water-tariffs.html')).toHaveLength(1);
  });
});

describe('hostile-xss.xml', () => {
  it('mirrors every item with nothing executable and nothing loaded from a third party', async () => {
    const files = await written('hostile-xss');
    expect(files.map((f) => f.frontMatter.title)).toEqual(['Dangerous links', 'Document-level tricks', 'Embeds and trackers', 'Escaped markup in a plain-text description', 'Script tags']);
    const all = files.map((f) => f.body).join('\n');
    for (const bad of ['<script', 'alert', 'onerror', 'onclick', 'onload', 'javascript:', 'JaVaScRiPt', 'data:', 'vbscript', '<iframe', '<object', '<embed', '<form', '<input', '<svg', '<math', '<style', '<link', '<meta', '<base', 'style=', 'srcset', '<img', 'example-ads', 'example-cdn', 'youtube', '<audio', '<video', '<noscript', '<template']) {
      expect(all, bad).not.toContain(bad);
    }
    expect(byTitle(files, 'Script tags').body).toBe('<p>Before</p><p>Click</p><a href="https://hostile.example/x" rel="nofollow noopener noreferrer" class="remote-image">[x]</a><p>After</p>\n');
    expect(byTitle(files, 'Dangerous links').body).toBe('<p><a>js</a> <a>mixed</a> <a>entity</a> <a>data</a> <a>vb</a> <a>space</a></p>\n');
    expect(byTitle(files, 'Embeds and trackers').body).toBe('<p>Text</p><p>Styled</p>\n');
    expect(byTitle(files, 'Document-level tricks').body).toBe('<p>Relative <a href="https://hostile.example/about/" rel="nofollow noopener noreferrer">link</a> must not be re-based to another origin.</p>\n');
    expect(byTitle(files, 'Escaped markup in a plain-text description').body).toBe('<p><b>bold is fine</b> <a>x</a></p>\n');
    // Titles are text: the markup in them is gone, not kept as a tag.
    expect(files.map((f) => f.frontMatter.title).join()).not.toContain('<');
  });
});

describe('hostile-fields.xml', () => {
  it('gives every item a safe, unique path inside content/ and handles bad dates visibly', async () => {
    expect(outlet('hostile-fields')).toMatchObject({ new: 11, failed: [] });
    const files = await written('hostile-fields');
    expect(files.map((f) => f.path)).toEqual([
      'content/hostile-fields/2022/01/con-dde4010a.md',
      'content/hostile-fields/2022/01/emoji-and-right-to-left-text-and-zero-width-space-and-nul-like-control.md',
      'content/hostile-fields/2022/01/etc-passwd.md',
      'content/hostile-fields/2022/01/non-web-scheme.md',
      'content/hostile-fields/2022/01/ochen-dlinnyi-zagolovok-ochen-dlinnyi-zagolovok-ochen-dlinnyi-zagolovok-ochen.md',
      'content/hostile-fields/2022/01/relative-link-and-no-guid.md',
      'content/hostile-fields/2022/01/same-guid-first-copy.md',
      'content/hostile-fields/2022/01/same-guid-second-copy.md',
      'content/hostile-fields/2024/06/an-item-with-an-empty-title-still-needs-a-page-and-a-readable-heading.md',
      'content/hostile-fields/2024/06/date-far-in-the-future.md',
      'content/hostile-fields/2024/06/unparseable-date.md',
    ]);
    // Nothing outside content/<outlet>/: the project holds only what it held plus these.
    expect((await readdir(join(root, 'content'))).sort()).toEqual(['_data', ...FIXTURES.slice(0, 7).map(outletId), 'caspian'].sort());
    expect(await readdir(join(root, 'content', '_data'))).toEqual(['outlets.yaml']);
    const future = byTitle(files, 'Date far in the future').frontMatter;
    expect([future.date, future.dateNote]).toEqual(['2024-06-01T00:00:00Z', 'future: Fri, 01 Jan 2100 00:00:00 +0000']);
    const words = byTitle(files, 'Unparseable date').frontMatter;
    expect([words.date, words.dateNote]).toEqual(['2024-06-01T00:00:00Z', 'unparseable: вчера вечером']);
    const untitled = byTitle(files, 'An item with an empty title still needs a page and a readable heading.').frontMatter;
    expect([untitled.date, untitled.dateNote, untitled.url]).toEqual(['2024-06-01T00:00:00Z', 'missing', 'https://fields.example/untitled']);
    expect(files.some((f) => f.frontMatter.date.startsWith('1970'))).toBe(false);
    expect(byTitle(files, 'Non-web scheme').frontMatter.url).toBe('');
    expect(byTitle(files, 'Non-web scheme').body).toBe('<p>Links to file: or other local schemes are never followed or rendered as links.</p>\n');
    expect(byTitle(files, 'CON').body).toBe('<p>Reserved device names and backslashes.</p>\n');
    expect(byTitle(files, '../../../../etc/passwd').frontMatter).toMatchObject({ url: 'https://fields.example/etc/passwd', source: { guid: '../../../content/_data/outlets' } });
    expect(byTitle(files, 'Relative link and no guid').frontMatter.url).toBe('https://fields.example/relative/path.html');
    const dups = [byTitle(files, 'Same guid, first copy'), byTitle(files, 'Same guid, second copy')];
    expect(new Set(dups.map((d) => d.frontMatter.id)).size).toBe(2);
    const long = files.find((f) => f.frontMatter.title.startsWith('Очень длинный'));
    expect(long?.frontMatter.title.length).toBeLessThanOrEqual(300);
    expect(long?.frontMatter.title.endsWith('…')).toBe(true);
    expect(byTitle(files, 'Emoji 🗞️ and right-to-left \u200ftext\u200f and zero-width\u200bspace and NUL-like control').frontMatter.id).toMatch(/^hostile-fields\//);
  });
});

describe('feeds that must fail cleanly', () => {
  it('billion-laughs.xml is refused without expanding anything; /etc/passwd appears nowhere', async () => {
    expect(outlet('billion-laughs')).toMatchObject({ new: 0, failed: [{ url: `${server.url}/feeds/billion-laughs.xml`, code: 'ERR_UNSAFE_XML' }] });
    const everything = await Promise.all((await readWritten(root)).map((f) => JSON.stringify(f)));
    expect(everything.join('\n')).not.toMatch(/root:x:0|lollollol/);
    const state = await readFile(join(root, '.newsmirror', 'ingest-state.json'), 'utf8');
    expect(state).not.toMatch(/root:x:0|lollollol/);
  });

  it('truncated.xml: a clear per-feed error naming the URL', () => {
    expect(outlet('truncated').failed).toEqual([
      { url: `${server.url}/feeds/truncated.xml`, code: 'ERR_BAD_FEED', reason: `${server.url}/feeds/truncated.xml: the XML ends before </rss> (truncated or cut off); kept the outlet's earlier articles, try again later` },
    ]);
  });

  it('not-a-feed.html: "not a feed", nothing mirrored', async () => {
    expect(outlet('not-a-feed')).toMatchObject({ new: 0, failed: [{ code: 'ERR_NOT_A_FEED' }] });
    expect(outlet('not-a-feed').failed[0]?.reason).toContain('not a feed');
    expect(await written('not-a-feed')).toEqual([]);
  });

  it('a second run changes nothing: every feed answers 304 and no file is rewritten', async () => {
    const before = await readWritten(root);
    const second = await ingest({ root, now: () => NOW });
    expect(second.outlets.map((o) => [o.outlet, o.new, o.updated])).toEqual(report.outlets.map((o) => [o.outlet, 0, 0]));
    expect(await readWritten(root)).toEqual(before);
    const last = server.hits('/feeds/rss2-ru-utf8.xml').at(-1);
    expect(last?.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    // Pages of already mirrored full-text articles are not fetched again.
    expect(server.hits('/2022/01/water-tariffs.html')).toHaveLength(1);
  });
});
