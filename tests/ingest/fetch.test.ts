// Fetching against a real local server: conditional GET, compression, every limit, Retry-After, redirects.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, fetchUrl, ingest, IngestError, type FetchLimits } from '../../src/ingest/index.ts';
import { decodeBody } from '../../src/ingest/decode.ts';
import { FIXTURES, gzipBomb, hugeFeed, rateLimited, redirect, slowBody, startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { makeProject, readWritten, removeProject } from './project.ts';

let server: FeedServer;
const roots: string[] = [];
const NOW = new Date('2024-06-01T00:00:00Z');

function rss(items: { guid: string; title: string; body: string }[]): string {
  const xml = items.map((i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><link>https://gen.example/${i.guid}</link><pubDate>Mon, 03 Jan 2022 10:00:00 +0000</pubDate><description><![CDATA[${i.body}]]></description></item>`);
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Gen</title><link>https://gen.example/</link>${xml.join('')}</channel></rss>`;
}
const ONE = rss([{ guid: 'g1', title: 'Первая новость', body: '<p>Текст — «один»</p>' }]);

async function project(feeds: string[]): Promise<string> {
  const root = await makeProject([{ id: 'gen', feeds }]);
  roots.push(root);
  return root;
}

async function fetchError(url: string, limits: Partial<FetchLimits> = {}): Promise<IngestError> {
  try {
    await fetchUrl({ url, limits: { ...DEFAULT_LIMITS, ...limits } });
  } catch (error) {
    if (error instanceof IngestError) return error;
    throw error;
  }
  throw new Error(`${url} did not fail`);
}

beforeAll(async () => {
  server = await startFeedServer({ mountFixtures: false });
});
afterAll(async () => {
  await server.close();
  await Promise.all(roots.map(removeProject));
});

describe('conditional GET', () => {
  it('second run sends If-None-Match / If-Modified-Since, gets 304 and writes nothing', async () => {
    server.serve('/cond.xml', ONE, { contentType: 'application/rss+xml; charset=utf-8' });
    const root = await project([`${server.url}/cond.xml`]);
    const first = await ingest({ root, now: () => NOW });
    expect(first.outlets[0]).toMatchObject({ new: 1, failed: [] });
    const [file] = await readWritten(root);
    const mtime = (await stat(join(root, file?.path ?? ''))).mtimeMs;
    const second = await ingest({ root, now: () => NOW });
    expect(second.outlets[0]).toEqual({ outlet: 'gen', new: 0, updated: 0, unchanged: 0, skipped: 0, failed: [] });
    const [, again] = server.hits('/cond.xml');
    expect(again?.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(again?.headers['if-modified-since']).toBe('Wed, 05 Jan 2022 08:00:00 GMT');
    expect(again?.headers['user-agent']).toMatch(/^newsmirror\//);
    expect((await stat(join(root, file?.path ?? ''))).mtimeMs).toBe(mtime);
    const state = JSON.parse(await readFile(join(root, '.newsmirror', 'ingest-state.json'), 'utf8'));
    expect(state.feeds[`${server.url}/cond.xml`].etag).toMatch(/^"[0-9a-f]{16}"$/);
  });
});

describe('compression and charsets', () => {
  it('reads gzip and brotli bodies', async () => {
    server.serve('/gz.xml', ONE, { compress: 'gzip' });
    server.serve('/br.xml', ONE, { compress: 'br' });
    for (const path of ['/gz.xml', '/br.xml']) {
      const result = await fetchUrl({ url: `${server.url}${path}`, limits: DEFAULT_LIMITS });
      expect(decodeBody(result.body, result.contentType)).toBe(ONE);
    }
  });

  it('the charset in Content-Type wins over the XML prolog', async () => {
    const bytes = (await readFile(join(FIXTURES, 'feeds/rss2-ru-windows1251.xml'))).toString('latin1').replace('encoding="windows-1251"', 'encoding="utf-8"');
    server.serve('/cp1251.xml', Buffer.from(bytes, 'latin1'), { contentType: 'text/xml; charset=windows-1251' });
    const result = await fetchUrl({ url: `${server.url}/cp1251.xml`, limits: DEFAULT_LIMITS });
    expect(decodeBody(result.body, result.contentType)).toContain('<title>Северная правда — независимая газета</title>');
  });

  it('a byte-order mark is honoured when nothing is declared', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<rss>Жаңа</rss>', 'utf16le')]);
    expect(decodeBody(utf16)).toBe('<rss>Жаңа</rss>');
  });
});

describe('limits', () => {
  it('a 60 MB feed fails fast at the byte cap (chunked, no Content-Length)', async () => {
    server.handle('/huge.xml', hugeFeed(60 * 1024 * 1024));
    const error = await fetchError(`${server.url}/huge.xml`, { maxBytes: 4 * 1024 * 1024 });
    expect([error.code, error.message]).toEqual(['ERR_TOO_LARGE', `${server.url}/huge.xml: more than 4194304 bytes; refused (raise the limit only if this feed is really that big)`]);
  });

  it('an announced 60 MB Content-Length is refused before reading', async () => {
    server.handle('/announced.xml', (_req, res) => {
      res.writeHead(200, { 'content-length': String(60 * 1024 * 1024), 'content-type': 'application/xml' });
      res.write('<rss>');
    });
    const error = await fetchError(`${server.url}/announced.xml`);
    expect(error.code).toBe('ERR_TOO_LARGE');
    expect(error.message).toContain('announces 62914560 bytes');
  });

  it('a gzip bomb stops at the decompressed-size cap', async () => {
    server.handle('/bomb.xml', gzipBomb(64 * 1024 * 1024));
    const error = await fetchError(`${server.url}/bomb.xml`, { maxDecompressedBytes: 1024 * 1024 });
    expect([error.code, error.message]).toEqual(['ERR_DECOMPRESSED_TOO_LARGE', `${server.url}/bomb.xml: more than 1048576 bytes after decompression (a compression bomb?); refused`]);
  });

  it('a server sending one byte a second hits the total timeout', async () => {
    server.handle('/slow.xml', slowBody(ONE, 1));
    const error = await fetchError(`${server.url}/slow.xml`, { timeoutMs: 1500, idleTimeoutMs: 1400 });
    expect(error.code).toBe('ERR_TIMEOUT');
    expect(error.message).toBe(`${server.url}/slow.xml: no complete answer within 1500 ms; the host is too slow or stalled, try again later`);
  });

  it('a server that stalls after the headers hits the idle timeout', async () => {
    server.handle('/stall.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.write('<rss>');
    });
    const error = await fetchError(`${server.url}/stall.xml`, { idleTimeoutMs: 300 });
    expect([error.code, error.message]).toEqual(['ERR_TIMEOUT', `${server.url}/stall.xml: no data for 300 ms; the host stalled, try again later`]);
  });
});

describe('redirects and URLs', () => {
  it('a redirect loop fails with a clear error', async () => {
    server.handle('/loop/a', redirect('/loop/b'));
    server.handle('/loop/b', redirect('/loop/a', 301));
    const error = await fetchError(`${server.url}/loop/a`);
    expect([error.code, error.message]).toEqual(['ERR_TOO_MANY_REDIRECTS', `${server.url}/loop/a: redirect loop (${server.url}/loop/b → ${server.url}/loop/a); fix the feed URL in outlets.yaml`]);
  });

  it('redirects are followed up to the limit, and never to a non-web scheme', async () => {
    server.serve('/final.xml', ONE);
    for (let i = 0; i < 6; i++) server.handle(`/hop/${i}`, redirect(i === 5 ? '/final.xml' : `/hop/${i + 1}`, 307));
    const ok = await fetchUrl({ url: `${server.url}/hop/1`, limits: DEFAULT_LIMITS });
    expect([ok.status, ok.url]).toEqual([200, `${server.url}/final.xml`]);
    expect((await fetchError(`${server.url}/hop/0`)).code).toBe('ERR_TOO_MANY_REDIRECTS');
    server.handle('/to-file', redirect('file:///etc/passwd'));
    const error = await fetchError(`${server.url}/to-file`);
    expect([error.code, error.message]).toEqual(['ERR_BAD_URL', `file:///etc/passwd: only http and https URLs are fetched (redirect from ${server.url}/to-file)`]);
    expect((await fetchError('file:///etc/passwd')).code).toBe('ERR_BAD_URL');
  });

  it('an unreachable host is ERR_NETWORK; a 404 is ERR_HTTP_STATUS', async () => {
    const gone = await startFeedServer({ mountFixtures: false });
    const url = `${gone.url}/feed.xml`;
    await gone.close();
    expect((await fetchError(url)).code).toBe('ERR_NETWORK');
    const missing = await fetchError(`${server.url}/nothing-here.xml`);
    expect([missing.code, missing.status]).toEqual(['ERR_HTTP_STATUS', 404]);
  });
});

describe('Retry-After', () => {
  it('429 with a long Retry-After: the feed fails, and is not fetched again before then', async () => {
    server.handle('/busy.xml', rateLimited('3600'));
    const root = await project([`${server.url}/busy.xml`]);
    const first = await ingest({ root, now: () => NOW });
    expect(first.outlets[0]?.failed[0]?.code).toBe('ERR_RATE_LIMITED');
    expect(first.outlets[0]?.failed[0]?.reason).toMatch(/HTTP 429, asked to retry after \d{4}-\d\d-\d\dT/);
    const state = JSON.parse(await readFile(join(root, '.newsmirror', 'ingest-state.json'), 'utf8'));
    const until = Date.parse(state.feeds[`${server.url}/busy.xml`].retryAfter);
    expect(until - Date.now()).toBeGreaterThan(3500 * 1000);
    const second = await ingest({ root, now: () => NOW });
    expect(second.outlets[0]?.failed[0]?.code).toBe('ERR_RATE_LIMITED');
    expect(second.outlets[0]?.failed[0]?.reason).toContain('skipped this run');
    expect(server.hits('/busy.xml')).toHaveLength(1);
  });

  it('503 with a short Retry-After is waited for once, then the feed is read', async () => {
    let calls = 0;
    server.handle('/short.xml', (req, res) => {
      if (calls++ === 0) return rateLimited('1', 503)(req, res);
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(ONE);
    });
    const root = await project([`${server.url}/short.xml`]);
    const report = await ingest({ root, now: () => NOW });
    expect(report.outlets[0]).toMatchObject({ new: 1, failed: [] });
    expect(calls).toBe(2);
  });
});
