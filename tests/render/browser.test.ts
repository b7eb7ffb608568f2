/**
 * The built site in headless Chromium with JavaScript off: text is visible, no
 * request leaves 127.0.0.1, and a crawler following every link resolves them all
 * under /ipfs/<cid>/ on a local gateway-like server and from file://.
 */
import { createServer, type Server } from 'node:http';
import { access, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontMatter } from '../../src/core/article.ts';
import { build } from '../../src/render/index.ts';
import { BESIDE_THE_BUILD, makeProject, writeArticle } from './fixtures.ts';

const CID = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.xml': 'application/xml', '.json': 'application/json', '.opml': 'text/x-opml' };

let root: string;
let site: string;
let server: Server;
let base: string;
let browser: Browser;
let context: BrowserContext;

const hostile: FrontMatter = {
  id: 'alma-daily/00000000000000ee',
  outlet: 'alma-daily',
  title: 'Статья с чужими ресурсами',
  url: 'https://alma-daily.example/news/hostile',
  date: '2026-01-05T10:00:00Z',
  author: 'Корреспондент',
  lang: 'ru',
  tags: ['тест'],
  summary: 'Проверка',
  source: { feed: 'https://alma-daily.example/rss/', fetched: '2026-01-05T11:00:00Z' },
};
const HOSTILE_BODY = [
  '<p>Видимый текст статьи остаётся на месте.</p>',
  '<img src="https://tracker.example/pixel.gif" alt="фото">',
  '<link rel="stylesheet" href="https://fonts.example/font.css"><style>@import url(https://fonts.example/x.css);</style>',
  '<iframe src="https://video.example/embed"></iframe><script src="https://cdn.example/a.js"></script>',
  '<p style="background:url(https://tracker.example/bg.png)">Второй абзац.</p>',
].join('\n');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsmirror-browser-'));
  await makeProject(root, { articles: 23, site: { pageSize: 5 }, mirrors: { 'cdn.yaml': 'name: cdn\ntype: dir\nurl: https://cdn.mirror.example/\npath: /srv/www\n' } });
  await writeArticle(root, hostile, HOSTILE_BODY);
  await build({ root });
  site = join(root, '_site');
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const prefix = `/ipfs/${CID}/`;
    if (!path.startsWith(prefix) || path.includes('..')) {
      res.writeHead(404).end('not found');
      return;
    }
    const rel = path.slice(prefix.length) || 'index.html';
    readFile(join(site, rel)).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/ipfs/${CID}/`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  context = await browser.newContext({ javaScriptEnabled: false });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(root, { recursive: true, force: true });
});

/** Every page a reader can reach by links: all but 404.html, which servers show for a missing address. */
async function htmlFiles(): Promise<string[]> {
  return (await readdir(site, { recursive: true })).filter((f) => f.endsWith('.html') && f !== '404.html').sort();
}

/** Follow every link inside `start`'s site; returns the HTML pages visited (relative to the site) and the broken links. */
async function crawl(start: string, resolveOk: (url: string) => Promise<boolean>): Promise<{ visited: string[]; broken: string[] }> {
  const prefix = start.slice(0, start.lastIndexOf('/') + 1);
  const page = await context.newPage();
  const seen = new Set<string>([start]);
  const queue = [start];
  const visited: string[] = [];
  const broken: string[] = [];
  try {
    while (queue.length) {
      const url = queue.shift()!;
      if (!url.endsWith('.html')) {
        if (!(await resolveOk(url))) broken.push(url);
        continue;
      }
      const response = await page.goto(url).catch(() => null);
      if (!response || (url.startsWith('http') && response.status() !== 200)) {
        broken.push(url);
        continue;
      }
      visited.push(url.slice(prefix.length));
      for (const href of await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href))) {
        const clean = href.split('#')[0]!;
        if (!clean.startsWith(prefix) || seen.has(clean) || BESIDE_THE_BUILD.has(clean.slice(prefix.length))) continue;
        seen.add(clean);
        queue.push(clean);
      }
    }
  } finally {
    await page.close();
  }
  return { visited: visited.sort(), broken };
}

describe('in Chromium with JavaScript off', () => {
  it('shows the article text and turns remote resources into links', async () => {
    const page = await context.newPage();
    await page.goto(`${base}alma-daily/2026/01/00000000000000ee.html`);
    const text = await page.locator('article').innerText();
    expect(text).toContain('Видимый текст статьи остаётся на месте.');
    expect(text).toContain('Второй абзац.');
    expect(await page.locator('h1').innerText()).toBe('Статья с чужими ресурсами');
    expect(await page.locator('article a.remote-image').getAttribute('href')).toBe('https://tracker.example/pixel.gif');
    await page.close();
  });

  it('makes no request leaving 127.0.0.1 on home, outlet, archive and article pages', async () => {
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const paths = ['index.html', 'page-2.html', 'alma-daily/index.html', 'archive/index.html', 'archive/2020-01.html', 'alma-daily/2026/01/00000000000000ee.html', 'steppe-herald/2020/01/0000000000000000.html', 'mirrors.html', 'about.html', 'verify.html'];
    for (const path of paths) await page.goto(`${base}${path}`);
    await page.close();
    expect(requests).toEqual(paths.map((p) => `${base}${p}`));
  });

  it('resolves every link when served under /ipfs/<cid>/', async () => {
    const { visited, broken } = await crawl(`${base}index.html`, async (url) => (await context.request.get(url)).status() === 200);
    expect(broken).toEqual([]);
    expect(visited).toEqual(await htmlFiles());
  });

  it('resolves every link when opened from file://', async () => {
    const start = pathToFileURL(join(site, 'index.html')).href;
    const { visited, broken } = await crawl(start, async (url) => access(fileURLToPath(url)).then(() => true, () => false));
    expect(broken).toEqual([]);
    expect(visited).toEqual(await htmlFiles());
  });
});
