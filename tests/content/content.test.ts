// The article archive on disk: paths, slugs, updates in place, the index, removal.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../../src/core/article.ts';
import { readArticleIndex, removeArticle, slugify, transliterate, writeArticles } from '../../src/content/index.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsmirror-content-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function article(over: Partial<Article> = {}): Article {
  return {
    id: 'steppe/0f3a9c2b7d1e4a56',
    outlet: 'steppe',
    title: 'Жаңаөзен: «наразылық» №2',
    url: 'https://steppe.example/a',
    date: '2022-01-05T07:45:00Z',
    author: 'Редакция',
    lang: 'kk',
    tags: ['қоғам'],
    summary: 'Қысқаша',
    source: { feed: 'https://steppe.example/rss', guid: 'g1', fetched: '2024-06-01T00:00:00Z' },
    body: '<p>Мәтін</p>',
    ...over,
  };
}
const rel = (paths: string[]) => paths.map((p) => relative(root, p));

describe('slugs', () => {
  it('transliterates Kazakh and Russian letters to ASCII', () => {
    expect(transliterate('әғқңөұүһі')).toBe('agqnouuhi');
    expect(transliterate('Щука съела ёжика, Юля')).toBe('shchuka sela ezhika, iulia');
    expect(slugify('Жаңаөзен: «наразылық» №2', 'article-x')).toBe('zhanaozen-narazylyq-no2');
    expect(slugify('../../etc/passwd', 'article-x')).toBe('etc-passwd');
  });

  it('never gives ".", "..", a reserved name or more than 80 characters', () => {
    expect(slugify('..', 'article-0f3a9c2b')).toBe('article-0f3a9c2b');
    expect(slugify('🗞️', 'article-0f3a9c2b')).toBe('article-0f3a9c2b');
    expect(slugify('CON', 'article-0f3a9c2b')).toBe('con-0f3a9c2b');
    expect(slugify('index', 'article-0f3a9c2b')).toBe('index-0f3a9c2b');
    const long = slugify('очень длинный заголовок '.repeat(40), 'article-x');
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(/^ochen-dlinnyi-zagolovok(-[a-z]+)+$/);
  });
});

