/**
 * Pages on a slow link: first contentful paint and bytes of each page type (home, outlet,
 * article, archive, other copies, 404) in headless Chromium under DevTools network emulation
 * of 240 kbit/s down and 840 ms latency, the median of 5 cold loads (a fresh browser context
 * each, gzip as hosts serve it). Targets (issue 11): article FCP ≤ 4 s, home ≤ 5 s.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from '../src/render/index.ts';
import { designProject, PAGE_TYPES, serveSite } from '../tests/render/site-server.ts';

const LOADS = 5;
const KBIT = 240;
const LATENCY_MS = 840;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const root = await mkdtemp(join(tmpdir(), 'newsmirror-pages-bench-'));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
const { server, base } = await (async () => {
  await designProject(root);
  await build({ root });
  return serveSite(join(root, '_site'));
})();
try {
  console.log(`slow link: ${KBIT} kbit/s down, ${LATENCY_MS} ms latency; median of ${LOADS} cold loads`);
  console.log('page       FCP ms   requests  bytes on the wire  bytes (html)');
  for (const [type, path] of Object.entries(PAGE_TYPES)) {
    const fcps: number[] = [];
    let wire = 0;
    let raw = 0;
    let requests = 0;
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext({ viewport: { width: 375, height: 667 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: LATENCY_MS, downloadThroughput: (KBIT * 1000) / 8, uploadThroughput: (KBIT * 1000) / 8 });
      let encoded = 0;
      cdp.on('Network.loadingFinished', (e) => (encoded += e.encodedDataLength));
      let count = 0;
      page.on('request', () => count++);
      const response = await page.goto(`${base}${path}`, { waitUntil: 'load' });
      raw = (await response?.body())?.length ?? 0;
      const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
      fcps.push(fcp);
      wire = encoded;
      requests = count;
      await context.close();
    }
    console.log(`${type.padEnd(10)} ${String(Math.round(median(fcps))).padStart(6)}   ${String(requests).padStart(8)}  ${String(wire).padStart(17)}  ${String(raw).padStart(12)}`);
  }
} finally {
  await browser.close();
  server.close();
  await rm(root, { recursive: true, force: true });
}
