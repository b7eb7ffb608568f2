/**
 * Sources without a feed, and photos: sitemap parsing (URLs/s on a 50,000-URL sitemap), a sitemap
 * index of 2,000 URLs mirrored page by page from a local server (pages/s, then an all-304 run),
 * and photo archiving (images/s re-encoding 4000×3000 camera JPEGs, bytes saved vs the originals).
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { stringify } from 'yaml';
import { encodeImage } from '../src/ingest/images.ts';
import { ingest } from '../src/ingest/index.ts';
import { parseSitemap } from '../src/ingest/sitemap.ts';
import { startFeedServer } from '../tests/helpers/feed-server.ts';

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const urlset = (entries: string[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n${entries.join('\n')}\n</urlset>\n`;
const stamp = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();

function parseThroughput(): void {
  const entries = Array.from({ length: 50_000 }, (_, i) => `<url><loc>https://outlet.example/news/${i}</loc><lastmod>${stamp(i)}</lastmod><news:news><news:publication><news:name>Outlet</news:name><news:language>ru</news:language></news:publication><news:publication_date>${stamp(i)}</news:publication_date><news:title>Новость № ${i}</news:title></news:news></url>`);
  const xml = urlset(entries);
  parseSitemap(urlset(entries.slice(0, 2000)), 'warmup');
  const times: number[] = [];
  let count = 0;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    const parsed = parseSitemap(xml, 'https://outlet.example/sitemap.xml');
    times.push(performance.now() - start);
    count = parsed.kind === 'urlset' ? parsed.urls.length : 0;
  }
  times.sort((a, b) => a - b);
  const median = times[1] as number;
  console.log(`sitemap parse: ${count} news URLs (${(Buffer.byteLength(xml) / 1024 / 1024).toFixed(1)} MB), median ${median.toFixed(0)} ms = ${Math.round(count / (median / 1000))} URLs/s`);
}

async function mirrorIndex(): Promise<void> {
  const server = await startFeedServer({ mountFixtures: false });
  const root = await mkdtemp(join(tmpdir(), 'newsmirror-bench-sources-'));
  try {
    const para = 'Жители района третий день обсуждают решение акимата о переносе рынка. Собеседники редакции говорят, что их не спросили.';
    for (let i = 0; i < 2000; i++) {
      server.serve(`/p/${i}`, `<!doctype html><html lang="ru"><head><title>Новость ${i}</title><meta property="og:title" content="Новость ${i}"><meta property="article:published_time" content="${stamp(i)}"></head><body><nav>menu</nav><article><h1>Новость ${i}</h1><p>${para}</p><p>${para}</p></article></body></html>`, { contentType: 'text/html; charset=utf-8' });
    }
    const children = [0, 1, 2, 3].map((c) => `${server.url}/sm/${c}.xml`);
    for (const [c, url] of children.entries()) {
      server.serve(new URL(url).pathname, urlset(Array.from({ length: 500 }, (_, k) => `<url><loc>${server.url}/p/${c * 500 + k}</loc><lastmod>${stamp(c * 500 + k)}</lastmod></url>`)));
    }
    server.serve('/index.xml', `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${children.map((loc) => `<sitemap><loc>${loc}</loc></sitemap>`).join('')}</sitemapindex>`);
    await mkdir(join(root, 'content', '_data'), { recursive: true });
    await writeFile(join(root, 'content', '_data', 'outlets.yaml'), stringify([{ id: 'nofeed', name: 'No feed', homepage: 'https://nofeed.example/', lang: 'ru', sitemaps: [`${server.url}/index.xml`], sitemapPages: 1000, images: 'none' }]));
    for (const label of ['first run (1,000 newest of 2,000 URLs)', 'second run (all 304)']) {
      const start = performance.now();
      const report = await ingest({ root });
      const seconds = (performance.now() - start) / 1000;
      const n = report.outlets[0]?.new ?? 0;
      console.log(`sitemap index, ${label}: ${seconds.toFixed(2)} s, ${n} pages mirrored${n ? ` = ${Math.round(n / seconds)} pages/s (fetch + Readability + metadata + write)` : ''}, ${report.outlets[0]?.failed.length ?? 0} failed`);
    }
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

async function photos(): Promise<void> {
  const COUNT = 12;
  const inputs: Buffer[] = [];
  for (let i = 0; i < COUNT; i++) {
    const small = await sharp({ create: { width: 64 + i, height: 48, channels: 3, background: '#777', noise: { type: 'gaussian', mean: 120 + i, sigma: 50 } } }).png().toBuffer();
    inputs.push(await sharp(small).resize(4000, 3000, { kernel: 'cubic' }).jpeg({ quality: 88 }).toBuffer());
  }
  await encodeImage(inputs[0] as Buffer);
  const start = performance.now();
  let inBytes = 0;
  let outBytes = 0;
  for (const input of inputs) {
    inBytes += input.length;
    outBytes += (await encodeImage(input)).data.length;
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(`photos: ${COUNT} camera JPEGs 4000×3000 (avg ${kb(inBytes / COUNT)}) → WebP 800 px (avg ${kb(outBytes / COUNT)}, budget 40 KB): ${(COUNT / seconds).toFixed(1)} images/s, ${(100 * (1 - outBytes / inBytes)).toFixed(1)}% of bytes saved (${kb(inBytes - outBytes)} in all)`);
}

async function storedOnce(): Promise<void> {
  // The same photo in 50 articles: one file in content/_media/.
  const server = await startFeedServer({ mountFixtures: false });
  const root = await mkdtemp(join(tmpdir(), 'newsmirror-bench-photos-'));
  try {
    const small = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#777', noise: { type: 'gaussian', mean: 128, sigma: 50 } } }).png().toBuffer();
    const photo = await sharp(small).resize(4000, 3000).jpeg({ quality: 88 }).toBuffer();
    for (let i = 0; i < 50; i++) server.serve(`/img/${i}.jpg`, i % 5 === 0 ? photo : await sharp(small).resize(2000 + i, 1500).jpeg().toBuffer(), { contentType: 'image/jpeg' });
    const items = Array.from({ length: 50 }, (_, i) => `<item><guid>g${i}</guid><title>Фото ${i}</title><link>${server.url}/a/${i}</link><description><![CDATA[<p>Текст ${i}</p><img src="/img/${i}.jpg" alt="Фото ${i}">]]></description></item>`);
    server.serve('/rss', `<?xml version="1.0"?><rss version="2.0"><channel><title>P</title><link>${server.url}/</link>${items.join('')}</channel></rss>`, { contentType: 'application/rss+xml' });
    await mkdir(join(root, 'content', '_data'), { recursive: true });
    await writeFile(join(root, 'content', '_data', 'outlets.yaml'), stringify([{ id: 'photos', name: 'Photos', homepage: 'https://photos.example/', lang: 'ru', feeds: [`${server.url}/rss`] }]));
    const start = performance.now();
    await ingest({ root });
    const seconds = (performance.now() - start) / 1000;
    const dir = join(root, 'content', '_media');
    const files = await readdir(dir);
    let bytes = 0;
    for (const f of files) bytes += (await stat(join(dir, f))).size;
    console.log(`ingest with photos: 50 articles, 50 photos (10 the same) in ${seconds.toFixed(2)} s = ${(50 / seconds).toFixed(1)} images/s end to end; ${files.length} files stored, ${kb(bytes)} in all`);
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
parseThroughput();
await mirrorIndex();
await photos();
await storedOnce();
