// Hostile feeds that once cost whole feeds or broke the site's own feeds, through a real HTTP server and ingest().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, IngestError, type IngestReport, type OutletReport } from '../../src/ingest/index.ts';
import { parseFeed } from '../../src/ingest/parse/index.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { makeProject, readWritten, removeProject } from './project.ts';
import { takedownUrlKey } from '../../src/core/takedowns.ts';
import { authorName } from '../../src/ingest/parse/rss.ts';

const NOW = new Date('2026-01-10T00:00:00Z');
const DEEP_HTML = `${'<div>'.repeat(10_000)}deep text${'</div>'.repeat(10_000)}`;
const DEEP_XML = `${'<x>'.repeat(10_000)}deep xml${'</x>'.repeat(10_000)}`;
/** Every character XML 1.0 forbids that a JSON string or a character reference can carry, among text that must stay. */
const FORBIDDEN = 'A\u0000B\u000bC\u0001D\ufffeE\uffffF\u001bG';

const rss = (items: string) =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Deep</title><link>https://deep.example/</link>\n${items}</channel></rss>\n`;

const deepRss = rss(
  [
    `<item><title>Deep HTML</title><link>https://deep.example/1</link><guid>d1</guid><pubDate>Mon, 05 Jan 2026 10:00:00 +0000</pubDate><content:encoded><![CDATA[${DEEP_HTML}]]></content:encoded></item>`,
    `<item><title>Deep XML</title><link>https://deep.example/2</link><guid>d2</guid><pubDate>Mon, 05 Jan 2026 10:00:00 +0000</pubDate><description>${DEEP_XML}</description></item>`,
    `<item><title>Plain</title><link>https://deep.example/3</link><guid>d3</guid><pubDate>Mon, 05 Jan 2026 10:00:00 +0000</pubDate><description>plain text</description></item>`,
  ].join('\n'),
);

const deepAtom = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Deep</title>
<entry><id>urn:deep:1</id><title>Too deep</title><link href="https://deep-atom.example/1"/><updated>2026-01-05T10:00:00Z</updated><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${'<b>'.repeat(10_000)}x${'</b>'.repeat(10_000)}</div></content></entry>
<entry><id>urn:deep:2</id><title>Fine</title><link href="https://deep-atom.example/2"/><updated>2026-01-05T10:00:00Z</updated><content type="html">&lt;p&gt;fine&lt;/p&gt;</content></entry>
</feed>\n`;

const forbiddenJson = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'ctl',
  items: [{ id: 'c1', url: 'https://ctl.example/1', title: `T ${FORBIDDEN}`, content_html: `<p>body ${FORBIDDEN} &#x0B;&#x1b;.</p>`, date_published: '2025-03-03T00:00:00Z' }],
});

let server: FeedServer;
let root: string;
let report: IngestReport;
const outlet = (id: string) => report.outlets.find((o) => o.outlet === id) as OutletReport;

beforeAll(async () => {
  server = await startFeedServer({ mountFixtures: false });
  server.serve('/deep.xml', deepRss, { contentType: 'application/rss+xml' });
  server.serve('/deep-atom.xml', deepAtom, { contentType: 'application/atom+xml' });
  server.serve('/forbidden.json', forbiddenJson, { contentType: 'application/feed+json' });
  const words = 'Depth is not an article, and a page this deep is not one either, whatever it says. '.repeat(4);
  server.serve('/deep-page.html', `<html><body>${'<div>'.repeat(2_000)}<p>${words}</p>${'</div>'.repeat(2_000)}</body></html>`, { contentType: 'text/html; charset=utf-8' });
  server.serve('/deep-page.xml', rss(`<item><title>Deep page</title><link>${server.url}/deep-page.html</link><guid>p1</guid><pubDate>Mon, 05 Jan 2026 10:00:00 +0000</pubDate><description>the summary</description></item>`), { contentType: 'application/rss+xml' });
  root = await makeProject([
    { id: 'deep-page', feeds: [`${server.url}/deep-page.xml`], lang: 'en', fulltext: true },
    { id: 'deep', feeds: [`${server.url}/deep.xml`], lang: 'en' },
    { id: 'deep-atom', feeds: [`${server.url}/deep-atom.xml`], lang: 'en' },
    { id: 'forbidden', feeds: [`${server.url}/forbidden.json`], lang: 'en' },
  ]);
  report = await ingest({ root, now: () => NOW });
}, 60_000);

