/**
 * A kept scale project for profiling one stage at a time (not a benchmark):
 *   tsx bench/scale-project.ts <dir> <articles> [feedItems]
 * writes <dir>/project (the generated archive, outlets reading http://127.0.0.1:<port>/)
 * and <dir>/feeds/<outlet>.xml with `feedItems` new items each (default 5).
 * Serve <dir>/feeds with any static server that answers If-Modified-Since
 * (python3 -m http.server <port> -d <dir>/feeds), then time `newsmirror run` by hand.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeProject, articleHtml, generatedFrontMatter, prng, realClock } from '../tests/render/fixtures.ts';

const [dir, countArg, itemsArg, portArg] = process.argv.slice(2);
if (!dir || !countArg) throw new Error('usage: tsx bench/scale-project.ts <dir> <articles> [feedItems] [port]');
const OUTLETS = Array.from({ length: 10 }, (_, i) => `outlet-${String(i).padStart(2, '0')}`);
const items = Number(itemsArg ?? 5);
const port = Number(portArg ?? 8765);
const total = Number(countArg);
const archive = total - 5 * OUTLETS.length;
// Dated at the real rate (300 a day) up to now (kept in clock.json, so later feeds continue the same archive).
const clockFile = join(dir, 'clock.json');
const clock = items === 5 ? realClock(total + 50) : (JSON.parse(await readFile(clockFile, 'utf8')) as ReturnType<typeof realClock>);
await mkdir(dir, { recursive: true });
await writeFile(clockFile, JSON.stringify(clock));
const root = join(dir, 'project');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
if (items === 5) {
  await makeProject(root, { articles: archive, outlets: OUTLETS, lang: 'ru', words: 600, clock });
  await writeFile(join(root, 'content/_data/outlets.yaml'), OUTLETS.map((id) => `- id: ${id}\n  name: "${id}"\n  homepage: https://${id}.example/\n  lang: ru\n  feeds: ['http://127.0.0.1:${port}/${id}.xml']\n`).join(''));
}
await mkdir(join(dir, 'feeds'), { recursive: true });
for (const [o, outlet] of OUTLETS.entries()) {
  const xml = Array.from({ length: items }, (_, k) => {
    const i = archive + k * OUTLETS.length + o;
    const random = prng(1_000_003 + i);
    const fm = generatedFrontMatter(i, outlet, 'ru', random, clock);
    return `<item><title>${esc(fm.title)}</title><link>https://${outlet}.example/news/feed-${i}</link><guid>https://${outlet}.example/news/feed-${i}</guid><pubDate>${new Date(fm.date).toUTCString()}</pubDate><content:encoded><![CDATA[${articleHtml(600, 'ru', random)}]]></content:encoded></item>`;
  });
  await writeFile(join(dir, 'feeds', `${outlet}.xml`), `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${outlet}</title><link>https://${outlet}.example/</link><description>bench</description>\n${xml.join('\n')}\n</channel></rss>\n`);
}
