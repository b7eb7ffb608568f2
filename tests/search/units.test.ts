/** Search pieces without a browser: the title index grouping, the search page's CSP, the folders no outlet may take. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RenderedArticle } from '../../src/render/articles.ts';
import type { Entry, ListPage } from '../../src/render/collections.ts';
import { contentSecurityPolicy, loadRenderContext } from '../../src/render/context.ts';
import { searchCsp } from '../../src/render/search-page.ts';
import { titlePages } from '../../src/render/search-titles.ts';
import { makeProject } from '../render/fixtures.ts';

const entry = (outlet: string, id: string): Entry => ({ article: { outlet, id } as RenderedArticle, content: () => '' });
const month = (key: string, entries: Entry[], number = 1): ListPage => ({ kind: 'month', path: `archive/${key}.html`, key, entries, number, count: 2, total: entries.length, prev: null, next: null });

describe('title index', () => {
  it('groups the archive months by outlet: outlets in outlets.yaml order, months newest first, articles in archive order (pages of a month joined)', () => {
    const pages = titlePages(
      [month('2026-02', [entry('b', 'b/1'), entry('a', 'a/2')]), month('2026-02', [entry('a', 'a/3')], 2), month('2026-01', [entry('a', 'a/4'), entry('c', 'c/5')])],
      [{ id: 'a' }, { id: 'b' }, { id: 'empty' }],
    );
    expect(pages.map((p) => [p.path, p.entries.map((e) => e.article.id)])).toEqual([
      ['titles/a/2026-02.html', ['a/2', 'a/3']],
      ['titles/a/2026-01.html', ['a/4']],
      ['titles/b/2026-02.html', ['b/1']],
      ['titles/c/2026-01.html', ['c/5']],
    ]);
  });
});

describe('search page CSP', () => {
  it('adds only its own script, worker, WebAssembly and same-origin fetches to the site CSP', () => {
    const site = contentSecurityPolicy('body{}');
    expect(searchCsp(site)).toBe(site.replace("default-src 'none';", "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self';"));
    expect(site).not.toContain('script-src');
  });
});

describe('reserved folders', () => {
  it('refuses an outlet called "titles" or "pagefind" (regression: it would share a folder with the title index or the search index)', async () => {
    for (const id of ['titles', 'pagefind']) {
      const root = await mkdtemp(join(tmpdir(), 'newsmirror-reserved-'));
      try {
        await makeProject(root, { articles: 0 });
        await writeFile(join(root, 'content/_data/outlets.yaml'), `- id: ${id}\n  name: X\n  homepage: https://x.example/\n  lang: ru\n  feeds: [https://x.example/rss/]\n`);
        await expect(loadRenderContext(root)).rejects.toMatchObject({ code: 'ERR_CONFIG', message: `content/_data/outlets.yaml: outlet id "${id}" is used by the site itself (archive, titles, pagefind); choose another id` });
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    }
  });
});
