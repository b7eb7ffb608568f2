// hostile-xss.xml after ingest, loaded in headless Chromium: nothing runs, nothing is requested, the text is there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { ingest } from '../../src/ingest/index.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { makeProject, readWritten, removeProject } from './project.ts';

let server: FeedServer;
let browser: Browser;
let root: string;

beforeAll(async () => {
  server = await startFeedServer();
  root = await makeProject([{ id: 'hostile', feeds: [`${server.url}/feeds/hostile-xss.xml`] }]);
  await ingest({ root });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
afterAll(async () => {
  await browser?.close();
  await server.close();
  await removeProject(root);
});

describe('hostile-xss.xml in a browser', () => {
  it('no script runs, no dialog opens, no request leaves the page; the text around it survives', async () => {
    const files = await readWritten(root);
    expect(files).toHaveLength(5);
    const page = await browser.newPage();
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const texts: string[] = [];
    for (const file of files) {
      // The mirror serves articles from its own origin; links are not followed, only loading counts.
      await page.route('**/*', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: `<!doctype html><meta charset="utf-8"><body>${file.body}</body>` }));
      await page.goto('https://mirror.invalid/article');
      await page.waitForTimeout(150);
      texts.push(await page.evaluate(() => document.body.innerText));
      await page.unroute('**/*');
    }
    expect(dialogs).toEqual([]);
    expect(requests.filter((u) => u !== 'https://mirror.invalid/article')).toEqual([]);
    const all = texts.join('\n');
    for (const kept of ['Before', 'Click', 'After', 'Text', 'Styled', 'Relative link must not be re-based to another origin.', 'bold is fine']) expect(all).toContain(kept);
  });
});
