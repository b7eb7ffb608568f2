/** A built site served as a web host serves it (404.html for anything missing), and the project the design test and the pages benchmark use. */
import { createServer, type Server } from 'node:http';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { articleHtml, generatedFrontMatter, makeProject, prng, writeArticle } from './fixtures.ts';

/** One page of each type readers meet. */
export const PAGE_TYPES: Record<string, string> = {
  home: 'index.html',
  outlet: 'steppe-herald/index.html',
  article: 'kz-voice/2026/01/0000000000000100.html',
  archive: 'archive/2020-01.html',
  copies: 'mirrors.html',
  notFound: 'no/such/page.html',
};

/** Serve a built site as a web host does: files (gzip when asked), and 404.html with status 404 for anything else. */
export async function serveSite(site: string): Promise<{ server: Server; base: string }> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.xml': 'application/xml', '.json': 'application/json' };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1) || 'index.html';
    const file = path.includes('..') ? '' : path;
    const send = (status: number, type: string, body: Buffer) => {
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      const bytes = gzip ? gzipSync(body) : body;
      res.writeHead(status, { 'content-type': type, 'content-length': bytes.length, ...(gzip ? { 'content-encoding': 'gzip' } : {}) }).end(bytes);
    };
    readFile(join(site, file)).then(
      (body) => send(200, types[extname(file)] ?? 'application/octet-stream', body),
      () => readFile(join(site, '404.html')).then((body) => send(404, types['.html']!, body)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` };
}

/** A project with listings, a Kazakh article under a Russian interface and mirrors that answered. */
export async function designProject(dir: string): Promise<void> {
  await makeProject(dir, {
    articles: 12,
    site: { pageSize: 5 },
    mirrors: {
      'a-cdn.yaml': 'name: a-cdn\ntype: dir\nurl: https://cdn.mirror.example/\npath: /srv/www\n',
      'b-ipfs.yaml': 'name: b-ipfs\ntype: ipfs\ngateway: https://gw.example/\n',
      'c-onion.yaml': 'name: c-onion\ntype: onion\nserves: a-cdn\nout: /tmp/x\nhostname: abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion\n',
    },
  });
  const cid = 'bafybeigga2x5usp444mniiq3s5wsduzj3kp2bxcebqna2i7puozecpvcpq';
  await mkdir(join(dir, '.newsmirror'), { recursive: true });
  await writeFile(join(dir, '.newsmirror', 'health.json'), JSON.stringify([
    { name: 'a-cdn', url: 'https://cdn.mirror.example/', kind: 'dir', status: 'fresh', checked: '2026-01-06T12:00:00Z' },
    { name: 'b-ipfs', url: `https://gw.example/ipfs/${cid}/`, kind: 'ipfs', status: 'stale', checked: '2026-01-06T10:00:00Z' },
    { name: 'c-onion', url: 'http://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion/', kind: 'onion', status: 'fresh', checked: '2026-01-06T11:00:00Z' },
  ]));
  const random = prng(11);
  const fm = generatedFrontMatter(256, 'kz-voice', 'kk', random);
  // A long headline (two lines at 375 px) so the notice is checked in a realistic worst case.
  await writeArticle(dir, { ...fm, title: 'Өзен жағасындағы құрылыс сот шешімімен тоқтатылды, тұрғындар наразылық білдірді', date: '2026-01-05T10:00:00Z' }, articleHtml(900, 'kk', random));
}

