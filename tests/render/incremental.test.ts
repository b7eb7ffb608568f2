/**
 * The incremental render (src/render/plan.ts): after each kind of change, a build that keeps
 * the previous _site/ and its caches gives exactly the bytes of a build from nothing, and
 * renders only what the change touches.
 */
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildReport } from '../../src/render/index.ts';
import { inputFingerprint } from '../../src/build-cache/inputs.ts';
import { fileTree as tree } from '../helpers/tree.ts';
import { articleHtml, generatedFrontMatter, makeProject, prng, writeArticle } from './fixtures.ts';

const tmp: string[] = [];
let root: string;


/** A fresh folder with the inputs of `root` (content, mirrors, health) and nothing else. */
async function copyInputs(): Promise<string> {
  const other = await mkdtemp(join(tmpdir(), 'newsmirror-incr-cold-'));
  tmp.push(other);
  await cp(join(root, 'content'), join(other, 'content'), { recursive: true });
  await cp(join(root, 'mirrors'), join(other, 'mirrors'), { recursive: true });
  await mkdir(join(other, '.newsmirror'), { recursive: true });
  await cp(join(root, '.newsmirror', 'health.json'), join(other, '.newsmirror', 'health.json'));
  return other;
}

/** The same inputs built from nothing, in a fresh folder: its _site/ tree. */
async function cold(): Promise<Map<string, string>> {
  const other = await copyInputs();
  const report = await build({ root: other });
  expect(report.kept).toEqual({ articles: 0, listings: 0 });
  return tree(join(other, '_site'));
}

/** Build `root` incrementally and check it against a cold build, naming the first file that differs. */
async function sameAsCold(options: { inputStats?: ReadonlyMap<string, string> } = {}): Promise<BuildReport> {
  const report = await build({ root, ...options });
  const [incremental, full] = [await tree(join(root, '_site')), await cold()];
  const differ = [...new Set([...incremental.keys(), ...full.keys()])].filter((p) => incremental.get(p) !== full.get(p));
  expect(differ, 'files that differ from a build from nothing').toEqual([]);
  return report;
}

const random = prng(99);
let next = 1000;
function article(outlet = 'alma-daily') {
  const fm = generatedFrontMatter(next++, outlet, 'ru', random);
  return { fm, body: articleHtml(80, 'ru', random) };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsmirror-incr-'));
  tmp.push(root);
  await makeProject(root, {
    articles: 24,
    words: 80,
    site: { pageSize: 5 },
    mirrors: {
      'a-cdn.yaml': 'name: a-cdn\ntype: dir\nurl: https://cdn.mirror.example/\npath: /srv/www\n',
      'b-ipfs.yaml': 'name: b-ipfs\ntype: ipfs\ngateway: https://gw.example/\n',
    },
  });
  await mkdir(join(root, '.newsmirror'), { recursive: true });
  await writeFile(join(root, '.newsmirror', 'health.json'), JSON.stringify([{ name: 'a-cdn', url: 'https://cdn.mirror.example/', kind: 'dir', status: 'fresh', checked: '2026-01-06T12:00:00Z', version: 7 }]));
  const first = await build({ root });
  expect(first.rendered).toEqual({ articles: 24, listings: 23 });
}, 60_000);

afterAll(async () => {
  for (const dir of tmp) await rm(dir, { recursive: true, force: true });
});

