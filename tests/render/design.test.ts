/**
 * The reading design, measured in headless Chromium on every page type at 375 and 1280 px:
 * axe-core finds nothing (light and dark), listing headlines ≥ 1.2× the body, entries
 * separated, article body 16–20 px with 60–75 characters a line, every link outside running
 * text ≥ 24×24 px, the notice above the fold at 375×667, one h1 and no skipped heading level,
 * an inline favicon, no script, nothing requested from elsewhere, one request per page on a
 * slow link. (First paint times are in bench/pages.bench.ts.)
 */
import type { Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/render/index.ts';
import { designProject, PAGE_TYPES, serveSite } from './site-server.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

let root: string;
let server: Server;
let base: string;
let browser: Browser;
let axeSource: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsmirror-design-'));
  await designProject(root);
  await build({ root });
  ({ server, base } = await serveSite(join(root, '_site')));
  axeSource = await readFile(AXE, 'utf8');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(root, { recursive: true, force: true });
});

interface Layout {
  bodyPx: number;
  headlineRatio: number | null;
  entryGapPx: number | null;
  articlePx: number | null;
  charsPerLine: number | null;
  smallTargets: string[];
  noticeBottom: number | null;
  headings: string[];
  favicon: string;
  scripts: number;
}

/** Measured in the page (JavaScript on only for measuring: the site has none). */
async function measure(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const px = (el: Element | null) => (el ? parseFloat(getComputedStyle(el).fontSize) : NaN);
    const bodyPx = px(document.body);
    const headline = document.querySelector('.l li h2, .l li h3');
    const items = [...document.querySelectorAll('.l > li')];
    let entryGapPx: number | null = null;
    if (items.length > 1) {
      const lastOfFirst = items[0]!.lastElementChild!.getBoundingClientRect().bottom;
      const headOfSecond = items[1]!.firstElementChild!.getBoundingClientRect().top;
      entryGapPx = headOfSecond - lastOfFirst;
    }
    // Characters a line in the longest paragraph of the article body, by each character's line box.
    let charsPerLine: number | null = null;
    const paragraph = [...document.querySelectorAll('.b p')].sort((a, b) => (b.textContent ?? '').length - (a.textContent ?? '').length)[0];
    if (paragraph) {
      const tops = new Map<number, number>();
      const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < (node.textContent ?? '').length; i++) {
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getBoundingClientRect();
          if (rect.height === 0) continue;
          const top = Math.round(rect.top);
          tops.set(top, (tops.get(top) ?? 0) + 1);
        }
      }
      const lines = [...tops.values()].slice(0, -1).sort((a, b) => a - b);
      charsPerLine = lines.length ? lines[Math.floor(lines.length / 2)]! : null;
    }
    const smallTargets = [...document.querySelectorAll('a')]
      .filter((a) => !a.closest('.b'))
      .map((a) => ({ a, r: a.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && (r.width < 24 || r.height < 24))
      .map(({ a, r }) => `${a.textContent} ${Math.round(r.width)}×${Math.round(r.height)}`);
    return {
      bodyPx,
      headlineRatio: headline ? px(headline) / px(headline.closest('li')!.querySelector('p:last-child')) : null,
      entryGapPx,
      articlePx: document.querySelector('.b') ? px(document.querySelector('.b p')) : null,
      charsPerLine,
      smallTargets,
      noticeBottom: document.querySelector('aside.n')?.getBoundingClientRect().bottom ?? null,
      headings: [...document.querySelectorAll('h1, h2, h3, h4')].map((h) => h.tagName),
      favicon: document.querySelector('link[rel=icon]')?.getAttribute('href')?.slice(0, 19) ?? '',
      scripts: document.scripts.length,
    };
  });
}

function headingsInOrder(tags: string[]): boolean {
  let level = 0;
  for (const tag of tags) {
    const next = Number(tag.slice(1));
    if (next > level + 1) return false;
    level = next;
  }
  return tags.filter((t) => t === 'H1').length === 1;
}

