/** The render records (.newsmirror/cache/render/catalog.jsonl and pages.jsonl): appended to by a build with a few changes, read from an earlier newsmirror's catalog.json and pages.json. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/render/index.ts';
import { articleHtml, generatedFrontMatter, makeProject, prng, writeArticle } from './fixtures.ts';

let root: string;
const dir = () => join(root, '.newsmirror/cache/render');
const lines = async (name = 'catalog') => (await readFile(join(dir(), `${name}.jsonl`), 'utf8')).split('\n').filter(Boolean);
const random = prng(7);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsmirror-catalog-'));
  await makeProject(root, { articles: 6, words: 40 });
  await build({ root });
}, 60_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('render catalog', () => {
  it('is written whole by the first build: a header and a line per article file', async () => {
    const all = await lines();
    expect(all[0]).toBe('{"format":"newsmirror-render-catalog","version":1}');
    expect(all.slice(1).map((l) => (JSON.parse(l) as [string])[0]).every((rel) => /^[^/]+\/\d{4}\/\d{2}\/[^/]+\.md$/.test(rel))).toBe(true);
    expect(all.length).toBe(7);
  });

  it('gets one line appended for a new article, and [path] for one removed; nothing when nothing changed', async () => {
    const before = await readFile(join(dir(), 'catalog.jsonl'), 'utf8');
    const pagesBefore = await lines('pages');
    await build({ root });
    expect(await readFile(join(dir(), 'catalog.jsonl'), 'utf8')).toBe(before);
    const path = await writeArticle(root, generatedFrontMatter(500, 'alma-daily', 'ru', random), articleHtml(40, 'ru', random));
    const rel = relative(join(root, 'content'), path);
    const report = await build({ root });
    expect(report.rendered?.articles).toBe(1);
    // pages.jsonl: a line for each page rendered (the article, the listings that show it), none for a kept one.
    const pagesAfter = await lines('pages');
    expect(pagesAfter.slice(0, pagesBefore.length)).toEqual(pagesBefore);
    const appended = pagesAfter.slice(pagesBefore.length).map((l) => (JSON.parse(l) as [string])[0]);
    expect(appended).toHaveLength(1 + report.rendered!.listings);
    expect(appended).toContain(rel.replace(/\.md$/, '.html'));
    const added = await readFile(join(dir(), 'catalog.jsonl'), 'utf8');
    expect(added.startsWith(before)).toBe(true);
    const line = JSON.parse(added.slice(before.length)) as [string, { fm: { id: string } }];
    expect([line[0], line[1].fm.id]).toEqual(['alma-daily/2020/05/00000000000001f4.md', 'alma-daily/00000000000001f4']);
    expect(rel).toBe(line[0]);
    await rm(path);
    await build({ root });
    expect((await readFile(join(dir(), 'catalog.jsonl'), 'utf8')).slice(added.length)).toBe(`${JSON.stringify([rel])}\n`);
  });

  it('are read from the catalog.json and pages.json an earlier newsmirror kept (nothing rendered again), which are replaced by JSON lines written whole', async () => {
    const legacy: Record<string, Record<string, unknown>> = {};
    for (const [name, key] of [['catalog', 'files'], ['pages', 'pages']] as const) {
      const entries: Record<string, unknown> = {};
      for (const [path, entry] of (await lines(name)).slice(1).map((l) => JSON.parse(l) as [string, unknown?])) {
        if (entry === undefined) delete entries[path];
        else entries[path] = entry;
      }
      legacy[name] = entries;
      await writeFile(join(dir(), `${name}.json`), JSON.stringify({ format: 1, [key]: entries }));
      await rm(join(dir(), `${name}.jsonl`));
    }
    const report = await build({ root });
    expect(report.rendered).toEqual({ articles: 0, listings: 0 });
    expect((await readdir(dir())).filter((n) => /^(catalog|pages)\./.test(n)).sort()).toEqual(['catalog.jsonl', 'pages.jsonl']);
    expect((await lines()).slice(1).map((l) => JSON.parse(l) as [string, unknown])).toEqual(Object.entries(legacy.catalog!));
    expect((await lines('pages')).slice(1).map((l) => JSON.parse(l) as [string, unknown])).toEqual(Object.entries(legacy.pages!));
  });
});
