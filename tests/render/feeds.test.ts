/** The mirror's own feeds as feed readers take them: RSS 2.0 links absolute against site.yaml's `url`, Atom links relative under xml:base. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderToJson } from '../../src/render/index.ts';
import { makeProject } from './fixtures.ts';

const tmp: string[] = [];

async function render(site: Record<string, unknown>): Promise<Map<string, string>> {
  const root = await mkdtemp(join(tmpdir(), 'newsmirror-feeds-'));
  tmp.push(root);
  await makeProject(root, { articles: 3, words: 40, site });
  const out = `${join(root, '_site')}/`;
  return new Map((await renderToJson(root)).map((p) => [String(p.outputPath).replace(out, ''), p.content]));
}

/** Where a feed reader that honours xml:base sends an Atom link, the feed fetched from `feedUrl`. */
function resolveAtom(xml: string, link: string, feedUrl: string): string {
  const base = /<feed [^>]*xml:base="([^"]*)"/.exec(xml)?.[1] ?? '';
  return new URL(link, new URL(base, feedUrl)).href;
}

let withUrl: Map<string, string>;
let withoutUrl: Map<string, string>;

beforeAll(async () => {
  [withUrl, withoutUrl] = await Promise.all([render({ url: 'https://news.example/kz/' }), render({})]);
}, 60_000);

afterAll(async () => {
  for (const dir of tmp) await rm(dir, { recursive: true, force: true });
});

describe('RSS feeds', () => {
  it('give absolute links when site.yaml has the main url (RSS 2.0 allows no relative <link>)', async () => {
    const parser = new Parser();
    const site = await parser.parseString(withUrl.get('rss.xml')!);
    expect(site.link).toBe('https://news.example/kz/index.html');
    expect(site.items.map((i) => i.link)).toEqual([
      'https://news.example/kz/kz-voice/2020/01/0000000000000002.html',
      'https://news.example/kz/alma-daily/2020/01/0000000000000001.html',
      'https://news.example/kz/steppe-herald/2020/01/0000000000000000.html',
    ]);
    const outlet = await parser.parseString(withUrl.get('alma-daily/rss.xml')!);
    expect(outlet.link).toBe('https://news.example/kz/alma-daily/index.html');
    expect(outlet.items.map((i) => i.link)).toEqual(['https://news.example/kz/alma-daily/2020/01/0000000000000001.html']);
  });

  it('keep relative links without a main url', async () => {
    const outlet = await new Parser().parseString(withoutUrl.get('alma-daily/rss.xml')!);
    expect(outlet.link).toBe('../alma-daily/index.html');
    expect(outlet.items[0]?.link).toBe('../alma-daily/2020/01/0000000000000001.html');
  });
});

describe('Atom feeds', () => {
  it('keep relative links, resolved by xml:base against the copy the feed came from, with or without a main url', async () => {
    for (const pages of [withUrl, withoutUrl]) {
      const xml = pages.get('alma-daily/atom.xml')!;
      const feed = await new Parser().parseString(xml);
      expect(feed.items.map((i) => i.link)).toEqual(['alma-daily/2020/01/0000000000000001.html']);
      expect(resolveAtom(xml, feed.items[0]!.link!, 'https://copy.example/ipfs/bafy/alma-daily/atom.xml')).toBe('https://copy.example/ipfs/bafy/alma-daily/2020/01/0000000000000001.html');
      const root = pages.get('atom.xml')!;
      expect(resolveAtom(root, 'kz-voice/2020/01/0000000000000002.html', 'http://mirror.example/atom.xml')).toBe('http://mirror.example/kz-voice/2020/01/0000000000000002.html');
      expect(root).toContain('<link rel="self" href="atom.xml"/><link rel="alternate" type="text/html" href="index.html"/>');
    }
  });
});

describe('site.yaml url', () => {
  it('refuses an address that is not http(s), naming the field', async () => {
    await expect(render({ url: 'ftp://news.example/' })).rejects.toMatchObject({ code: 'ERR_CONFIG', message: expect.stringContaining('url') });
  });
});