describe('writeArticles', () => {
  it('writes content/<outlet>/<yyyy>/<mm>/<slug>.md with front matter and a body hash', async () => {
    const result = await writeArticles(root, [article()]);
    expect({ ...result, paths: rel(result.paths) }).toEqual({ new: 1, updated: 0, unchanged: 0, paths: ['content/steppe/2022/01/zhanaozen-narazylyq-no2.md'] });
    expect(await readFile(join(root, 'content/steppe/2022/01/zhanaozen-narazylyq-no2.md'), 'utf8')).toBe(
      [
        '---',
        'id: "steppe/0f3a9c2b7d1e4a56"',
        'outlet: "steppe"',
        'title: "Жаңаөзен: «наразылық» №2"',
        'url: "https://steppe.example/a"',
        'date: "2022-01-05T07:45:00Z"',
        'author: "Редакция"',
        'lang: "kk"',
        'tags:',
        '  - "қоғам"',
        'summary: "Қысқаша"',
        'source:',
        '  feed: "https://steppe.example/rss"',
        '  guid: "g1"',
        '  fetched: "2024-06-01T00:00:00Z"',
        `hash: "${createHash('sha256').update('<p>Мәтін</p>').digest('hex')}"`,
        '---',
        '<p>Мәтін</p>',
        '',
      ].join('\n'),
    );
  });

  it('the same title in one month gets a unique name; identical input is unchanged; edits keep the path', async () => {
    const a = article();
    const b = article({ id: 'steppe/1111111111111111', url: 'https://steppe.example/b' });
    const first = await writeArticles(root, [a, b]);
    expect(rel(first.paths)).toEqual(['content/steppe/2022/01/zhanaozen-narazylyq-no2.md', 'content/steppe/2022/01/zhanaozen-narazylyq-no2-111111.md']);
    expect(await writeArticles(root, [a, b])).toEqual({ new: 0, updated: 0, unchanged: 2, paths: [] });
    const edited = await writeArticles(root, [article({ title: 'Басқа тақырып', date: '2022-03-01T00:00:00Z', body: '<p>Жаңа</p>', source: { feed: 'f', fetched: '2024-07-01T00:00:00Z' } })]);
    expect({ ...edited, paths: rel(edited.paths) }).toEqual({ new: 0, updated: 1, unchanged: 0, paths: ['content/steppe/2022/01/zhanaozen-narazylyq-no2.md'] });
    const index = await readArticleIndex(root);
    expect(index.get(a.id)?.frontMatter).toMatchObject({ title: 'Басқа тақырып', updated: '2024-07-01T00:00:00Z' });
  });

  it('an edit keeps the first stand-in date of an article whose feed gives no usable date (regression: each edit moved it to the top)', async () => {
    const first = article({ date: '2024-06-01T00:00:00Z', dateNote: 'future: Mon, 01 Jan 2100 10:00:00 +0000' });
    await writeArticles(root, [first]);
    const later = { date: '2024-06-03T00:00:00Z', source: { feed: 'f', fetched: '2024-06-03T00:00:00Z' } };
    expect((await writeArticles(root, [article({ ...later, dateNote: 'future: Mon, 01 Jan 2100 10:00:00 +0000', body: '<p>Өзгерді</p>' })])).updated).toBe(1);
    const { frontMatter } = (await readArticleIndex(root)).get(first.id)!;
    expect([frontMatter.date, frontMatter.dateNote, frontMatter.updated]).toEqual(['2024-06-01T00:00:00Z', 'future: Mon, 01 Jan 2100 10:00:00 +0000', '2024-06-03T00:00:00Z']);
    // Once the feed gives a real date, that date wins and the note goes.
    await writeArticles(root, [article({ ...later, date: '2024-05-30T08:00:00Z', body: '<p>Тағы</p>' })]);
    const fixed = (await readArticleIndex(root)).get(first.id)!.frontMatter;
    expect([fixed.date, fixed.dateNote]).toEqual(['2024-05-30T08:00:00Z', undefined]);
  });

  it('never writes outside content/<outlet>/ and refuses an outlet that does not match the id', async () => {
    await expect(writeArticles(root, [article({ outlet: '../x', id: '../x/0f3a9c2b7d1e4a56' })])).rejects.toThrow();
    await expect(writeArticles(root, [article({ outlet: 'other' })])).rejects.toThrow('outlet "other" is not a valid outlet id or does not match the id');
  });

  it('does not overwrite a file staff put at the same name', async () => {
    await mkdir(join(root, 'content/steppe/2022/01'), { recursive: true });
    await writeFile(join(root, 'content/steppe/2022/01/zhanaozen-narazylyq-no2.md'), 'notes by staff, no front matter\n');
    const result = await writeArticles(root, [article()]);
    expect(rel(result.paths)).toEqual(['content/steppe/2022/01/zhanaozen-narazylyq-no2-0f3a9c.md']);
    expect(await readFile(join(root, 'content/steppe/2022/01/zhanaozen-narazylyq-no2.md'), 'utf8')).toBe('notes by staff, no front matter\n');
  });
});

