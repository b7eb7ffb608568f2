import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import matter from 'gray-matter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { frontMatterSchema } from '../../src/core/article.ts';
import { loadTakedowns, type Outlet } from '../../src/core/config.ts';
import { scaffoldArticle, writeScaffold } from '../../src/staff/scaffold.ts';
import { TakedownIndex } from '../../src/core/takedowns.ts';
import { appendTakedowns, takedown, undoTakedown } from '../../src/staff/takedown.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'nm-staff-'));
  await mkdir(join(root, 'content', '_data'), { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const outlet: Outlet = { id: 'steppe-herald', name: 'Степной вестник', homepage: 'https://steppe-herald.example/', lang: 'ru', feeds: ['https://steppe-herald.example/rss/'], fulltext: false, enabled: true };

async function article(rel: string, fm: Record<string, unknown>): Promise<void> {
  await mkdir(join(root, rel, '..'), { recursive: true });
  await writeFile(join(root, rel), matter.stringify('<p>body</p>\n', { outlet: 'steppe-herald', title: 'T', date: '2026-01-05T10:00:00Z', lang: 'ru', ...fm }));
}

describe('takedown', () => {
  it('deletes the file found by id and appends a tombstone with id, url, outlet, time and reason', async () => {
    await article('content/steppe-herald/2026/01/port-strike.md', { id: 'steppe-herald/0f3a9c2b7d1e4a56', url: 'https://steppe-herald.example/news/port-strike' });
    await article('content/steppe-herald/2026/01/other.md', { id: 'steppe-herald/1111111111111111', url: 'https://steppe-herald.example/news/other' });
    const result = await takedown({ root, target: 'steppe-herald/0f3a9c2b7d1e4a56', reason: 'source safety', now: new Date('2026-02-01T12:00:00Z') });
    expect(result).toEqual({
      added: [{ id: 'steppe-herald/0f3a9c2b7d1e4a56', url: 'https://steppe-herald.example/news/port-strike', outlet: 'steppe-herald', time: '2026-02-01T12:00:00.000Z', reason: 'source safety' }],
      removed: ['content/steppe-herald/2026/01/port-strike.md'],
      already: false,
    });
    await expect(readFile(join(root, 'content/steppe-herald/2026/01/port-strike.md'))).rejects.toMatchObject({ code: 'ENOENT' });
    await readFile(join(root, 'content/steppe-herald/2026/01/other.md'));
    expect(await readFile(join(root, 'content/_data/takedowns.yaml'), 'utf8')).toBe(
      `# Takedowns: articles removed from the mirror, never rendered, never ingested again.
# Appended by \`newsmirror takedown\`; keep it: it is the audit log of every removal.

- id: steppe-herald/0f3a9c2b7d1e4a56
  url: https://steppe-herald.example/news/port-strike
  outlet: steppe-herald
  time: 2026-02-01T12:00:00.000Z
  reason: source safety
`,
    );
    expect(await loadTakedowns(root)).toHaveLength(1);
  });

  it('finds an article by its original URL (trailing slash and fragment ignored), keeps earlier entries and comments', async () => {
    await writeFile(join(root, 'content/_data/takedowns.yaml'), '# audit log\n- id: a/b\n  time: 2026-01-01T00:00:00Z\n  reason: old\n');
    await article('content/steppe-herald/2026/01/x.md', { id: 'steppe-herald/2222222222222222', url: 'https://steppe-herald.example/news/x' });
    const result = await takedown({ root, target: 'https://steppe-herald.example/news/x/#top', reason: 'legal threat', now: new Date('2026-02-01T12:00:00Z') });
    expect(result.removed).toEqual(['content/steppe-herald/2026/01/x.md']);
    expect((await loadTakedowns(root)).map((t) => [t.id, t.reason])).toEqual([
      ['a/b', 'old'],
      ['steppe-herald/2222222222222222', 'legal threat'],
    ]);
    expect(await readFile(join(root, 'content/_data/takedowns.yaml'), 'utf8')).toMatch(/^# audit log\n- id: a\/b\n/);
  });

  it('tombstones an id or URL not mirrored yet only with ahead, does nothing twice, and refuses a bare word', async () => {
    const first = await takedown({ root, target: 'https://steppe-herald.example/news/later', reason: 'embargo', ahead: true, now: new Date('2026-02-01T12:00:00Z') });
    expect(first).toEqual({ added: [{ id: 'https://steppe-herald.example/news/later', url: 'https://steppe-herald.example/news/later', time: '2026-02-01T12:00:00.000Z', reason: 'embargo' }], removed: [], already: false });
    const again = await takedown({ root, target: 'https://steppe-herald.example/news/later', reason: 'embargo' });
    expect(again).toEqual({ added: [], removed: [], already: true });
    await expect(takedown({ root, target: 'port-strike', reason: 'x', ahead: true })).rejects.toThrow('no article has the id or URL "port-strike"; give an article id such as');
    await expect(takedown({ root, target: 'a/b', reason: '  ' })).rejects.toThrow('a takedown needs --reason');
  });

  it('takedown of an id that matches nothing is refused without ahead, naming the closest matches (regression: doesnotexist1234 recorded a permanent tombstone)', async () => {
    await article('content/steppe-herald/2026/01/a.md', { id: 'steppe-herald/0f3a9c2b7d1e4a56', url: 'https://steppe-herald.example/news/port-strike' });
    await article('content/steppe-herald/2026/01/b.md', { id: 'steppe-herald/1111111111111111', url: 'https://steppe-herald.example/news/other' });
    const refused = takedown({ root, target: 'steppe-herald/doesnotexist1234', reason: 'x' });
    await expect(refused).rejects.toMatchObject({
      code: 'ERR_NO_MATCH',
      message:
        'no article has the id or URL "steppe-herald/doesnotexist1234"; closest: steppe-herald/1111111111111111 (https://steppe-herald.example/news/other), steppe-herald/0f3a9c2b7d1e4a56 (https://steppe-herald.example/news/port-strike); to tombstone it before it is mirrored, run again with --ahead',
    });
    await expect(readFile(join(root, 'content/_data/takedowns.yaml'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('undo marks the tombstone undone (kept as the audit log); the article is no longer taken down; a second undo is refused', async () => {
    await writeFile(join(root, 'content/_data/takedowns.yaml'), '# audit log\n- id: a/b\n  time: 2026-01-01T00:00:00Z\n  reason: old\n- id: c/d\n  time: 2026-01-02T00:00:00Z\n  reason: kept\n');
    const lifted = await undoTakedown({ root, target: 'a/b', reason: 'court ruling overturned', now: new Date('2026-02-01T12:00:00Z') });
    expect(lifted).toEqual([{ id: 'a/b', time: '2026-01-01T00:00:00Z', reason: 'old', undone: { time: '2026-02-01T12:00:00.000Z', reason: 'court ruling overturned' } }]);
    expect(await readFile(join(root, 'content/_data/takedowns.yaml'), 'utf8')).toBe(
      '# audit log\n- id: a/b\n  time: 2026-01-01T00:00:00Z\n  reason: old\n  undone:\n    time: 2026-02-01T12:00:00.000Z\n    reason: court ruling overturned\n- id: c/d\n  time: 2026-01-02T00:00:00Z\n  reason: kept\n',
    );
    const index = new TakedownIndex(await loadTakedowns(root));
    expect([index.has({ id: 'a/b' }), index.has({ id: 'c/d' }), index.latest]).toEqual([false, true, '2026-02-01T12:00:00.000Z']);
    await expect(undoTakedown({ root, target: 'a/b', reason: 'again' })).rejects.toThrow('no tombstone in force has the id or URL "a/b"; `newsmirror takedown --list` shows them (c/d)');
    // Taken down again after the undo: a new tombstone, the undone one stays.
    const again = await takedown({ root, target: 'a/b', reason: 'new threat', ahead: true, now: new Date('2026-03-01T00:00:00Z') });
    expect(again.added.map((t) => t.id)).toEqual(['a/b']);
    expect((await loadTakedowns(root)).map((t) => [t.id, t.reason, t.undone?.reason])).toEqual([
      ['a/b', 'old', 'court ruling overturned'],
      ['c/d', 'kept', undefined],
      ['a/b', 'new threat', undefined],
    ]);
  });
});

describe('new article scaffold', () => {
  it('names the file after the transliterated title, or article-<id> when nothing is left of it', () => {
    const at = (title: string) => scaffoldArticle({ outlet, title, now: new Date('2026-03-04T05:06:07Z') });
    expect(at('Забастовка в порту: «итоги» дня').path).toBe('content/steppe-herald/2026/03/zabastovka-v-portu-itogi-dnia.md');
    expect(at('Қазақстандағы сайлау — 2026').path).toBe('content/steppe-herald/2026/03/qazaqstandagy-sailau-2026.md');
    const empty = at('«»');
    expect(empty.path).toBe(`content/steppe-herald/2026/03/article-${empty.frontMatter.id.slice('steppe-herald/'.length, 'steppe-herald/'.length + 8)}.md`);
  });

  it('writes valid front matter at content/<outlet>/<yyyy>/<mm>/<slug>.md and never overwrites', async () => {
    const scaffold = scaffoldArticle({ outlet, title: 'Port strike: day two', now: new Date('2026-03-04T05:06:07.891Z'), author: 'Staff' });
    expect(scaffold.path).toBe('content/steppe-herald/2026/03/port-strike-day-two.md');
    expect(await writeScaffold(root, scaffold)).toBe('content/steppe-herald/2026/03/port-strike-day-two.md');
    expect(await writeScaffold(root, scaffold)).toBe('content/steppe-herald/2026/03/port-strike-day-two-2.md');
    const parsed = matter(await readFile(join(root, scaffold.path), 'utf8'));
    expect(frontMatterSchema.parse(parsed.data)).toEqual({
      id: scaffold.frontMatter.id,
      outlet: 'steppe-herald',
      title: 'Port strike: day two',
      url: '',
      date: '2026-03-04T05:06:07Z',
      author: 'Staff',
      lang: 'ru',
      tags: [],
      summary: '',
    });
    expect(scaffold.frontMatter.id).toMatch(/^steppe-herald\/[0-9a-f]{16}$/);
  });
});

describe('appendTakedowns on a file saved with a BOM and CRLF (Notepad)', () => {
  it('keeps the earlier entries and appends, instead of failing to parse the list', () => {
    const existing = '\ufeff# audit\r\n- id: a/b\r\n  time: 2026-01-01T00:00:00Z\r\n  reason: old\r\n';
    const added = { id: 'steppe-herald/0123456789abcdef', outlet: 'steppe-herald', time: '2026-02-01T00:00:00.000Z', reason: 'r: x' };
    expect(appendTakedowns(existing, [added])).toBe(
      '# audit\n- id: a/b\n  time: 2026-01-01T00:00:00Z\n  reason: old\n- id: steppe-herald/0123456789abcdef\n  outlet: steppe-herald\n  time: 2026-02-01T00:00:00.000Z\n  reason: "r: x"\n',
    );
    expect(appendTakedowns('\ufeff- id: a/b\n  time: 2026-01-01T00:00:00Z\n  reason: old\n', [added]).split('\n')[0]).toBe('- id: a/b');
  });
});