afterAll(async () => {
  await server.close();
  await removeProject(root);
});

describe('hostile feeds', () => {
  it('keeps every item of a feed with markup nested 10,000 levels deep (regression: a stack overflow dropped the whole feed)', async () => {
    expect(outlet('deep')).toEqual({ outlet: 'deep', new: 3, updated: 0, unchanged: 0, skipped: 0, failed: [] });
    const files = await readWritten(root, 'deep');
    expect(files.map((f) => [f.path, f.frontMatter.summary])).toEqual([
      ['content/deep/2026/01/deep-html.md', 'deep text'],
      ['content/deep/2026/01/deep-xml.md', 'deep xml'],
      ['content/deep/2026/01/plain.md', 'plain text'],
    ]);
    expect(files[0]?.body).toBe(`${'<div>'.repeat(10_000)}deep text${'</div>'.repeat(10_000)}\n`);
  });

  it('reports an item it cannot read as ERR_BAD_ITEM and keeps the rest of its feed (regression: one item failed the feed)', async () => {
    expect(outlet('deep-atom')).toEqual({
      outlet: 'deep-atom',
      new: 1,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      failed: [{ url: 'https://deep-atom.example/1', code: 'ERR_BAD_ITEM', reason: `${server.url}/deep-atom.xml: item 1 could not be read (markup nested too deeply); skipped` }],
    });
    expect((await readWritten(root, 'deep-atom')).map((f) => f.frontMatter.title)).toEqual(['Fine']);
  });

  it('drops the characters XML 1.0 forbids from titles and bodies, keeping the text around them (regression: they broke atom.xml and rss.xml)', async () => {
    expect(outlet('forbidden').failed).toEqual([]);
    const [file] = await readWritten(root, 'forbidden');
    expect(file?.frontMatter.title).toBe('T ABCDEFG');
    expect(file?.body).toBe('<p>body ABCDEFG .</p>\n');
  });

  it('refuses a 4 MB body full of "</rss><!--" as truncated without a quadratic scan (regression: over an hour of CPU at 16 MB)', { timeout: 20_000 }, () => {
    const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</title><description><![CDATA[${'</rss><!--'.repeat(400_000)}]]></description></item></channel></rss><!-- cut`;
    let error: unknown;
    try {
      parseFeed(body, 'https://redos.example/rss');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).code).toBe('ERR_BAD_FEED');
    expect((error as IngestError).message).toBe("https://redos.example/rss: the XML ends before </rss> (truncated or cut off); kept the outlet's earlier articles, try again later");
  });

  it('reads a 400 KB author and a link with 400,000 slashes in linear time (regression: two quadratic regexes, minutes of CPU per item)', { timeout: 20_000 }, () => {
    const author = 'a@'.repeat(200_000);
    expect(authorName(author)).toBe(author);
    expect(authorName('jane@example.org (Jane Doe)')).toBe('Jane Doe');
    expect(takedownUrlKey(`https://slash.example/a${'/'.repeat(400_000)}b`)).toBe(`https://slash.example/a${'/'.repeat(400_000)}b`);
    expect(takedownUrlKey('https://slash.example/a///#top')).toBe('https://slash.example/a');
    expect(takedownUrlKey('https://slash.example/')).toBe('https://slash.example/');
  });

  it('keeps the summary of an article whose page nests 2,000 levels deep, without handing it to Readability (regression: 150 s of CPU for a 22 KB page)', async () => {
    expect(outlet('deep-page')).toEqual({
      outlet: 'deep-page',
      new: 1,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      failed: [{
        url: `${server.url}/deep-page.html`,
        code: 'ERR_FULLTEXT',
        reason: `full text: ${server.url}/deep-page.html: the page nests markup more than 256 levels deep (no real article does); not extracted (kept the feed's summary; the page is retried on the next runs)`,
      }],
    });
    expect((await readWritten(root, 'deep-page')).map((f) => f.body)).toEqual(['<p>the summary</p>\n']);
  });
});