describe('readArticleIndex and removeArticle', () => {
  it('indexes valid article files only and removes one by id', async () => {
    await writeArticles(root, [article(), article({ id: 'steppe/2222222222222222', title: 'Other', date: '2021-12-31T23:59:59Z' })]);
    await mkdir(join(root, 'content/_data'), { recursive: true });
    await writeFile(join(root, 'content/_data/not-an-article.md'), '---\nid: "steppe/3"\n---\n');
    await writeFile(join(root, 'content/steppe/broken.md'), '---\ntitle: [unclosed\n---\n');
    const index = await readArticleIndex(root);
    expect([...index.keys()].sort()).toEqual(['steppe/0f3a9c2b7d1e4a56', 'steppe/2222222222222222']);
    expect(relative(root, index.get('steppe/2222222222222222')?.path ?? '')).toBe('content/steppe/2021/12/other.md');
    expect(relative(root, (await removeArticle(root, 'steppe/2222222222222222')) ?? '')).toBe('content/steppe/2021/12/other.md');
    expect(await removeArticle(root, 'steppe/2222222222222222')).toBeUndefined();
    expect([...(await readArticleIndex(root)).keys()]).toEqual(['steppe/0f3a9c2b7d1e4a56']);
  });
});

describe('index cache', () => {
  it('re-reads only changed files, and survives a missing or corrupt cache', async () => {
    // writeArticles records what it writes, so the next index needs no re-parse.
    await writeArticles(root, [article()]);
    const CACHE = join(root, '.newsmirror/content-index.jsonl');
    const cacheLines = async () => (await readFile(CACHE, 'utf8')).split('\n');
    const written = await cacheLines();
    expect(written[0]).toBe('{"format":"newsmirror-content-index","version":3}');
    expect(written.slice(1).filter(Boolean).map((l) => (JSON.parse(l) as [string, { frontMatter: { id: string } }])[1].frontMatter.id)).toEqual(['steppe/0f3a9c2b7d1e4a56']);
    expect(written.at(-1)).toBe('');
    const first = await readArticleIndex(root);
    const path = first.get('steppe/0f3a9c2b7d1e4a56')?.path ?? '';
    expect((await cacheLines()).slice(1).filter(Boolean).map((l) => (JSON.parse(l) as [string])[0])).toEqual([join('steppe', '2022', '01', 'zhanaozen-narazylyq-no2.md')]);
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: "Жаңаөзен: «наразылық» №2"', 'title: "Edited by hand"'));
    expect((await readArticleIndex(root)).get('steppe/0f3a9c2b7d1e4a56')?.frontMatter.title).toBe('Edited by hand');
    // The edit was appended (a later line for a key replaces the earlier one), not the whole file written again.
    const appended = (await cacheLines()).slice(1).filter(Boolean).map((l) => JSON.parse(l) as [string, { frontMatter: { title: string } }]);
    expect(appended.map(([key, entry]) => `${key} ${entry.frontMatter.title}`)).toEqual([`${join('steppe', '2022', '01', 'zhanaozen-narazylyq-no2.md')} Жаңаөзен: «наразылық» №2`, `${join('steppe', '2022', '01', 'zhanaozen-narazylyq-no2.md')} Edited by hand`]);
    // Damaged (a bad line, a cut last line, another format): read as missing, the files are parsed again.
    const good = await readFile(CACHE, 'utf8');
    for (const damaged of [good.replace('"size"', '"size'), good.slice(0, -5), good.replace('"version":3', '"version":1'), '{not json']) {
      await writeFile(CACHE, damaged);
      expect((await readArticleIndex(root)).get('steppe/0f3a9c2b7d1e4a56')?.frontMatter.title).toBe('Edited by hand');
    }
    // The cache as the earlier versions kept it (one JSON text) is removed when the new one is written.
    await writeFile(join(root, '.newsmirror/content-index.json'), '{"version":1,"files":{}}');
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: "Edited by hand"', 'title: "Edited again"'));
    expect((await readArticleIndex(root)).get('steppe/0f3a9c2b7d1e4a56')?.frontMatter.title).toBe('Edited again');
    expect((await readdir(join(root, '.newsmirror'))).filter((n) => n.startsWith('content-index'))).toEqual(['content-index.jsonl']);
    await rm(join(root, '.newsmirror'), { recursive: true });
    expect([...(await readArticleIndex(root)).keys()]).toEqual(['steppe/0f3a9c2b7d1e4a56']);
  });
});
