/**
 * The guard of every cache: after each kind of change, `run` (the pipeline's
 * real path, with the caches and the previous outputs of the run before) gives
 * exactly the bytes of a clean run on the same inputs in a fresh copy with no
 * cache, no _site/ and no dist/ (only the previous manifest, whose version the
 * next one must exceed): every file of _site/, and dist/manifest.json,
 * manifest.sig, cid.txt, site.car and site.zip.
 *
 * The project is a copy of the package itself, as a user's clone is, so that
 * "a changed layout" edits a template file the site really renders with
 * (content/_includes/style.css, inlined into every page) without touching the
 * package other tests run from.
 */
import { appendFile, cp, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentReporter } from '../../src/core/log.ts';
import type * as Pipeline from '../../src/cli/pipeline.ts';
import type { RunOptions, RunSummary } from '../../src/cli/pipeline.ts';
import { generateKey } from '../../src/seal/index.ts';
import { takedown } from '../../src/staff/takedown.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { articleHtml, generatedFrontMatter, makeProject, prng, writeArticle } from '../render/fixtures.ts';

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));
const OUTLETS = ['steppe-herald', 'alma-daily'];
const DIST = ['manifest.json', 'manifest.sig', 'cid.txt', 'site.car', 'site.zip'];
/** Caches: everything a clean run must do without. */
const CACHES = ['.newsmirror/cache', '.newsmirror/content-index.jsonl'];

let work: string;
let pkg: string;
let keyFile: string;
let server: FeedServer;
let runPipeline: (options: RunOptions) => Promise<RunSummary>;

const health = (status: string) =>
  `${JSON.stringify([{ name: 'web', url: 'https://web.example/', kind: 'dir', status, checked: '2026-01-10T00:00:00Z', version: 1 }], null, 2)}\n`;

async function run(root: string): Promise<RunSummary> {
  const summary = await runPipeline({ root, keyFile, publish: false, env: {}, reporter: silentReporter });
  expect(summary.errors).toEqual([]);
  expect(summary.exit).toBe(0);
  return summary;
}

/** Every file under `dir`, relative paths, sorted. */
async function listing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

/** '' when `a` and `b` hold the same files with the same bytes, else what differs first. */
async function firstDifference(a: string, b: string): Promise<string> {
  const [ours, theirs] = [await listing(join(a, '_site')), await listing(join(b, '_site'))];
  const missing = theirs.find((p) => !ours.includes(p));
  if (missing) return `_site/${missing} is in the clean build only`;
  const extra = ours.find((p) => !theirs.includes(p));
  if (extra) return `_site/${extra} is in the incremental build only`;
  for (const path of [...ours.map((p) => `_site/${p}`), ...DIST.map((p) => `dist/${p}`)]) {
    const [x, y] = [await readFile(join(a, path)), await readFile(join(b, path))];
    if (!x.equals(y)) {
      const at = x.findIndex((byte, i) => byte !== y[i]);
      return `${path} differs (${x.length} vs ${y.length} bytes, first at byte ${at}): …${x.toString('latin1', Math.max(0, at - 60), at + 60)}… vs …${y.toString('latin1', Math.max(0, at - 60), at + 60)}…`;
    }
  }
  return '';
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'nm-incremental-'));
  pkg = join(work, 'newsmirror');
  for (const part of ['src', 'content/_includes', 'content/_pages', '.eleventy.ts', 'package.json', 'tsconfig.json']) await cp(join(PACKAGE, part), join(pkg, part), { recursive: true });
  await symlink(join(PACKAGE, 'node_modules'), join(pkg, 'node_modules'));
  await makeProject(pkg, { articles: 60, outlets: OUTLETS, words: 120, mirrors: { 'web.yaml': 'name: web\ntype: dir\nurl: https://web.example/\npath: .newsmirror/web\n' } });
  // The outlets' feeds answer from 127.0.0.1 (empty, then 304): runs go through ingest as they do in production.
  server = await startFeedServer({ mountFixtures: false });
  for (const id of OUTLETS) server.serve(`/${id}.xml`, `<?xml version="1.0"?><rss version="2.0"><channel><title>${id}</title><link>https://${id}.example/</link><description>-</description></channel></rss>`, { contentType: 'application/rss+xml' });
  await writeFile(join(pkg, 'content/_data/outlets.yaml'), OUTLETS.map((id) => `- id: ${id}\n  name: "${id}"\n  homepage: https://${id}.example/\n  lang: ru\n  feeds: ['${server.url}/${id}.xml']\n`).join(''));
  await mkdir(join(pkg, '.newsmirror'), { recursive: true });
  await writeFile(join(pkg, '.newsmirror/health.json'), health('fresh'));
  keyFile = join(work, 'key.pem');
  await generateKey(keyFile);
  ({ runPipeline } = (await import(join(pkg, 'src/cli/pipeline.ts'))) as typeof Pipeline);
  await run(pkg);
}, 240_000);
afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const random = prng(99);
/** [what changed, the change (made to the project, as its owner would)] */
const changes: [string, () => Promise<unknown>][] = [
  ['new articles', async () => {
    for (let i = 60; i < 63; i++) await writeArticle(pkg, generatedFrontMatter(i, OUTLETS[i % 2]!, 'ru', random), articleHtml(120, 'ru', random));
  }],
  ['an edited article', () => appendFile(join(pkg, 'content/alma-daily/2020/01/0000000000000005.md'), '<p>Поправка редакции.</p>\n')],
  ['a takedown', () => takedown({ root: pkg, target: 'steppe-herald/0000000000000002', reason: 'court order', now: new Date('2026-02-01T00:00:00Z') })],
  ['a changed layout', () => appendFile(join(pkg, 'content/_includes/style.css'), '\n.nm-incremental-test { outline: 1px solid red; }\n')],
  ['a changed site.yaml', async () => writeFile(join(pkg, 'content/_data/site.yaml'), (await readFile(join(pkg, 'content/_data/site.yaml'), 'utf8')).replace('pageSize: 30', 'pageSize: 10'))],
  ['full text searched for the newest month only (site.yaml fullTextSearch)', () => appendFile(join(pkg, 'content/_data/site.yaml'), 'fullTextSearch: month\n')],
  ['a changed mirror list', () => writeFile(join(pkg, 'mirrors/backup.yaml'), 'name: backup\ntype: dir\nurl: https://backup.example/\npath: .newsmirror/backup\n')],
  ['a mirror health change', () => writeFile(join(pkg, '.newsmirror/health.json'), health('down'))],
];