describe('reading design', () => {
  it.each([375, 1280])('holds its measured properties on every page type at %i px', async (width) => {
    const context = await browser.newContext({ viewport: { width, height: 667 }, bypassCSP: false });
    const page = await context.newPage();
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    const report: Record<string, Layout> = {};
    // The article measure is checked in Kazakh (wide letters) and Russian.
    for (const [type, path] of Object.entries({ ...PAGE_TYPES, articleRu: 'steppe-herald/2020/01/0000000000000000.html' })) {
      const response = await page.goto(`${base}${path}`);
      expect(response?.status(), type).toBe(type === 'notFound' ? 404 : 200);
      report[type] = await measure(page);
    }
    await context.close();
    expect(outside).toEqual([]);
    if (process.env.NEWSMIRROR_DESIGN_REPORT) console.log(width, JSON.stringify(report, null, 1));
    for (const [type, m] of Object.entries(report)) {
      expect(m.bodyPx, type).toBe(17);
      expect(m.smallTargets, type).toEqual([]);
      expect(headingsInOrder(m.headings), `${type}: ${m.headings.join(' ')}`).toBe(true);
      expect(m.favicon, type).toBe('data:image/svg+xml,');
      expect(m.scripts, type).toBe(0);
    }
    for (const type of ['home', 'outlet', 'archive']) {
      expect(report[type]!.headlineRatio, type).toBeGreaterThanOrEqual(1.2);
      expect(report[type]!.entryGapPx, type).toBeGreaterThanOrEqual(16);
    }
    for (const type of ['article', 'articleRu']) {
      const article = report[type]!;
      expect(article.articlePx, type).toBeGreaterThanOrEqual(16);
      expect(article.articlePx, type).toBeLessThanOrEqual(20);
      if (width === 1280) {
        expect(article.charsPerLine, type).toBeGreaterThanOrEqual(60);
        expect(article.charsPerLine, type).toBeLessThanOrEqual(75);
      }
    }
    const article = report.article!;
    if (width === 375) {
      // At 375×667 the notice (copy of; original; other copies; download) is seen without scrolling.
      expect(article.noticeBottom).toBeGreaterThan(0);
      expect(article.noticeBottom).toBeLessThanOrEqual(667);
    }
  }, 90_000);

  it.each(['light', 'dark'] as const)('has no axe-core violations on any page type (%s)', async (colorScheme) => {
    // bypassCSP only so axe can run: the pages themselves have no script.
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, colorScheme, bypassCSP: true });
    const page = await context.newPage();
    const violations: string[] = [];
    for (const [type, path] of Object.entries(PAGE_TYPES)) {
      await page.goto(`${base}${path}`);
      await page.addScriptTag({ content: axeSource });
      // Dark differs from light only in colours: there, the colour rules (every rule in light).
      const result = await page.evaluate(async (colorsOnly) => {
        type Axe = { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> };
        const axe = (window as unknown as { axe: Axe }).axe;
        const options = colorsOnly ? { runOnly: ['color-contrast', 'link-in-text-block'] } : {};
        return (await axe.run(document, options)).violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
      }, colorScheme === 'dark');
      violations.push(...result.map((v) => `${type}: ${v}`));
    }
    await context.close();
    expect(violations).toEqual([]);
  }, 150_000);

  it('loads the article and home pages with one request each on a slow link (240 kbit/s, 840 ms)', async () => {
    for (const path of [PAGE_TYPES.article!, PAGE_TYPES.home!]) {
      const context = await browser.newContext({ viewport: { width: 375, height: 667 }, javaScriptEnabled: false });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 840, downloadThroughput: (240 * 1000) / 8, uploadThroughput: (240 * 1000) / 8 });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`${base}${path}`, { waitUntil: 'load' });
      await context.close();
      expect(requests).toEqual([`${base}${path}`]);
    }
  }, 90_000);
});
