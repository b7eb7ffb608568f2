// Photos readers can see: images archived as small WebP copies, from a real local server, and rendered with a link to the original.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { sanitizeArticleHtml } from '../../src/core/sanitize.ts';
import { DEFAULT_IMAGE_LIMITS, encodeImage } from '../../src/ingest/images.ts';
import { ingest, IngestError } from '../../src/ingest/index.ts';
import { build } from '../../src/render/index.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { readWritten } from './project.ts';

let server: FeedServer;
let jpeg: Buffer;
let bomb: Buffer;
const roots: string[] = [];
const NOW = new Date('2026-03-01T00:00:00Z');

/** A 4000×3000 photo-like JPEG (smooth colour fields from upscaled noise) with EXIF, GPS position included. */
async function cameraJpeg(): Promise<Buffer> {
  const small = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 50 } } }).png().toBuffer();
  return sharp(small)
    .resize(4000, 3000, { kernel: 'cubic' })
    .jpeg({ quality: 90 })
    .withExif({ IFD0: { Make: 'NewsCam', Copyright: 'Photographer Name' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '43/1 14/1 3000/100', GPSLongitudeRef: 'E', GPSLongitude: '76/1 53/1 0/1' } })
    .toBuffer();
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** A valid PNG of `side`×`side` pixels of one colour (1-bit grey): a few tens of KB on the wire, `side`² pixels decoded. */
function bombPng(side: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const row = 1 + Math.ceil(side / 8);
  const idat = zlib.deflateSync(Buffer.alloc(row * side), { level: 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

const PARAGRAPH = 'Жители района третий день обсуждают решение акимата о переносе рынка.';
function rss(items: { guid: string; img: string; alt?: string }[]): string {
  const xml = items.map((i) => `<item><guid>${i.guid}</guid><title>Новость ${i.guid}</title><link>${server.url}/a/${i.guid}</link><pubDate>Mon, 02 Feb 2026 10:00:00 +0000</pubDate><description><![CDATA[<p>${PARAGRAPH}</p><figure><img src="${i.img}"${i.alt === undefined ? '' : ` alt="${i.alt}"`}><figcaption>Подпись</figcaption></figure><p>Второй абзац.</p>]]></description></item>`);
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Photos</title><link>${server.url}/</link>${xml.join('')}</channel></rss>`;
}

async function project(outlet: Record<string, unknown>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'newsmirror-images-'));
  roots.push(root);
  await mkdir(join(root, 'content', '_data'), { recursive: true });
  await writeFile(join(root, 'content', '_data', 'site.yaml'), 'title: Зеркало\nlang: ru\n');
  await writeFile(join(root, 'content', '_data', 'outlets.yaml'), stringify([{ id: 'photos', name: 'Photos', homepage: 'https://photos.example/', lang: 'ru', ...outlet }]));
  return root;
}

const mediaFiles = async (root: string) => (await readdir(join(root, 'content', '_media')).catch(() => [] as string[])).sort();

beforeAll(async () => {
  server = await startFeedServer({ mountFixtures: false });
  jpeg = await cameraJpeg();
  bomb = bombPng(20_000);
  server.serve('/photo.jpg', jpeg, { contentType: 'image/jpeg' });
  server.serve('/same-photo-elsewhere.jpg', jpeg, { contentType: 'image/jpeg' });
  server.serve('/bomb.png', bomb, { contentType: 'image/png' });
  server.serve('/not-an-image.jpg', '<html>blocked</html>', { contentType: 'text/html' });
});
afterAll(async () => {
  await server.close();
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

describe('encodeImage', () => {
  it('turns a 4000×3000 camera JPEG with GPS EXIF into an 800 px WebP within 40 KB with no metadata', async () => {
    const input = await sharp(jpeg).metadata();
    expect([input.width, input.height, input.format]).toEqual([4000, 3000, 'jpeg']);
    expect(input.exif?.includes(Buffer.from('Photographer Name'))).toBe(true);
    const out = await encodeImage(jpeg);
    expect(out.data.length).toBeLessThanOrEqual(40_000);
    const meta = await sharp(out.data).metadata();
    expect([meta.format, meta.width, meta.height, out.width, out.height]).toEqual(['webp', 800, 600, 800, 600]);
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(out.data.includes(Buffer.from('Photographer Name'))).toBe(false);
    expect(out.data.includes(Buffer.from('NewsCam'))).toBe(false);
  });

  it('refuses a decompression bomb before decoding it: a 20,000×20,000 PNG of one colour', async () => {
    expect(bomb.length).toBeLessThan(200_000);
    const error = await encodeImage(bomb, DEFAULT_IMAGE_LIMITS, 'https://x.example/bomb.png').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).code).toBe('ERR_IMAGE');
    expect((error as IngestError).message).toBe('https://x.example/bomb.png: 20000×20000 pixels is more than the limit of 50000000 (a decompression bomb?); refused');
  });

  it('keeps only the first frame of an animation and refuses SVG', async () => {
    const frame = (colour: string) => sharp({ create: { width: 40, height: 30, channels: 3, background: colour } }).png().toBuffer();
    const gif = await sharp([await frame('#ff0000'), await frame('#0000ff')], { join: { animated: true } }).gif().toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const out = await encodeImage(gif);
    const meta = await sharp(out.data).metadata();
    expect([meta.pages ?? 1, meta.width, meta.height]).toEqual([1, 40, 30]);
    const { data } = await sharp(out.data).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200); // red, the first frame
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="http://127.0.0.1/x"/></svg>');
    await expect(encodeImage(svg)).rejects.toThrow('a svg file, not a photo format');
  });
});

describe('the sanitizer and archived photos', () => {
  const src = `/_media/${'ab'.repeat(32)}.webp`;
  const html = `<a class="local-image" href="https://o.example/p.jpg"><img src="${src}" width="800" height="600" alt="" loading="lazy" onerror="alert(1)"></a>`;
  it('keeps exactly the photos ingest archived as local images; the same path written by a feed is the origin\'s', () => {
    expect(sanitizeArticleHtml(html, { baseUrl: 'https://o.example/a/1', localImages: new Set([src]) })).toBe(
      `<a href="https://o.example/p.jpg" rel="nofollow noopener noreferrer" class="local-image"><img src="${src}" width="800" height="600" alt="" loading="lazy" /></a>`,
    );
    expect(sanitizeArticleHtml(html, { baseUrl: 'https://o.example/a/1' })).toBe(
      `<a href="https://o.example/p.jpg" rel="nofollow noopener noreferrer" class="local-image"><a href="https://o.example${src}" rel="nofollow noopener noreferrer" class="remote-image">[${'ab'.repeat(32)}.webp]</a></a>`,
    );
  });
  it('at render puts the path onto the way back to the site root, and a second pass changes nothing', () => {
    const ingested = sanitizeArticleHtml(html, { baseUrl: 'https://o.example/a/1', localImages: new Set([src]) });
    const rendered = sanitizeArticleHtml(ingested, { siteRoot: '../../../' });
    expect(rendered).toBe(`<a href="https://o.example/p.jpg" rel="nofollow noopener noreferrer" class="local-image"><img src="../../..${src}" width="800" height="600" alt="" loading="lazy" /></a>`);
    expect(sanitizeArticleHtml(rendered, { siteRoot: '../../../' })).toBe(rendered);
  });
});

describe('photos in ingest and render', () => {
  it('stores the same photo once for two articles, rewrites <img>, keeps failures as links, renders width/height/alt/loading and a link to the original', async () => {
    const port = new URL(server.url).port;
    server.serve('/rss', rss([
      { guid: 'one', img: '/photo.jpg', alt: 'Рынок на Зелёном базаре' },
      { guid: 'two', img: `${server.url}/same-photo-elsewhere.jpg`, alt: '' },
      { guid: 'bomb', img: '/bomb.png', alt: 'Бомба' },
      { guid: 'loop', img: `http://localhost:${port}/photo.jpg`, alt: 'Петля' },
      { guid: 'html', img: '/not-an-image.jpg' },
    ]), { contentType: 'application/rss+xml; charset=utf-8' });
    const root = await project({ feeds: [`${server.url}/rss`] });
    const report = await ingest({ root, now: () => NOW });
    expect(report.outlets[0]).toEqual({ outlet: 'photos', new: 5, updated: 0, unchanged: 0, skipped: 0, failed: [] });
    const files = await mediaFiles(root);
    expect(files).toHaveLength(1);
    const [file] = files as [string];
    expect(file).toMatch(/^[0-9a-f]{64}\.webp$/);
    const stored = await readFile(join(root, 'content', '_media', file));
    expect(stored.length).toBeLessThanOrEqual(40_000);
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
    const bodies = Object.fromEntries((await readWritten(root)).map((w) => [String(w.frontMatter.url).split('/').pop(), w.body]));
    expect(bodies.one).toContain(`<figure><a href="${server.url}/photo.jpg" rel="nofollow noopener noreferrer" class="local-image"><img src="/_media/${file}" alt="Рынок на Зелёном базаре" width="800" height="600" loading="lazy" /></a><figcaption>`);
    expect(bodies.two).toContain(`<a href="${server.url}/same-photo-elsewhere.jpg" rel="nofollow noopener noreferrer" class="local-image"><img src="/_media/${file}" width="800" height="600" alt="" loading="lazy" /></a>`);
    expect(bodies.bomb).toContain(`<a href="${server.url}/bomb.png" rel="nofollow noopener noreferrer" class="remote-image">[Бомба]</a>`);
    expect(bodies.loop).toContain(`<a href="http://localhost:${port}/photo.jpg" rel="nofollow noopener noreferrer" class="remote-image">[Петля]</a>`);
    expect(bodies.html).toContain('class="remote-image">[not-an-image.jpg]</a>');
    // The loopback name was never asked for: refused at the lookup, before connecting.
    expect(server.hits('/photo.jpg').every((r) => r.headers.host === `127.0.0.1:${port}`)).toBe(true);
    const state = JSON.parse(await readFile(join(root, '.newsmirror', 'ingest-state.json'), 'utf8'));
    expect(Object.keys(state.media).sort()).toEqual([`${server.url}/bomb.png`, `${server.url}/not-an-image.jpg`, `${server.url}/photo.jpg`, `${server.url}/same-photo-elsewhere.jpg`, `http://localhost:${port}/photo.jpg`]);

    // A second full run (the feed changed) downloads nothing again and rewrites nothing.
    const photoHits = server.hits('/photo.jpg').length;
    server.serve('/rss', rss([{ guid: 'one', img: '/photo.jpg', alt: 'Рынок на Зелёном базаре' }]) + ' ', { contentType: 'application/rss+xml; charset=utf-8' });
    expect((await ingest({ root, now: () => NOW })).outlets[0]).toMatchObject({ new: 0, updated: 0, unchanged: 1 });
    expect(server.hits('/photo.jpg').length).toBe(photoHits);

    const built = await build({ root });
    expect(built.images).toEqual({ files: 1, bytes: stored.length });
    expect(await readFile(join(root, '_site', '_media', file))).toEqual(stored);
    const page = (await readWritten(root)).find((w) => String(w.frontMatter.url).endsWith('/one'));
    const html = await readFile(join(root, '_site', (page?.path ?? '').replace(/^content\//, '').replace(/\.md$/, '.html')), 'utf8');
    expect(html).toContain(`<a href="${server.url}/photo.jpg" rel="nofollow noopener noreferrer" class="local-image"><img src="../../../_media/${file}" alt="Рынок на Зелёном базаре" width="800" height="600" loading="lazy" /></a>`);
  }, 30_000);

  it('archives nothing with images: none, and every photo with images: all; a taken-down article\'s photo is not published', async () => {
    const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>P</title><link>${server.url}/</link><item><guid>g</guid><title>Две фотографии</title><link>${server.url}/a/g</link><description><![CDATA[<p>${PARAGRAPH}</p><img src="/photo.jpg" alt="a"><img src="/bomb.png" alt="b"><a href="/big"><img src="/same-photo-elsewhere.jpg" alt="c"></a>]]></description></item></channel></rss>`;
    server.serve('/rss-all', feed, { contentType: 'application/rss+xml' });
    const none = await project({ feeds: [`${server.url}/rss-all`], images: 'none' });
    await ingest({ root: none, now: () => NOW });
    expect(await mediaFiles(none)).toEqual([]);
    expect((await readWritten(none))[0]?.body).not.toContain('<img');

    const capped = await project({ feeds: [`${server.url}/rss-all`], images: 'all' });
    await ingest({ root: capped, now: () => NOW, imageLimits: { maxPerRun: 1 } });
    expect((await readWritten(capped))[0]?.body.match(/<img /g)).toHaveLength(1);

    const all = await project({ feeds: [`${server.url}/rss-all`], images: 'all' });
    await ingest({ root: all, now: () => NOW });
    const [file] = await mediaFiles(all);
    const body = (await readWritten(all))[0]?.body ?? '';
    // Inside a link already: the photo is kept in that link, not wrapped in a second one.
    expect(body).toContain(`<a href="${server.url}/big" rel="nofollow noopener noreferrer"><img src="/_media/${file}" alt="c" width="800" height="600" loading="lazy" /></a>`);
    expect(body.match(/<img /g)).toHaveLength(2);

    const id = (await readWritten(all))[0]?.frontMatter.id;
    await writeFile(join(all, 'content', '_data', 'takedowns.yaml'), stringify([{ id, time: '2026-03-01T00:00:00Z', reason: 'source safety' }]));
    const built = await build({ root: all });
    expect(built.images).toEqual({ files: 0, bytes: 0 });
    await expect(stat(join(all, '_site', '_media', file ?? ''))).rejects.toThrow('ENOENT');
  }, 30_000);
});
