// Feeds that fix themselves: discovery from homepages, `outlets check [--fix]`, and ingest's daily rediscovery, against real servers on 127.0.0.1.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutlets, formatChecks, replacements } from '../../src/ingest/check.ts';
import { discoverFeeds, feedLinks } from '../../src/ingest/discover.ts';
import { DEFAULT_LIMITS } from '../../src/ingest/fetch.ts';
import { replaceFeeds } from '../../src/ingest/fix.ts';
import { ingest } from '../../src/ingest/index.ts';
import { loadState } from '../../src/ingest/state.ts';
import { unifiedDiff } from '../../src/core/diff.ts';
import { redirect, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { readWritten } from './project.ts';
import { cli } from '../run/cli.ts';
import { localFixture } from '../helpers/local-fixtures.ts';

const REPO = join(import.meta.dirname, '..', '..');
const HTML = { contentType: 'text/html; charset=utf-8' };
const RSS = { contentType: 'application/rss+xml; charset=utf-8' };

function rss(site: string, items: [slug: string, date: string][]): string {
  const body = items.map(([slug, date]) => `<item><title>${slug}</title><link>https://${site}.example/${slug}</link><guid>${site}-${slug}</guid><pubDate>${date}</pubDate><description>${slug} text</description></item>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${site}</title><link>https://${site}.example/</link>${body}</channel></rss>`;
}

/** One fake outlet site a server: its homepage and feeds at the paths a real site uses. */
let alternate: FeedServer; // homepage with <link rel="alternate">; the configured /rss/ answers the homepage
let usual: FeedServer; // no links, but /feed/; the configured /rss.php is 404
let moved: FeedServer; // the configured feed 301s to its new home
let guarded: FeedServer; // everything behind a DDoS-Guard challenge
let fine: FeedServer; // all ok
const limits = { ...DEFAULT_LIMITS, timeoutMs: 5000 };

beforeAll(async () => {
  const start = () => startFeedServer({ mountFixtures: false });
  [alternate, usual, moved, guarded, fine] = await Promise.all([start(), start(), start(), start(), start()]);
  alternate.serve('/', localFixture('pages/homepage-alternate.html'), HTML);
  alternate.serve('/rss/', localFixture('pages/homepage-alternate.html'), HTML);
  alternate.serve('/ru/feed/', rss('vlast', [['a', 'Sun, 20 Sep 2026 10:00:00 +0600'], ['b', 'Sat, 19 Sep 2026 10:00:00 +0600']]), RSS);
  alternate.fixture('/feed.json', 'feeds/jsonfeed-en.json');
  usual.serve('/', localFixture('pages/homepage-nofeed.html'), HTML);
  usual.serve('/feed/', rss('orda', [['c', 'Mon, 21 Sep 2026 08:00:00 GMT']]), RSS);
  moved.serve('/', localFixture('pages/homepage-nofeed.html'), HTML);
  moved.handle('/old/feed/', redirect('/new/feed/', 301));
  moved.serve('/new/feed/', rss('kursiv', [['d', 'Tue, 22 Sep 2026 08:00:00 GMT']]), RSS);
  const challenge = localFixture('pages/challenge-ddos-guard.html');
  for (const path of ['/', '/rss/', '/feed/']) guarded.handle(path, (_req, res) => void res.writeHead(403, { server: 'ddos-guard', 'content-type': 'text/html' }).end(challenge));
  fine.serve('/', localFixture('pages/homepage-nofeed.html'), HTML);
  fine.serve('/feed/', rss('factcheck', [['e', 'Wed, 23 Sep 2026 08:00:00 GMT']]), RSS);
});

afterAll(async () => {
  await Promise.all([alternate, usual, moved, guarded, fine].map((s) => s.close()));
});

describe('discovery', () => {
  it('feedLinks: alternate RSS/Atom/JSON Feed links in order, against <base href>, no javascript: and no non-feed alternates', () => {
    expect(feedLinks(localFixture('pages/homepage-alternate.html').toString(), 'https://vlast.example/')).toEqual([
      'https://vlast.example/ru/feed/',
      'https://vlast.example/comments/feed/',
      'https://vlast.example/feed.json',
    ]);
    expect(feedLinks('<link rel="Alternate Home" type="application/atom+xml; charset=utf-8" href="//cdn.example/a.atom"><link rel="alternate" type="text/html" href="/x">', 'https://s.example/p/')).toEqual(['https://cdn.example/a.atom']);
  });

  it('a homepage with alternate links: each is fetched and only real feeds are offered (a 404 comments feed is not)', async () => {
    const result = await discoverFeeds(`${alternate.url}/`, { limits, exclude: [`${alternate.url}/rss/`] });
    expect(result).toEqual({
      homepage: { url: `${alternate.url}/`, status: 'ok' },
      feeds: [
        { url: `${alternate.url}/ru/feed/`, status: 'ok', format: 'rss2', items: 2, newest: '2026-09-20T04:00:00Z' },
        { url: `${alternate.url}/feed.json`, status: 'ok', format: 'json', items: 1, newest: '2022-01-06T06:00:00Z' },
      ],
    });
    expect(alternate.hits('/comments/feed/')).toHaveLength(1);
  });

  it('a homepage with no links: the usual paths, stopping at the first feed (/feed/)', async () => {
    const result = await discoverFeeds(`${usual.url}/`, { limits });
    expect(result.feeds).toEqual([{ url: `${usual.url}/feed/`, status: 'ok', format: 'rss2', items: 1, newest: '2026-09-21T08:00:00Z' }]);
    expect(usual.hits('/rss')).toHaveLength(0);
  });

  it('a homepage behind a challenge page stops discovery: no path is tried', async () => {
    const result = await discoverFeeds(`${guarded.url}/`, { limits });
    expect(result.homepage).toMatchObject({ status: 'challenge', code: 'ERR_CHALLENGE' });
    expect(result.feeds).toEqual([]);
    expect(guarded.hits('/feed/')).toHaveLength(0);
  });
});

const YAML = (s: Record<string, string>) => `# The outlet registry (test copy). Comments and order must survive --fix.
- id: vlast
  name: Власть
  homepage: ${s.alternate}/
  lang: ru
  feeds: [${s.alternate}/rss/]   # the old path
  fulltext: false
  note: feed URL not confirmed
# WordPress sites
- id: orda
  name: Orda.kz
  homepage: ${s.usual}/
  lang: ru
  feeds:
    - ${s.usual}/rss.php
  note: feed URL not confirmed (WordPress-style /feed/)
- id: kursiv
  name: Kursiv
  homepage: ${s.moved}/
  lang: ru
  feeds: [${s.moved}/old/feed/]
- id: kaztag
  name: KazTAG
  homepage: ${s.guarded}/
  lang: ru
  feeds: [${s.guarded}/rss/]
  fulltext: true
  note: behind a DDoS-protection service
- id: factcheck
  name: Factcheck.kz
  homepage: ${s.fine}/
  lang: ru
  feeds: ["${s.fine}/feed/"]
`;

async function project(): Promise<{ root: string; file: string; sites: Record<string, string> }> {
  const root = await mkdtemp(join(tmpdir(), 'newsmirror-outlets-'));
  await mkdir(join(root, 'content', '_data'), { recursive: true });
  const sites = { alternate: alternate.url, usual: usual.url, moved: moved.url, guarded: guarded.url, fine: fine.url };
  const file = join(root, 'content', '_data', 'outlets.yaml');
  await writeFile(file, YAML(sites));
  return { root, file, sites };
}

describe('outlets check', () => {
  it('one line a feed and a homepage: not a feed → discovered, dead → /feed/, moved, challenge, ok', async () => {
    const { root, sites } = await project();
    try {
      const checks = await checkOutlets({ root, limits });
      const s = sites;
      expect(formatChecks(checks).split('\n')).toEqual([
        `vlast      feed ${s.alternate}/rss/: not a feed (${s.alternate}/rss/: not a feed (an HTML page; maybe a maintenance or block page); nothing mirrored, check the feed URL) → ${s.alternate}/ru/feed/ (rss2, 2 items, newest 2026-09-20T04:00:00Z)`,
        `vlast      homepage ${s.alternate}/: ok`,
        `orda       feed ${s.usual}/rss.php: dead (${s.usual}/rss.php: HTTP 404; the feed is gone; check its URL in outlets.yaml) → ${s.usual}/feed/ (rss2, 1 items, newest 2026-09-21T08:00:00Z)`,
        `orda       homepage ${s.usual}/: ok`,
        `kursiv     feed ${s.moved}/old/feed/: moved → ${s.moved}/new/feed/ (rss2, 1 items, newest 2026-09-22T08:00:00Z)`,
        `kursiv     homepage ${s.moved}/: ok`,
        `kaztag     feed ${s.guarded}/rss/: challenge page: ${s.guarded}/rss/: the outlet's site is behind a DDoS-protection challenge (DDoS-Guard, HTTP 403): it answers a browser check instead of the feed; nothing mirrored, earlier articles kept. Ask the outlet to exempt its feed, or mirror it from a network the service lets through`,
        `kaztag     homepage ${s.guarded}/: challenge page: ${s.guarded}/: the outlet's site is behind a DDoS-protection challenge (DDoS-Guard, HTTP 403): it answers a browser check instead of the feed; nothing mirrored, earlier articles kept. Ask the outlet to exempt its feed, or mirror it from a network the service lets through`,
        `factcheck  feed ${s.fine}/feed/: ok, rss2, 1 items, newest 2026-09-23T08:00:00Z`,
        `factcheck  homepage ${s.fine}/: ok`,
      ]);
      expect(replacements(checks)).toEqual([
        { outlet: 'vlast', from: `${s.alternate}/rss/`, to: `${s.alternate}/ru/feed/` },
        { outlet: 'orda', from: `${s.usual}/rss.php`, to: `${s.usual}/feed/` },
        { outlet: 'kursiv', from: `${s.moved}/old/feed/`, to: `${s.moved}/new/feed/` },
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('--fix on a commented outlets.yaml writes exactly the confirmed replacements, keeps comments and order, prints the diff, exits 3 (kaztag is still behind a challenge)', async () => {
    const { root, file, sites: s } = await project();
    try {
      const before = await readFile(file, 'utf8');
      const result = await cli(['outlets', 'check', '--fix', '--root', root], { CI: '1' }, REPO);
      const expected = before
        .replace(`feeds: [${s.alternate}/rss/]   # the old path`, `feeds: [${s.alternate}/ru/feed/] # the old path`)
        .replace(`    - ${s.usual}/rss.php`, `    - ${s.usual}/feed/`)
        .replace(`feeds: [${s.moved}/old/feed/]`, `feeds: [${s.moved}/new/feed/]`);
      expect(await readFile(file, 'utf8')).toBe(expected);
      expect(result.stdout).toContain(unifiedDiff(before, expected, 'content/_data/outlets.yaml'));
      expect(result.stdout).toContain(`kaztag     feed ${s.guarded}/rss/: challenge page:`);
      expect(result.code).toBe(3);
      // A second --fix finds nothing more to change.
      expect(replaceFeeds(expected, []).text).toBe(expected);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('--json: one document with each outlet\'s homepage and feeds, what was discovered and the replacement; exit 3, nothing written', async () => {
    const { root, file, sites: s } = await project();
    try {
      const before = await readFile(file, 'utf8');
      const result = await cli(['outlets', 'check', '--json', '--outlet', 'orda', '--outlet', 'factcheck', '--root', root], { CI: '1' }, REPO);
      expect(JSON.parse(result.stdout)).toEqual({
        outlets: [
          {
            outlet: 'orda',
            homepage: { url: `${s.usual}/`, status: 'ok' },
            feeds: [
              {
                url: `${s.usual}/rss.php`,
                status: 'dead',
                code: 'ERR_HTTP_STATUS',
                reason: `${s.usual}/rss.php: HTTP 404; the feed is gone; check its URL in outlets.yaml`,
                discovered: [{ url: `${s.usual}/feed/`, status: 'ok', format: 'rss2', items: 1, newest: '2026-09-21T08:00:00Z' }],
                replacement: `${s.usual}/feed/`,
              },
            ],
          },
          { outlet: 'factcheck', homepage: { url: `${s.fine}/`, status: 'ok' }, feeds: [{ url: `${s.fine}/feed/`, status: 'ok', format: 'rss2', items: 1, newest: '2026-09-23T08:00:00Z' }] },
        ],
      });
      expect(result.code).toBe(3);
      expect(await readFile(file, 'utf8')).toBe(before);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('ingest: a configured feed that answers with HTML', () => {
  it('is followed by one discovery a day; the feed found is used for that run and reported, outlets.yaml untouched', async () => {
    const { root, file } = await project();
    try {
      const before = await readFile(file, 'utf8');
      const first = await ingest({ root, outlets: ['vlast'] });
      expect(first.outlets[0]).toEqual({
        outlet: 'vlast',
        new: 2,
        updated: 0,
        unchanged: 0,
        skipped: 0,
        failed: [],
        discovered: [
          {
            feed: `${alternate.url}/rss/`,
            used: `${alternate.url}/ru/feed/`,
            reason: `${alternate.url}/rss/ answered with a page, not a feed; used ${alternate.url}/ru/feed/, found on ${alternate.url}/, for this run. To keep it, run \`newsmirror outlets check --fix\``,
          },
        ],
      });
      expect((await readWritten(root, 'vlast')).map((w) => w.frontMatter.url)).toEqual(['https://vlast.example/a', 'https://vlast.example/b']);
      const homepageHits = alternate.hits('/').length;
      // The next run the same day: no second homepage search, the feed found is used again (304 now).
      const second = await ingest({ root, outlets: ['vlast'] });
      expect(second.outlets[0]).toMatchObject({ new: 0, unchanged: 0, failed: [], discovered: [{ used: `${alternate.url}/ru/feed/` }] });
      expect(alternate.hits('/').length).toBe(homepageHits);
      const state = await loadState(root);
      expect(state.feeds[`${alternate.url}/rss/`]?.discovery).toEqual({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), found: `${alternate.url}/ru/feed/` });
      expect(state.feeds[`${alternate.url}/rss/`]?.lastError?.code).toBe('ERR_NOT_A_FEED');
      expect(await readFile(file, 'utf8')).toBe(before);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
