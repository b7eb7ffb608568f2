/** The render catalog (.newsmirror/cache/render/catalog.jsonl): appended to by a build with a few changes, read from an earlier newsmirror's catalog.json. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/render/index.ts';
import { articleHtml, generatedFrontMatter, makeProject, prng, writeArticle } from './fixtures.ts';

let root: string;
const dir = () => join(root, '.newsmirror/cache/render');
const lines = async () => (await readFile(join(dir(), 'catalog.jsonl'), 'utf8')).split('\n').filter(Boolean);
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
    await build({ root });
    expect(await readFile(join(dir(), 'catalog.jsonl'), 'utf8')).toBe(before);
    const path = await writeArticle(root, generatedFrontMatter(500, 'alma-daily', 'ru', random), articleHtml(40, 'ru', random));
    const rel = relative(join(root, 'content'), path);
    expect((await build({ root })).rendered?.articles).toBe(1);
    const added = await readFile(join(dir(), 'catalog.jsonl'), 'utf8');
    expect(added.startsWith(before)).toBe(true);
    const line = JSON.parse(added.slice(before.length)) as [string, { fm: { id: string } }];
    expect([line[0], line[1].fm.id]).toEqual(['alma-daily/2020/05/00000000000001f4.md', 'alma-daily/00000000000001f4']);
    expect(rel).toBe(line[0]);
    await rm(path);
    await build({ root });
    expect((await readFile(join(dir(), 'catalog.jsonl'), 'utf8')).slice(added.length)).toBe(`${JSON.stringify([rel])}\n`);
  });

  it('is read from the catalog.json an earlier newsmirror kept (nothing rendered again), which is replaced by catalog.jsonl', async () => {
    const entries = (await lines()).slice(1).map((l) => JSON.parse(l) as [string, unknown?]);
    const files: Record<string, unknown> = {};
    for (const [rel, entry] of entries) {
      if (entry === undefined) delete files[rel];
      else files[rel] = entry;
    }
    await writeFile(join(dir(), 'catalog.json'), JSON.stringify({ format: 1, files }));
    await rm(join(dir(), 'catalog.jsonl'));
    const report = await build({ root });
    expect(report.rendered).toEqual({ articles: 0, listings: 0 });
    expect((await readdir(dir())).filter((n) => n.startsWith('catalog'))).toEqual(['catalog.jsonl']);
    expect((await lines()).slice(1).map((l) => JSON.parse(l) as [string, unknown])).toEqual(Object.entries(files));
  });
});
