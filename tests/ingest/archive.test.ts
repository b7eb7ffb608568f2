// The archive over several runs: nothing lost, edits are updates of the same file, takedowns skipped, outlets isolated.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/index.ts';
import { FIXTURES, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { makeProject, readWritten, removeProject } from './project.ts';

let server: FeedServer;
const roots: string[] = [];

interface Item {
  guid: string;
  title: string;
  body: string;
}
function rss(items: Item[]): string {
  const xml = items.map((i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><link>https://arch.example/${i.guid}</link><pubDate>Mon, 03 Jan 2022 10:00:00 +0000</pubDate><description><![CDATA[${i.body}]]></description></item>`);
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Arch</title><link>https://arch.example/</link>${xml.join('')}</channel></rss>`;
}
const ITEMS: Item[] = [
  { guid: 'a1', title: 'Әкімдік жауап берді', body: '<p>Бірінші</p>' },
  { guid: 'a2', title: 'Второй материал', body: '<p>Второй</p>' },
  { guid: 'a3', title: 'Third story', body: '<p>Third</p>' },
  { guid: 'a4', title: 'Fourth story', body: '<p>Fourth</p>' },
];

async function project(id: string, path: string): Promise<string> {
  const root = await makeProject([{ id, feeds: [`${server.url}${path}`] }]);
  roots.push(root);
  return root;
}
const run = (root: string, time: string) => ingest({ root, now: () => new Date(time) });

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
  await Promise.all(roots.map(removeProject));
});

describe('nothing lost', () => {
  it('a feed that drops half its items keeps the archive whole', async () => {
    server.serve('/drop.xml', rss(ITEMS));
    const root = await project('drop', '/drop.xml');
    expect((await run(root, '2024-06-01T00:00:00Z')).outlets[0]).toMatchObject({ new: 4 });
    const before = await readWritten(root);
    server.serve('/drop.xml', rss(ITEMS.slice(2)));
    expect((await run(root, '2024-06-02T00:00:00Z')).outlets[0]).toEqual({ outlet: 'drop', new: 0, updated: 0, unchanged: 2, skipped: 0, failed: [] });
    expect(await readWritten(root)).toEqual(before);
    expect(before.map((f) => f.path)).toEqual(['content/drop/2022/01/akimdik-zhauap-berdi.md', 'content/drop/2022/01/fourth-story.md', 'content/drop/2022/01/third-story.md', 'content/drop/2022/01/vtoroi-material.md']);
  });

  it('a feed that vanishes, turns into garbage or a block page never deletes articles', async () => {
    server.serve('/vanish.xml', rss(ITEMS.slice(0, 2)));
    const root = await project('vanish', '/vanish.xml');
    await run(root, '2024-06-01T00:00:00Z');
    const before = await readWritten(root);
    expect(before).toHaveLength(2);
    const answers: [() => void, string][] = [
      [() => server.handle('/vanish.xml', (_q, r) => void r.writeHead(410).end()), 'ERR_HTTP_STATUS'],
      [() => server.fixture('/vanish.xml', 'feeds/truncated.xml'), 'ERR_BAD_FEED'],
      [() => server.fixture('/vanish.xml', 'feeds/not-a-feed.html'), 'ERR_NOT_A_FEED'],
      // A 200 with a few bytes is too short to be a feed: a failure, never "nothing new".
      [() => server.serve('/vanish.xml', Buffer.from([0x00, 0xff, 0x13, 0x37])), 'ERR_BAD_FEED'],
      [() => server.serve('/vanish.xml', 'x'.repeat(60)), 'ERR_NOT_A_FEED'],
    ];
    for (const [serve, code] of answers) {
      serve();
      const report = await run(root, '2024-06-02T00:00:00Z');
      expect(report.outlets[0]?.failed.map((f) => f.code)).toEqual([code]);
      expect(await readWritten(root)).toEqual(before);
    }
  });
});

describe('updates', () => {
  it('the same item with an edited body is one file, rewritten in place with `updated` set', async () => {
    server.serve('/edit.xml', rss(ITEMS.slice(0, 2)));
    const root = await project('edit', '/edit.xml');
    await run(root, '2024-06-01T00:00:00Z');
    const [first] = await readWritten(root);
    expect(first?.frontMatter.updated).toBeUndefined();
    server.serve('/edit.xml', rss([{ ...ITEMS[0]!, body: '<p>Бірінші, түзетілген</p>' }, ITEMS[1]!]));
    expect((await run(root, '2024-06-02T00:00:00Z')).outlets[0]).toMatchObject({ new: 0, updated: 1, unchanged: 1 });
    const after = await readWritten(root);
    expect(after).toHaveLength(2);
    const edited = after.find((f) => f.frontMatter.id === first?.frontMatter.id);
    expect(edited?.path).toBe(first?.path);
    expect(edited?.body).toBe('<p>Бірінші, түзетілген</p>\n');
    expect(edited?.frontMatter).toMatchObject({ date: '2022-01-03T10:00:00Z', updated: '2024-06-02T00:00:00Z' });
    // A retitled item keeps its path too (the slug of a known id never changes).
    server.serve('/edit.xml', rss([{ ...ITEMS[0]!, title: 'Жаңа тақырып', body: '<p>Бірінші, түзетілген</p>' }, ITEMS[1]!]));
    await run(root, '2024-06-03T00:00:00Z');
    const retitled = (await readWritten(root)).find((f) => f.frontMatter.id === first?.frontMatter.id);
    expect([retitled?.path, retitled?.frontMatter.title, retitled?.frontMatter.updated]).toEqual([first?.path, 'Жаңа тақырып', '2024-06-03T00:00:00Z']);
  });

  it('keeps a correction note staff added to the file', async () => {
    server.serve('/staff.xml', rss(ITEMS.slice(0, 1)));
    const root = await project('staff', '/staff.xml');
    await run(root, '2024-06-01T00:00:00Z');
    const [file] = await readWritten(root);
    const path = join(root, file?.path ?? '');
    await writeFile(path, (await readFile(path, 'utf8')).replace('lang: "ru"', 'lang: "ru"\ncorrection: "Исправлено имя"'));
    server.serve('/staff.xml', rss([{ ...ITEMS[0]!, body: '<p>Новый текст</p>' }]));
    await run(root, '2024-06-02T00:00:00Z');
    const [after] = await readWritten(root);
    expect([after?.frontMatter.correction, after?.body]).toEqual(['Исправлено имя', '<p>Новый текст</p>\n']);
  });

  it('duplicate guids in one feed give distinct files that stay put when the feed is reordered', async () => {
    const dups: Item[] = [
      { guid: 'same', title: 'Copy A', body: '<p>A</p>' },
      { guid: 'same', title: 'Copy B', body: '<p>B</p>' },
    ];
    server.serve('/dups.xml', rss(dups).replace('<link>https://arch.example/same</link>', '<link>https://arch.example/a</link>'));
    const root = await project('dups', '/dups.xml');
    await run(root, '2024-06-01T00:00:00Z');
    const before = await readWritten(root);
    expect(before.map((f) => f.path)).toEqual(['content/dups/2022/01/copy-a.md', 'content/dups/2022/01/copy-b.md']);
    server.serve('/dups.xml', rss([dups[1]!, dups[0]!]).replace('<link>https://arch.example/same</link><pubDate>Mon, 03 Jan 2022 10:00:00 +0000</pubDate><description><![CDATA[<p>A', '<link>https://arch.example/a</link><pubDate>Mon, 03 Jan 2022 10:00:00 +0000</pubDate><description><![CDATA[<p>A'));
    expect((await run(root, '2024-06-02T00:00:00Z')).outlets[0]).toMatchObject({ new: 0, updated: 0, unchanged: 2 });
    expect(await readWritten(root)).toEqual(before);
  });
});

describe('full text', () => {
  it('a failing article page keeps the summary, does not fail the outlet, and is retried on the next run', async () => {
    const xml = (await readFile(join(FIXTURES, 'feeds/rdf-en-summary.xml'), 'utf8')).split('https://open-caspian.example').join(server.url);
    // No validators: the feed answers 200 every time, as many real feeds do.
    server.serve('/ft.rdf', xml, { etag: false, lastModified: '' });
    server.fixture('/2022/01/water-tariffs.html', 'pages/water-tariffs.html');
    server.handle('/2022/01/port-workers-strike.html', (_q, r) => void r.writeHead(500).end());
    const root = await makeProject([{ id: 'ft', feeds: [`${server.url}/ft.rdf`], fulltext: true, lang: 'en' }]);
    roots.push(root);
    const first = await run(root, '2024-06-01T00:00:00Z');
    expect(first.outlets[0]).toMatchObject({ new: 2, updated: 0 });
    expect(first.outlets[0]?.failed).toEqual([
      {
        url: `${server.url}/2022/01/port-workers-strike.html`,
        code: 'ERR_FULLTEXT',
        reason: `full text: ${server.url}/2022/01/port-workers-strike.html: HTTP 500; try again later (kept the feed's summary; the page is retried on the next runs)`,
      },
    ]);
    const port = () => readWritten(root).then((files) => files.find((f) => f.frontMatter.title === 'Port workers stop work for a second day'));
    expect((await port())?.body).toBe('<p>Crane operators say wages have not kept up with fuel prices.</p>\n');
    server.fixture('/2022/01/port-workers-strike.html', 'pages/port-workers-strike.html');
    const second = await run(root, '2024-06-02T00:00:00Z');
    expect(second.outlets[0]).toMatchObject({ new: 0, updated: 1, unchanged: 1, failed: [] });
    const after = await port();
    expect(after?.body).toContain('<p>Internet access in the district was intermittent during the day');
    expect(after?.frontMatter.updated).toBe('2024-06-02T00:00:00Z');
    // Mirrored pages are not fetched again.
    await run(root, '2024-06-03T00:00:00Z');
    expect(server.hits('/2022/01/port-workers-strike.html')).toHaveLength(2);
    expect(server.hits('/2022/01/water-tariffs.html')).toHaveLength(1);
  });
});

describe('takedowns and isolation', () => {
  it('items listed in takedowns.yaml (by id or url) are never written', async () => {
    server.serve('/td.xml', rss(ITEMS.slice(0, 3)));
    const root = await project('td', '/td.xml');
    await run(root, '2024-06-01T00:00:00Z');
    const [victim, ...others] = await readWritten(root);
    const { rm } = await import('node:fs/promises');
    await rm(join(root, victim?.path ?? ''));
    await writeFile(
      join(root, 'content', '_data', 'takedowns.yaml'),
      `- id: ${victim?.frontMatter.id}\n  time: 2024-06-01T10:00:00Z\n  reason: source safety\n- id: by-url\n  url: https://arch.example/a3/#top\n  time: 2024-06-01T10:00:00Z\n  reason: legal\n`,
    );
    server.serve('/td.xml', rss(ITEMS));
    const report = await run(root, '2024-06-02T00:00:00Z');
    expect(report.outlets[0]).toMatchObject({ new: 1, unchanged: 1, skipped: 2 });
    expect((await readWritten(root)).map((f) => f.path)).toEqual(['content/td/2022/01/fourth-story.md', ...others.map((f) => f.path)]);
  });

  it('one outlet failing does not stop the others, and --outlet picks outlets; onNews is told of each outlet that brought news, and only of those', async () => {
    const root = await makeProject([
      { id: 'good', feeds: [`${server.url}/feeds/jsonfeed-en.json`] },
      { id: 'bad', feeds: [`${server.url}/feeds/truncated.xml`, `${server.url}/feeds/atom-kk.xml`] },
    ]);
    roots.push(root);
    const news: number[] = [];
    const report = await ingest({ root, concurrency: 2, onNews: () => news.push(1) });
    expect(report.outlets.map((o) => [o.outlet, o.new, o.failed.map((f) => f.code)])).toEqual([
      ['good', 1, []],
      ['bad', 3, ['ERR_BAD_FEED']],
    ]);
    expect(news).toEqual([1, 1]);
    const only = await ingest({ root, outlets: ['good'], onNews: () => news.push(2) });
    expect(only.outlets.map((o) => [o.outlet, o.new, o.updated])).toEqual([['good', 0, 0]]);
    expect(news).toEqual([1, 1]);
    await expect(ingest({ root, outlets: ['nope'] })).rejects.toThrow('no outlet "nope" in content/_data/outlets.yaml; known: good, bad');
  });

  it('an aborted run stops with the abort reason', async () => {
    server.handle('/hang.xml', () => {});
    const root = await project('hang', '/hang.xml');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop now')), 100);
    await expect(ingest({ root, signal: controller.signal })).rejects.toThrow('stop now');
  });
});
