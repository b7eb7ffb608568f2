/**
 * An archived photo in headless Chromium (JavaScript off): it loads from the site itself under
 * /ipfs/<cid>/ and from file://, with the page's CSP, at its declared size, lazily, inside a link
 * to the original; no request leaves the mirror.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/render/index.ts';
import { generatedFrontMatter, makeProject, prng, writeArticle } from './fixtures.ts';

const CID = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';
let root: string;
let server: Server;
let base: string;
let browser: Browser;
let file: string;
const PAGE = 'steppe-herald/2020/01/0000000000000001.html';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsmirror-photos-browser-'));
  await makeProject(root, { articles: 0 });
  const webp = await sharp({ create: { width: 80, height: 60, channels: 3, background: '#2a6' } }).webp().toBuffer();
  file = `${createHash('sha256').update(webp).digest('hex')}.webp`;
  await mkdir(join(root, 'content', '_media'), { recursive: true });
  await writeFile(join(root, 'content', '_media', file), webp);
  const fm = generatedFrontMatter(1, 'steppe-herald', 'ru', prng(1));
  await writeArticle(root, fm, `<p>Текст до фото.</p><figure><a href="https://steppe-herald.example/p.jpg" rel="nofollow noopener noreferrer" class="local-image"><img src="/_media/${file}" alt="Площадь" width="80" height="60" loading="lazy" /></a><figcaption>Подпись</figcaption></figure>`);
  await build({ root });
  const site = join(root, '_site');
  server = createServer((req, res) => {
    const prefix = `/ipfs/${CID}/`;
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    if (!path.startsWith(prefix)) return void res.writeHead(404).end();
    const rel = path.slice(prefix.length);
    readFile(join(site, rel)).then(
      (body) => res.writeHead(200, { 'content-type': extname(rel) === '.webp' ? 'image/webp' : 'text/html; charset=utf-8' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/ipfs/${CID}/`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe('archived photos in a browser', () => {
  for (const where of ['/ipfs/<cid>/', 'file://'] as const) {
    it(`loads from the site itself under ${where}, at its size, inside a link to the original`, async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const requests: string[] = [];
      context.on('request', (r) => requests.push(r.url()));
      const page = await context.newPage();
      const url = where === 'file://' ? pathToFileURL(join(root, '_site', PAGE)).href : `${base}${PAGE}`;
      await page.goto(url);
      const img = page.locator('a.local-image > img');
      await img.scrollIntoViewIfNeeded();
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(80);
      expect(await img.evaluate((el: HTMLImageElement) => [el.getAttribute('width'), el.getAttribute('height'), el.alt, el.loading, el.getAttribute('src')])).toEqual(['80', '60', 'Площадь', 'lazy', `../../../_media/${file}`]);
      expect(await page.locator('a.local-image').getAttribute('href')).toBe('https://steppe-herald.example/p.jpg');
      const origin = where === 'file://' ? 'file://' : base;
      expect(requests.filter((r) => !r.startsWith(origin))).toEqual([]);
      expect(requests.some((r) => r.endsWith(`/_media/${file}`))).toBe(true);
      await context.close();
    }, 30_000);
  }
});