describe('an incremental build equals a build from nothing', () => {
  it('renders nothing again when nothing changed', async () => {
    const report = await build({ root });
    expect(report.rendered).toEqual({ articles: 0, listings: 0 });
    expect(report.kept).toEqual({ articles: 24, listings: 23 });
  });

  it('after a new article: renders its page and the listings and feeds it appears in', async () => {
    const { fm, body } = article();
    await writeArticle(root, fm, body);
    const [folder, keptPage] = [await stat(join(root, '_site')), await stat(join(root, '_site/about.html'))];
    const report = await sameAsCold();
    // Its page; home (5 pages: every entry moves); the outlet's and the month's landing pages; 4 feeds; the title page.
    expect(report.rendered).toEqual({ articles: 1, listings: 12 });
    // Committed in place: the same _site/ folder, nothing left beside it.
    expect((await stat(join(root, '_site'))).ino).toBe(folder.ino);
    expect((await stat(join(root, '_site/about.html'))).ino).not.toBe(keptPage.ino); // about.html is always rendered
    for (const leftover of ['_site.new', '_site.old', '.newsmirror/build-commit.json']) await expect(stat(join(root, leftover))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('after an edited article: renders it and the pages that list it', async () => {
    const { fm, body } = article('kz-voice');
    const path = await writeArticle(root, fm, body);
    await sameAsCold();
    await writeFile(path, (await readFile(path, 'utf8')).replace(fm.title, `${fm.title} (исправлено)`));
    const report = await sameAsCold();
    expect(report.rendered?.articles).toBe(1);
  });

  it('planned with the stat keys the run\'s input fingerprint took (inputStats): an edited and a new article are read, the same bytes; the plan goes by those keys', async () => {
    const edited = article('kz-voice');
    const path = await writeArticle(root, edited.fm, edited.body);
    await sameAsCold();
    await writeFile(path, (await readFile(path, 'utf8')).replace(edited.fm.title, `${edited.fm.title} (исправлено)`));
    const added = article();
    const addedPath = await writeArticle(root, added.fm, added.body);
    const report = await sameAsCold({ inputStats: (await inputFingerprint(root)).stats });
    expect(report.rendered?.articles).toBe(2);
    // Keys that leave the new article out: the plan does not look at content/ itself, so its page is gone; a build that stats again puts it back.
    const { stats } = await inputFingerprint(root);
    const without = new Map([...stats].filter(([abs]) => abs !== addedPath));
    const partial = await build({ root, inputStats: without });
    expect(partial.articles).toBe(report.articles - 1);
    const page = join(root, '_site', relative(join(root, 'content'), addedPath).replace(/\.md$/, '.html'));
    await expect(stat(page)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await sameAsCold()).articles).toBe(report.articles);
    await stat(page);
  });

  it('after a takedown of the newest article, with the feed body cache gone (kept entries\' bodies rendered from their files)', async () => {
    const { fm, body } = article();
    await writeArticle(root, fm, body);
    await sameAsCold();
    await writeFile(join(root, 'content', '_data', 'takedowns.yaml'), `- id: ${fm.id}\n  time: 2026-02-01T00:00:00Z\n  reason: source safety\n`);
    await rm(join(root, '.newsmirror', 'cache', 'render', 'bodies.json'));
    const report = await sameAsCold();
    expect(report.rendered?.articles).toBe(0);
    await expect(stat(join(root, '_site', fm.outlet, fm.date.slice(0, 4), fm.date.slice(5, 7), `${fm.id.split('/')[1]}.html`))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('after a mirror health change: no article page is rendered again', async () => {
    await writeFile(join(root, '.newsmirror', 'health.json'), JSON.stringify([{ name: 'a-cdn', url: 'https://cdn.mirror.example/', kind: 'dir', status: 'down', checked: '2026-01-07T12:00:00Z' }]));
    const report = await sameAsCold();
    expect(report.rendered).toEqual({ articles: 0, listings: 0 });
  });

  it('after a changed mirror list: every page names the copies, so every page is rendered again', async () => {
    await writeFile(join(root, 'mirrors', 'c-web.yaml'), 'name: c-web\ntype: dir\nurl: https://copy.example/\npath: /srv/copy\n');
    const report = await sameAsCold();
    expect(report.kept).toEqual({ articles: 0, listings: 0 });
  });

  it('after a changed site.yaml', async () => {
    const path = join(root, 'content', '_data', 'site.yaml');
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: "Newsmirror"', 'title: "Зеркало"'));
    const report = await sameAsCold();
    expect(report.kept).toEqual({ articles: 0, listings: 0 });
  });

  it('after the project was copied with its caches (new inodes and times, as a CI cache restore or a fresh checkout gives): nothing is rendered again', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'newsmirror-incr-restored-'));
    tmp.push(copy);
    for (const dir of ['content', 'mirrors', '.newsmirror', '_site']) await cp(join(root, dir), join(copy, dir), { recursive: true });
    const report = await build({ root: copy });
    expect(report.rendered).toEqual({ articles: 0, listings: 0 });
    expect(await tree(join(copy, '_site'))).toEqual(await tree(join(root, '_site')));
    // A page that differs in the copy is still found: by its bytes, not its stat.
    await writeFile(join(copy, '_site', 'steppe-herald', '2020', '01', '0000000000000000.html'), 'tampered');
    expect((await build({ root: copy })).rendered).toEqual({ articles: 1, listings: 0 });
    expect(await tree(join(copy, '_site'))).toEqual(await tree(join(root, '_site')));
  });

  it('after a page of the previous _site/ was changed by hand: that page is rendered again', async () => {
    await writeFile(join(root, '_site', 'steppe-herald', '2020', '01', '0000000000000000.html'), 'tampered');
    await writeFile(join(root, '_site', 'archive', '2020-01-1.html'), 'tampered');
    const report = await sameAsCold();
    expect(report.rendered).toEqual({ articles: 1, listings: 1 });
  });

  it('a first build in batches of article pages (as a large archive is built) gives the same bytes', async () => {
    const other = await copyInputs();
    const report = await build({ root: other, batch: 7 });
    expect(report.rendered?.articles).toBe(28);
    expect(await tree(join(other, '_site'))).toEqual(await tree(join(root, '_site')));
  });

  it('after its caches are deleted: everything is rendered, the same bytes', async () => {
    await rm(join(root, '.newsmirror', 'cache'), { recursive: true, force: true });
    const report = await sameAsCold();
    expect(report.kept).toEqual({ articles: 0, listings: 0 });
  });
});
