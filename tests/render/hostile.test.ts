/** Hostile text in content files (hand-written or from an older ingest): the site's own feeds stay well-formed XML. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontMatter } from '../../src/core/article.ts';
import { renderToJson } from '../../src/render/index.ts';
import { makeProject, writeArticle } from './fixtures.ts';

/** Characters XML 1.0 forbids (its Char production), which no parser may be handed. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

const hostile: FrontMatter = {
  id: 'steppe-herald/00000000000000dd',
  outlet: 'steppe-herald',
  title: 'Title\u000b with \u0001controls\uffff </title><script>alert(1)</script> ]]> & "quotes"',
  url: 'https://steppe-herald.example/news/ctl',
  date: '2026-01-05T10:00:00Z',
  author: 'Author\u001b',
  lang: 'ru',
  tags: ['tag\u000c'],
  summary: 'Summary\u0000 text',
  source: { feed: 'https://steppe-herald.example/rss/', fetched: '2026-01-05T11:00:00Z' },
};

const staffNote: FrontMatter = {
  id: 'steppe-herald/00000000000000ee',
  outlet: 'steppe-herald',
  title: 'Staff note',
  url: '',
  date: '2026-01-04T10:00:00Z',
  author: '',
  lang: 'ru',
  tags: [],
  summary: '',
};

const markdownish: FrontMatter = {
  ...hostile,
  id: 'steppe-herald/00000000000000ff',
  title: 'Markdown-looking text',
  author: '',
  tags: [],
  summary: '',
};
/** An ingested body (sanitized HTML) whose text looks like Markdown after a blank line, as feeds often write it. */
const MARKDOWNISH = '<p>Para one\n\nsecond *starred* 2*3*4 __init__ `code` \\* [a](x)\n\n# not a heading\n\n1. not a list\n\n---</p>';

const takenByUrl: FrontMatter = { ...markdownish, id: 'steppe-herald/00000000000000ab', title: 'Source safety', url: 'https://steppe-herald.example/news/secret' };

let root: string;
let pages: Map<string, string>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsmirror-render-hostile-'));
  await makeProject(root, { articles: 0, site: { title: 'Mirror\u000b <b>&</b>' } });
  await writeArticle(root, hostile, '<p>Body\u000b text &#x0B; \ufffe end</p>');
  await writeArticle(root, markdownish, MARKDOWNISH);
  await writeArticle(root, takenByUrl, '<p>Name of the source.</p>');
  // Written by hand: the URL as a browser shows it (trailing slash, fragment), the id a placeholder.
  await writeFile(join(root, 'content', '_data', 'takedowns.yaml'), '- id: manual-1\n  url: https://steppe-herald.example/news/secret/#top\n  time: 2026-01-07T00:00:00Z\n  reason: source safety\n');
  await writeArticle(root, staffNote, '[About](/about.html), [feeds](/feeds.html#opml), <img src="/logo.png" alt="logo"> <a href="/\\evil.example/">x</a> [y](//evil.example/)');
  const site = `${join(root, '_site')}/`;
  pages = new Map((await renderToJson(root)).map((p) => [String(p.outputPath).replace(site, ''), p.content]));
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('feeds with hostile text', () => {
  it('drops characters XML forbids from Atom, RSS and OPML, keeping the text escaped (regression: a control character made the feeds unreadable)', async () => {
    for (const path of ['atom.xml', 'rss.xml', 'steppe-herald/atom.xml', 'steppe-herald/rss.xml', 'feeds.opml']) {
      const xml = pages.get(path) ?? '';
      expect(xml.length, path).toBeGreaterThan(100);
      expect(NOT_XML.exec(xml), path).toBe(null);
    }
    const parsed = await new Parser().parseString(pages.get('steppe-herald/rss.xml') ?? '');
    expect(parsed.items.map((i) => i.title)).toEqual(['Title with controls </title><script>alert(1)</script> ]]> & "quotes"', 'Markdown-looking text', 'Staff note']);
    const atom = pages.get('steppe-herald/atom.xml') ?? '';
    expect(atom).toContain('<title>Title with controls &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; &quot;quotes&quot;</title>');
    expect(atom).toContain('<author><name>Author</name></author><summary>Summary text</summary><content type="html">&lt;p&gt;Body text   end&lt;/p&gt;\n</content>');
    expect(pages.get('feeds.opml')).toContain('text="steppe herald — Mirror &lt;b&gt;&amp;&lt;/b&gt;"');
  });

  it('keeps them out of the HTML pages too', () => {
    const html = pages.get('steppe-herald/2026/01/00000000000000dd.html') ?? '';
    expect(html).toContain('<h1 dir="auto">Title with controls &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; &quot;quotes&quot;</h1>');
    expect(NOT_XML.exec(html)).toBe(null);
  });
});

describe('ingested bodies', () => {
  it('renders them as the HTML they are, never as Markdown (regression: "*starred*", "# " and "1. " after a blank line became <em>, <h2> and <ol>)', () => {
    const html = pages.get('steppe-herald/2026/01/00000000000000ff.html') ?? '';
    expect(html).toContain(`<div class="b" dir="auto">${MARKDOWNISH}\n</div><p class="m o">`);
  });
});

describe('staff-written bodies', () => {
  it('puts root-relative links onto the page\'s way back to the site root (regression: href="/about.html" broke under /ipfs/<cid>/ and file://)', () => {
    const html = pages.get('steppe-herald/2026/01/00000000000000ee.html') ?? '';
    expect(html).toContain('<p><a href="../../../about.html">About</a>, <a href="../../../feeds.html#opml">feeds</a>, <img src="../../../logo.png" alt="logo" /> <a>x</a> <a>y</a></p>');
    expect(html).not.toMatch(/(href|src)="\//);
  });
});

describe('takedowns by URL', () => {
  it('hide an article whose URL differs from the takedown only by a trailing slash or fragment (regression: render compared URLs exactly, ingest did not)', () => {
    expect(pages.size).toBeGreaterThan(10);
    for (const [path, html] of pages) {
      expect(path.includes('00000000000000ab'), path).toBe(false);
      expect(html.includes('Source safety'), path).toBe(false);
    }
  });
});
