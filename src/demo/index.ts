/**
 * `newsmirror demo`: a throwaway project (outlets pointing at a feed server on
 * 127.0.0.1 that serves the feeds shipped in src/demo/feeds/), so a newcomer
 * sees the whole job work offline. No stage is imported here: the command runs them.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { projectPaths } from '../core/project.ts';
import { sha256Hex } from '../core/hash.ts';

export const FEEDS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'feeds');

/** The demo's outlets: fictional, each one of the shipped feeds. */
export const DEMO_OUTLETS = [
  { id: 'steppe-herald', name: 'Степной вестник', lang: 'ru', file: 'rss2-ru-utf8.xml', type: 'application/rss+xml; charset=utf-8' },
  { id: 'dala-habar', name: 'Дала хабары', lang: 'kk', file: 'atom-kk.xml', type: 'application/atom+xml; charset=utf-8' },
  // Declared only in the XML prolog, as many old CMSs do: the header names no charset.
  { id: 'north-pravda', name: 'Северная правда', lang: 'ru', file: 'rss2-ru-windows1251.xml', type: 'application/xml' },
  { id: 'open-caspian', name: 'Open Caspian', lang: 'en', file: 'jsonfeed-en.json', type: 'application/feed+json' },
] as const;

/** The interface language of most demo outlets (ties go to the earlier outlet): the demo's site speaks its readers' language. */
export function demoLang(): 'kk' | 'ru' | 'en' {
  const counts = new Map<'kk' | 'ru' | 'en', number>();
  for (const o of DEMO_OUTLETS) counts.set(o.lang, (counts.get(o.lang) ?? 0) + 1);
  return [...counts].reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/** Serve src/demo/feeds/ on 127.0.0.1 with ETag and Last-Modified, as a real site would. */
export async function startFeedServer(options: { port?: number } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    void (async () => {
      const name = decodeURIComponent((req.url ?? '/').split('?')[0]!.slice(1));
      const outlet = DEMO_OUTLETS.find((o) => o.file === name);
      if (!outlet || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      const path = join(FEEDS_DIR, outlet.file);
      const [bytes, info] = await Promise.all([readFile(path), stat(path)]);
      const etag = `"${sha256Hex(bytes).slice(0, 16)}"`;
      const headers = { 'content-type': outlet.type, etag, 'last-modified': info.mtime.toUTCString(), 'cache-control': 'max-age=60' };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers).end();
        return;
      }
      res.writeHead(200, { ...headers, 'content-length': bytes.length });
      res.end(req.method === 'HEAD' ? undefined : bytes);
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The demo site's description, in its interface language. */
const DEMO_DESCRIPTION: Record<'kk' | 'ru' | 'en', string> = {
  kk: 'Ойдан шығарылған басылымдардың айнасы, npm run demo арқылы интернетсіз жасалған.',
  ru: 'Зеркало вымышленных изданий, собранное без интернета командой npm run demo.',
  en: 'A mirror of fictional outlets, built offline by npm run demo.',
};

/** First line of every config file the demo writes: how it knows a folder is its own. */
const DEMO_MARK = '# Written by `newsmirror demo`';

/** outlets.yaml text for the demo outlets, their feeds at `feedBase`. */
export function demoOutletsYaml(feedBase: string): string {
  const rows = DEMO_OUTLETS.map(
    (o) => `- id: ${o.id}\n  name: ${o.name}\n  homepage: https://${o.id}.example/\n  lang: ${o.lang}\n  feeds: [${new URL(o.file, feedBase).href}]\n  images: none\n  note: demo outlet (fictional), served from src/demo/feeds/; its photos are on fictional hosts, so none are archived (the demo stays offline)`,
  );
  return `${DEMO_MARK}: fictional outlets whose feeds a local server serves.\n${rows.join('\n')}\n`;
}

/**
 * Prepare the demo project at `demoRoot`: outlets, site settings with the
 * demo key's public key and one `dir` target (layouts come with the code).
 */
export async function prepareDemoProject(options: { demoRoot: string; feedBase: string; publicKey: string }): Promise<void> {
  const demo = projectPaths(options.demoRoot);
  // `demo --dir` pointed at a real project must not overwrite its outlets, settings or targets.
  for (const file of [join(demo.data, 'outlets.yaml'), join(demo.data, 'site.yaml'), join(demo.mirrors, 'local.yaml')]) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined && !text.startsWith(DEMO_MARK)) {
      throw new UsageError(`${file} exists and was not written by the demo; give \`demo --dir\` an empty or earlier demo folder, never a real project`);
    }
  }
  await mkdir(demo.data, { recursive: true });
  await writeFileAtomic(join(demo.data, 'outlets.yaml'), demoOutletsYaml(options.feedBase));
  await writeFileAtomic(
    join(demo.data, 'site.yaml'),
    `${DEMO_MARK}.\ntitle: Newsmirror demo\nlang: ${demoLang()}\ndescription: ${DEMO_DESCRIPTION[demoLang()]}\npublicKey: ${options.publicKey}\npageSize: 30\n`,
  );
  await writeFileAtomic(join(demo.mirrors, 'local.yaml'), `${DEMO_MARK}.\nname: local\ntype: dir\nenabled: true\npath: .newsmirror/public\n`);
}