describe('an incremental run equals a clean one byte for byte', () => {
  it.each(changes)('after %s', async (_what, change) => {
    const previousManifest = await readFile(join(pkg, 'dist/manifest.json'));
    const before = await readFile(join(pkg, 'dist/cid.txt'), 'utf8');
    await change();
    await run(pkg);
    // The change shows: a new root CID.
    expect(await readFile(join(pkg, 'dist/cid.txt'), 'utf8')).not.toBe(before);

    // The clean run: the same inputs and state in a fresh folder, no cache, no _site/, no dist/ but the previous manifest.
    const clean = join(work, `clean-${changes.findIndex((c) => c[1] === change)}`);
    await cp(pkg, clean, { recursive: true, filter: (src) => !/\/(src|node_modules|_site|dist)$/.test(src) });
    for (const path of CACHES) await rm(join(clean, path), { recursive: true, force: true });
    await mkdir(join(clean, 'dist'));
    await writeFile(join(clean, 'dist/manifest.json'), previousManifest);
    await run(clean);
    expect(await firstDifference(pkg, clean)).toBe('');
    await rm(clean, { recursive: true, force: true });
  }, 120_000);

  it('a run with nothing new after them rewrites nothing and keeps the CID', async () => {
    const cid = await readFile(join(pkg, 'dist/cid.txt'), 'utf8');
    const summary = await run(pkg);
    expect(summary.reused).toBe(true);
    expect(summary.cid).toBe(cid.trim());
  });

  it('names the first file that differs (the guard can fail)', async () => {
    const other = join(work, 'tampered');
    await cp(pkg, other, { recursive: true, filter: (src) => !/\/(src|node_modules|content|\.newsmirror)$/.test(src) });
    const page = await readFile(join(other, '_site/about.html'));
    page[100] = page[100]! ^ 1;
    await writeFile(join(other, '_site/about.html'), page);
    expect(await firstDifference(pkg, other)).toMatch(/^_site\/about\.html differs \(\d+ vs \d+ bytes, first at byte 100\)/);
    await rm(join(other, '_site/feeds.opml'));
    expect(await firstDifference(pkg, other)).toBe('_site/feeds.opml is in the incremental build only');
    await rm(other, { recursive: true, force: true });
  });
});
