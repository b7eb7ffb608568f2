// A feed's item links are untrusted: fetching them for full text must never reach this machine or its network (SSRF).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../src/ingest/address.ts';
import { ingest, type IngestReport } from '../../src/ingest/index.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { makeProject, readWritten, removeProject } from './project.ts';

const NOW = new Date('2026-01-10T00:00:00Z');
const WORDS = 'The secret internal page that a hostile feed wants the mirror to fetch and publish. '.repeat(6);

let server: FeedServer;
let root: string;
let report: IngestReport;

const item = (guid: string, link: string) =>
  `<item><title>${guid}</title><link>${link}</link><guid>${guid}</guid><pubDate>Mon, 05 Jan 2026 10:00:00 +0000</pubDate><description>summary of ${guid}</description></item>`;

beforeAll(async () => {
  server = await startFeedServer({ mountFixtures: false });
  const port = new URL(server.url).port;
  server.serve('/internal.html', `<html><body><article><p>${WORDS}</p></article></body></html>`, { contentType: 'text/html; charset=utf-8' });
  const items = [
    item('same-host', `${server.url}/internal.html`),
    item('by-name', `http://localhost:${port}/internal.html`),
    item('literal-v6', `http://[::1]:${port}/internal.html`),
    item('other-loopback', `http://127.0.0.2:${port}/internal.html`),
  ].join('\n');
  server.serve('/feed.xml', `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title><link>${server.url}/</link>\n${items}</channel></rss>\n`, { contentType: 'application/rss+xml' });
  root = await makeProject([{ id: 'hostile', feeds: [`${server.url}/feed.xml`], fulltext: true, lang: 'en' }]);
  report = await ingest({ root, now: () => NOW });
}, 60_000);

afterAll(async () => {
  await server.close();
  await removeProject(root);
});

describe('full text from untrusted links', () => {
  it('fetches pages on the hosts outlets.yaml names, and refuses every other non-public address, keeping the summary', async () => {
    const port = new URL(server.url).port;
    expect(report.outlets[0]?.failed.map((f) => [f.url, f.code, f.reason])).toEqual([
      [`http://localhost:${port}/internal.html`, 'ERR_FULLTEXT', `full text: http://localhost:${port}/internal.html: a link from a feed may not reach this machine or its network: localhost resolves to 127.0.0.1, which is not a public address (kept the feed's summary; the page is retried on the next runs)`],
      [`http://[::1]:${port}/internal.html`, 'ERR_FULLTEXT', `full text: http://[::1]:${port}/internal.html: a link from a feed may not reach this machine or its network: ::1 is not a public address (kept the feed's summary; the page is retried on the next runs)`],
      [`http://127.0.0.2:${port}/internal.html`, 'ERR_FULLTEXT', `full text: http://127.0.0.2:${port}/internal.html: a link from a feed may not reach this machine or its network: 127.0.0.2 is not a public address (kept the feed's summary; the page is retried on the next runs)`],
    ]);
    const bodies = Object.fromEntries((await readWritten(root)).map((f) => [f.frontMatter.title, f.body]));
    expect(bodies['same-host']).toContain('The secret internal page');
    expect([bodies['by-name'], bodies['literal-v6'], bodies['other-loopback']]).toEqual(['<p>summary of by-name</p>\n', '<p>summary of literal-v6</p>\n', '<p>summary of other-loopback</p>\n']);
    expect(server.hits('/internal.html')).toHaveLength(1);
  });

  it('classifies addresses: loopback, private, link-local (cloud metadata), mapped and unique-local are not public', () => {
    const verdicts = ['8.8.8.8', '93.184.216.34', '2a00:1450:4001::1', '127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::ffff:10.0.0.1', 'fd00::1', 'fe80::1', 'not-an-ip'].map((a) => [a, isPublicAddress(a)]);
    expect(verdicts).toEqual([
      ['8.8.8.8', true], ['93.184.216.34', true], ['2a00:1450:4001::1', true], ['127.0.0.1', false], ['10.1.2.3', false], ['172.20.0.1', false], ['192.168.1.1', false],
      ['169.254.169.254', false], ['100.64.0.1', false], ['0.0.0.0', false], ['::1', false], ['::ffff:10.0.0.1', false], ['fd00::1', false], ['fe80::1', false], ['not-an-ip', false],
    ]);
  });
});
