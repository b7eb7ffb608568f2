/**
 * Every interface string comes from the i18n tables (src/render/i18n.ts), complete in kk, ru and en:
 * a site is rendered in each language and every word a reader sees (text, <title>, aria-label)
 * must be a word of that language's table, of the content (titles, names, summaries…) or a
 * technical name. A literal word in a template fails here.
 */
import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import matter from 'gray-matter';
import { afterAll, describe, expect, it } from 'vitest';
import { renderToJson } from '../../src/render/index.ts';
import { STRINGS, type UiLang } from '../../src/render/i18n.ts';
import { DEMO_OUTLETS, demoLang } from '../../src/demo/index.ts';
import { makeProject } from './fixtures.ts';

/** Names that are the same in every language: formats, protocols, file names, the tool. */
const TECHNICAL = new Set(['Atom', 'RSS', 'OPML', 'zip', 'json', 'html', 'xml', 'UTC', 'IPFS', 'Tor', 'CID', 'mirrors', 'mirrorSites', 'site', 'car', 'release', 'index', 'newsmirror', 'npx', 'SHA', 'Ed', 'Brave']);

const WORD = /[\p{L}\p{M}]+/gu;

function words(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') for (const w of value.match(WORD) ?? []) into.add(w.toLowerCase());
  else if (Array.isArray(value)) for (const v of value) words(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) words(v, into);
  return into;
}

/** What a reader sees of a page, minus article bodies and commands/code (content, not interface). */
function visibleText(html: string): string {
  const title = /<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '';
  const labels = [...html.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]);
  const body = html
    .slice(html.indexOf('<body>'))
    .replace(/<div class="b" dir="auto">[\s\S]*?<\/div><p class="m/g, '<p class="m')
    .replace(/<(pre|code)>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<a [^>]*href="(https?|ipfs):[^"]*"[^>]*>[^<]*<\/a>/g, ' ')
    .replace(/<[^>]+>/g, ' ');
  return [title, ...labels, body].join(' ').replace(/&[a-z]+;|&#\d+;/g, ' ');
}

const tmp: string[] = [];
afterAll(async () => {
  for (const dir of tmp) await rm(dir, { recursive: true, force: true });
});

describe('interface strings', () => {
  it('are complete in kk, ru and en: the same keys, no empty string, the same number of forms', () => {
    const shape = (value: unknown): unknown => (Array.isArray(value) ? value.map(shape) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)])) : typeof value === 'string' && value.trim() ? 'text' : 'EMPTY');
    expect(shape(STRINGS.kk)).toEqual(shape(STRINGS.en));
    expect(shape(STRINGS.ru)).toEqual(shape(STRINGS.en));
    expect(JSON.stringify(shape(STRINGS.en))).not.toContain('EMPTY');
  });

  it('are in the language of most of the demo outlets on the demo site (regression: an English interface around Russian and Kazakh articles)', () => {
    expect(DEMO_OUTLETS.map((o) => o.lang)).toEqual(['ru', 'kk', 'ru', 'en']);
    expect(demoLang()).toBe('ru');
  });

  it.each(['kk', 'ru', 'en'] as const)('are the only words of the interface on every page (%s)', async (lang: UiLang) => {
    const root = await mkdtemp(join(tmpdir(), `newsmirror-i18n-${lang}-`));
    tmp.push(root);
    await makeProject(root, {
      articles: 7,
      words: 30,
      lang,
      site: { pageSize: 5, title: 'Newsmirror', description: '' },
      mirrors: {
        'a.yaml': 'name: a\ntype: dir\nurl: https://cdn.mirror.example/\npath: /srv/a\n',
        'b.yaml': 'name: b\ntype: onion\nserves: a\nout: /tmp/x\nhostname: abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion\n',
      },
    });
    const allowed = words(STRINGS[lang], new Set(['newsmirror']));
    for (const t of TECHNICAL) allowed.add(t.toLowerCase());
    const content = join(root, 'content');
    for (const file of (await readdir(content, { recursive: true })).filter((f) => f.endsWith('.md'))) {
      words(matter(await readFile(join(content, file), 'utf8')).data, allowed);
    }
    words((await readFile(join(content, '_data', 'outlets.yaml'), 'utf8')).match(/name: "([^"]*)"/g), allowed);
    const out = `${join(root, '_site')}/`;
    const strays: string[] = [];
    for (const page of await renderToJson(root)) {
      const path = String(page.outputPath).replace(out, '');
      // verify.html and search.html are the pages of branch h11b, checked by its own tests.
      if (!path.endsWith('.html') || path === 'verify.html' || path === 'search.html') continue;
      for (const w of visibleText(page.content).match(WORD) ?? []) if (!allowed.has(w.toLowerCase())) strays.push(`${path}: ${w}`);
    }
    expect([...new Set(strays)]).toEqual([]);
  });
});
