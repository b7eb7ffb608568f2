/**
 * Search and verify pages in headless Chromium, on a built and sealed site served by
 * `serve`: Russian stemming, a Kazakh word, the outlet filter, at the root, under
 * /ipfs/<cid>/ (serve's path gateway) and under a subpath (a forwarding server);
 * no request leaves the origin; without JavaScript and from file:// the page says so
 * and its title index works; only search.html may run a script; axe-core finds
 * nothing on either page, light or dark; the commands fit 375 px. Screenshots go
 * to /tmp/shots-h11b/.
 */
import { createServer, type Server } from 'node:http';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/render/index.ts';
import { seal } from '../../src/seal/index.ts';
import { startServer, type RunningServer } from '../../src/serve/index.ts';
import { KNOWN, LEAD, searchProject, type SearchProject } from './project.ts';

const SHOTS = '/tmp/shots-h11b';
const SUBPATH = '/mirror/news/';
const AXE = join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

let p: SearchProject;
let site: string;
let cid: string;
let server: RunningServer;
let proxy: Server;
let proxyBase: string;
let browser: Browser;

beforeAll(async () => {
  // Only the newest month (2026-02) in full: 2026-01 and 2020 are indexed by title and lead.
  p = await searchProject({ fullTextSearch: 'month' });
  await build({ root: p.root });
  cid = (await seal({ root: p.root, key: p.key })).cid;
  site = join(p.root, '_site');
  server = await startServer({ source: site, port: 0 });
  // A site under a subpath: forwards SUBPATH… to serve, headers and all.
  proxy = createServer((req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith(SUBPATH)) {
      res.writeHead(404).end('not here');
      return;
    }
    fetch(new URL(url.slice(SUBPATH.length), server.url)).then(async (r) => {
      const headers: Record<string, string> = {};
      r.headers.forEach((v, k) => {
        if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(k)) headers[k] = v;
      });
      res.writeHead(r.status, headers).end(Buffer.from(await r.arrayBuffer()));
    }, () => res.writeHead(502).end());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyBase = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${SUBPATH}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
  await mkdir(SHOTS, { recursive: true });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => proxy?.close(resolve));
  await server?.close();
  await rm(p.root, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  context: BrowserContext;
  requests: string[];
  errors: string[];
}

async function open(url: string, options: { javaScriptEnabled?: boolean; colorScheme?: 'light' | 'dark'; width?: number; bypassCSP?: boolean } = {}): Promise<Watched> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, colorScheme: options.colorScheme ?? 'light', viewport: { width: options.width ?? 1280, height: 800 }, bypassCSP: options.bypassCSP ?? false });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  context.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // Chromium's own /favicon.ico probe (same origin) is not the page's doing.
    if ((m.type() === 'error' || m.type() === 'warning') && !m.location().url.endsWith('/favicon.ico')) errors.push(`${m.text()} ${m.location().url}`);
  });
  await page.goto(url);
  return { page, context, requests, errors };
}

/** Search through the form as a reader would; returns the result links, site-relative. */
async function search(page: Page, query: string, outlet = ''): Promise<string[]> {
  await page.locator('#sf').waitFor({ state: 'visible', timeout: 15_000 });
  await page.fill('#q', query);
  await page.selectOption('#so', outlet);
  await page.click('#sf button[type=submit]');
  // The script empties the status on submit and fills it once the results are on the page.
  await page.waitForFunction(() => document.getElementById('ss')!.textContent !== '', undefined, { timeout: 15_000 });
  const base = new URL('.', page.url()).href;
  return page.$$eval('#sr li h2 a', (links) => links.map((a) => (a as HTMLAnchorElement).href)).then((hrefs) => hrefs.map((h) => h.replace(base, '')));
}

const places = () => [
  ['the domain root', server.url],
  [`/ipfs/<cid>/ on serve's gateway`, `${server.url}ipfs/${cid}/`],
  ['a subpath', proxyBase],
] as const;

describe('search', () => {
  for (const [where, at] of [['the domain root', 0], ['/ipfs/<cid>/ on serve\'s gateway', 1], ['a subpath', 2]] as const) {
    it(`finds a Russian word in another form and a Kazakh word at ${where}, with no request leaving the origin`, async () => {
      const [, url] = places()[at];
      const w = await open(`${url}search.html`);
      try {
        expect(await search(w.page, KNOWN.ru.word)).toEqual([KNOWN.ru.path]);
        expect(await w.page.textContent('#ss')).toBe('Найдено: 1');
        expect(await w.page.textContent('#sr li h2 a')).toBe(KNOWN.ru.title);
        // The excerpt is the article's own text, never the "you are on a copy" notice (regression: it led every excerpt).
        expect(await w.page.textContent('#sr li')).not.toMatch(/Оригинал может быть заблокирован|Скачать весь сайт/);
        expect(await search(w.page, KNOWN.kk.word)).toEqual([KNOWN.kk.path]);
        expect(await w.page.getAttribute('#sr li', 'lang')).toBe('kk');
        if (at === 0) {
          expect(await w.page.textContent('#sr li p.m')).toBe('kz voice · 11 февраля 2026, 10:00 UTC');
          // Matches are marked as text (Pagefind keeps the punctuation next to a word).
          expect(await w.page.$$eval('#sr mark', (m) => m.map((x) => x.textContent))).toEqual(['кітапхана']);
          // The outlet filter.
          expect(await search(w.page, KNOWN.kk.word, 'steppe herald')).toEqual([]);
          expect(await w.page.textContent('#ss')).toBe('Ничего не найдено. Попробуйте другую форму слова или меньше слов.');
          expect(await search(w.page, KNOWN.kk.word, 'kz voice')).toEqual([KNOWN.kk.path]);
          // The query is in the address: reloading or sharing it searches again.
          expect(new URL(w.page.url()).search).toBe(`?q=${encodeURIComponent(KNOWN.kk.word)}&outlet=kz+voice`);
          // An article of an earlier month (all outlets again) is found by its first two paragraphs, not by its third, and the page says so.
          expect(await search(w.page, LEAD.second)).toEqual([LEAD.path]);
          expect(await search(w.page, LEAD.third)).toEqual([]);
          expect(await w.page.textContent('#sf p.m')).toBe('Поиск идёт по полному тексту статей с 1 февраля 2026; более ранние статьи находятся по заголовку и первым абзацам.');
          expect(await search(w.page, KNOWN.kk.word)).toEqual([KNOWN.kk.path]);
        }
        // A result opens its article.
        await w.page.click('#sr li h2 a');
        await w.page.waitForURL(`${url}${KNOWN.kk.path}`);
        expect(await w.page.textContent('h1')).toBe(KNOWN.kk.title);
        const origin = new URL(url).origin;
        expect(w.requests.length).toBeGreaterThan(5);
        expect(w.requests.filter((r) => !r.startsWith(`${origin}/`))).toEqual([]);
        expect(w.errors).toEqual([]);
      } finally {
        await w.context.close();
      }
    }, 40_000);
  }

  it('without JavaScript, says so and links the title index per outlet and month, which lists the articles', async () => {
    const w = await open(`${server.url}search.html`, { javaScriptEnabled: false });
    try {
      expect(await w.page.isVisible('#sn')).toBe(true);
      expect(await w.page.textContent('#sn')).toContain('Поиск работает в вашем браузере: ему нужен JavaScript');
      expect(await w.page.isVisible('#sf')).toBe(false);
      expect(await w.page.$$eval('.tm a', (a) => a.map((x) => x.getAttribute('href')))).toEqual([
        'titles/steppe-herald/2026-01.html', 'titles/steppe-herald/2020-01.html', 'titles/alma-daily/2020-01.html', 'titles/kz-voice/2026-02.html', 'titles/kz-voice/2020-01.html',
      ]);
      await w.page.click('a[href="titles/kz-voice/2026-02.html"]');
      expect(await w.page.textContent('h1')).toBe('Заголовки: kz voice, Февраль 2026');
      expect(await w.page.$$eval('.tl a', (a) => a.map((x) => [x.textContent, x.getAttribute('lang')]))).toEqual([[KNOWN.kk.title, 'kk']]);
      await w.page.click('.tl a');
      expect(await w.page.textContent('h1')).toBe(KNOWN.kk.title);
    } finally {
      await w.context.close();
    }
  });

  it('from file:// (Pagefind cannot load there), keeps the note and the title index, with no error', async () => {
    const w = await open(pathToFileURL(join(site, 'search.html')).href);
    try {
      expect(await w.page.isVisible('#sn')).toBe(true);
      expect(await w.page.isVisible('#sf')).toBe(false);
      expect(await w.page.textContent('#ss')).toBe('');
      expect(w.errors).toEqual([]);
      expect(w.requests.filter((r) => !r.startsWith('file://'))).toEqual([]);
    } finally {
      await w.context.close();
    }
  });
});

describe('script-free site', () => {
  it('lets only search.html run a script, by its own CSP; every other page forbids scripts', async () => {
    const files = (await readdir(site, { recursive: true })).filter((f) => f.endsWith('.html'));
    expect(files.length).toBeGreaterThan(20);
    const scripted: string[] = [];
    for (const file of files) {
      const html = await readFile(join(site, file), 'utf8');
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
      expect(csp.startsWith("default-src 'none'; "), file).toBe(true);
      if (/<script|script-src/.test(html)) scripted.push(file);
      if (file === 'search.html') {
        expect(csp).toMatch(/^default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'$/);
        expect(html.match(/<script[^>]*>/g)).toEqual(['<script src="search.js" defer>']);
      }
    }
    expect(scripted).toEqual(['search.html']);
  });
});

describe('verify and search pages for readers', () => {
  const url = (path: string) => `${server.url}${path}${path === 'search.html' ? `?q=${encodeURIComponent(KNOWN.ru.word)}` : ''}`;

  it('fit 375 px without sideways scrolling, commands wrapped; screenshots at 1280 and 375, light and dark', async () => {
    for (const width of [375, 1280]) {
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const path of ['verify.html', 'search.html']) {
          const w = await open(url(path), { width, colorScheme });
          try {
            if (path === 'search.html') await w.page.locator('#sr li').first().waitFor();
            const overflow = await w.page.evaluate(() => ({
              page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
              clipped: [...document.querySelectorAll('pre, code')].filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent!.slice(0, 30)),
            }));
            expect([path, width, overflow]).toEqual([path, width, { page: 0, clipped: [] }]);
            await w.page.screenshot({ path: join(SHOTS, `${path.replace('.html', '')}-${width}-${colorScheme}.png`), fullPage: true });
          } finally {
            await w.context.close();
          }
        }
      }
    }
  }, 180_000);

  it('have no axe-core violations, light and dark (search page with results shown)', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const path of ['verify.html', 'search.html']) {
        // CSP bypassed only to inject axe-core itself.
        const w = await open(url(path), { colorScheme, bypassCSP: true });
        try {
          if (path === 'search.html') await w.page.locator('#sr li').first().waitFor();
          await w.page.addScriptTag({ path: AXE });
          const violations = await w.page.evaluate(async () => {
            const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
            return (await axe.run()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
          });
          expect([path, colorScheme, violations]).toEqual([path, colorScheme, []]);
        } finally {
          await w.context.close();
        }
      }
    }
  }, 180_000);
});
