/** Render through Eleventy in memory (renderToJson) and on disk (build): pages, links, languages, lists, takedowns, errors. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontMatter } from '../../src/core/article.ts';
import { renderToJson } from '../../src/render/index.ts';
import { BESIDE_THE_BUILD, makeProject, writeArticle } from './fixtures.ts';

let root: string;
let pages: Map<string, string>;

const kkArticle: FrontMatter = {
  id: 'kz-voice/00000000000000aa',
  outlet: 'kz-voice',
  title: 'Өзен жағасындағы құрылыс тоқтатылды',
  url: 'https://kz-voice.example/news/river',
  date: '2026-01-05T10:00:00Z',
  updated: '2026-01-06T08:30:00Z',
  author: 'Әлия Нұрланқызы',
  lang: 'kk',
  tags: ['құрылыс', 'өзен'],
  summary: 'Қысқаша мазмұны',
  correction: 'Бірінші нұсқада күні қате көрсетілген.',
  source: { feed: 'https://kz-voice.example/rss/', guid: 'river', fetched: '2026-01-06T09:00:00Z' },
};

const takenDown: FrontMatter = {
  id: 'alma-daily/00000000000000bb',
  outlet: 'alma-daily',
  title: 'Secret source story',
  url: 'https://alma-daily.example/news/secret',
  date: '2026-01-04T10:00:00Z',
  author: '',
  lang: 'ru',
  tags: [],
  summary: '',
  source: { feed: 'https://alma-daily.example/rss/', fetched: '2026-01-04T11:00:00Z' },
};

const staff: FrontMatter = {
  id: 'steppe-herald/00000000000000cc',
  outlet: 'steppe-herald',
  title: 'Заметка редакции',
  url: '',
  date: '2026-01-03T10:00:00Z',
  author: 'Редакция',
  lang: 'ru',
  tags: [],
  summary: '',
  dateNote: 'future: 2100-01-01T00:00:00Z',
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'newsmirror-render-'));
  await makeProject(root, { articles: 12, site: { pageSize: 5 }, mirrors: {
    'a-cdn.yaml': 'name: a-cdn\ntype: dir\nurl: https://cdn.mirror.example/\npath: /srv/www\n',
    'b-ipfs.yaml': 'name: b-ipfs\ntype: ipfs\ngateway: https://gw.example/\n',
    'c-onion.yaml': 'name: c-onion\ntype: onion\nserves: a-cdn\nout: /tmp/x\nhostname: abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion\n',
    'd-off.yaml': 'name: d-off\ntype: dir\nurl: https://off.example/\nenabled: false\npath: /srv/off\n',
    'e-local.yaml': 'name: e-local\ntype: dir\nurl: http://127.0.0.1:8080/\npath: .newsmirror/public\n',
  } });
  await mkdir(join(root, '.newsmirror'), { recursive: true });
  await writeFile(join(root, '.newsmirror', 'health.json'), JSON.stringify([
    { name: 'a-cdn', url: 'https://cdn.mirror.example/', kind: 'dir', status: 'fresh', checked: '2026-01-06T12:00:00Z', version: 7 },
    { name: 'b-ipfs', url: 'https://gw.example/ipfs/bafyroot/', kind: 'ipfs', status: 'stale', checked: '2026-01-06T12:00:00Z' },
  ]));
  await writeFile(join(root, 'content', '_data', 'takedowns.yaml'), `- id: ${takenDown.id}\n  time: 2026-01-07T00:00:00Z\n  reason: source safety\n`);
  await writeArticle(root, kkArticle, '<p>Құрылыс жұмыстары сот шешімімен тоқтатылды.</p>\n<p>Тұрғындар наразылық білдірді.</p>');
  await writeArticle(root, takenDown, '<p>Name of the source that must never be published.</p>');
  await writeArticle(root, staff, 'Текст **редакции** с {{ site.title }} и {% raw %}.\n\n<script>alert(1)</script><img src="x" onerror="alert(2)">\n\n[Ссылка](javascript:alert(3))');
  const site = `${join(root, '_site')}/`;
  pages = new Map((await renderToJson(root)).map((p) => [String(p.outputPath).replace(site, ''), p.content]));
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function page(path: string): string {
  const html = pages.get(path);
  if (html === undefined) throw new Error(`no page ${path}; have ${[...pages.keys()].slice(0, 50).join(', ')}`);
  return html;
}

describe('article page', () => {
  it('shows title, outlet, author, dates, tags, correction, original link and mirroring time, in the article language', () => {
    const html = page('kz-voice/2026/01/00000000000000aa.html');
    expect(html.startsWith('<!doctype html><html lang="kk">')).toBe(true);
    expect(html).toContain('<header lang="ru">');
    expect(html).toContain('<h1 dir="auto">Өзен жағасындағы құрылыс тоқтатылды</h1>');
    expect(html).toContain('<p class="m" lang="ru" data-pagefind-meta="lang:kk"><a data-pagefind-filter="outlet" href="../../../kz-voice/index.html">kz voice</a></p>');
    expect(html).toContain('<p class="m" lang="ru">Автор: <span lang="kk">Әлия Нұрланқызы</span> · <time datetime="2026-01-05T10:00:00Z">5 января 2026, 10:00 UTC</time> · обновлено <time datetime="2026-01-06T08:30:00Z">6 января 2026, 08:30 UTC</time></p>');
    expect(html).toContain('<p class="c"><strong lang="ru">Исправление:</strong> Бірінші нұсқада күні қате көрсетілген.</p>');
    expect(html).toContain('<div class="b" dir="auto"><p>Құрылыс жұмыстары сот шешімімен тоқтатылды.</p>');
    expect(html).toContain('<span lang="ru">Теги:</span> құрылыс, өзен');
    expect(html).toContain('<span lang="ru">Оригинал: <a href="https://kz-voice.example/news/river" rel="nofollow noopener noreferrer">https://kz-voice.example/news/river</a></span> · <span lang="ru">скопировано</span> <time datetime="2026-01-06T09:00:00Z">6 января 2026, 09:00 UTC</time>');
  });

  it('says at the top that it is a copy, where the original is, which other copies there are and where to download the site', () => {
    const html = page('kz-voice/2026/01/00000000000000aa.html');
    expect(html).toContain(
      '<h1 dir="auto">Өзен жағасындағы құрылыс тоқтатылды</h1><p class="m" lang="ru">Автор: <span lang="kk">Әлия Нұрланқызы</span> · <time datetime="2026-01-05T10:00:00Z">5 января 2026, 10:00 UTC</time> · обновлено <time datetime="2026-01-06T08:30:00Z">6 января 2026, 08:30 UTC</time></p>' +
        '<aside class="n" lang="ru" aria-label="Об этой копии"><p>Копия статьи издания kz voice. Оригинал может быть заблокирован у вас: <a href="https://kz-voice.example/news/river" rel="nofollow noopener noreferrer">kz-voice.example</a></p>' +
        '<p>Другие копии: <a href="https://cdn.mirror.example/">cdn.mirror.example</a> · <a href="https://gw.example/ipfs/bafyroot/">gw.example/ipfs/bafyroot</a> · <a href="http://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion/">abcdefghijkl….onion (Tor)</a> · <a href="../../../mirrors.html">все копии</a></p>' +
        '<p><a href="../../../site.zip">Скачать весь сайт</a> (zip)</p></aside>',
    );
    // A staff note has no original: the notice says whose it is and goes on.
    expect(page('steppe-herald/2026/01/00000000000000cc.html')).toContain('<aside class="n" aria-label="Об этой копии"><p>Копия статьи издания steppe herald.</p><p>Другие копии:');
  });

  it('has the header navigation in the site language, the current page marked', () => {
    expect(page('kz-voice/2026/01/00000000000000aa.html')).toContain(
      '<header lang="ru"><a class="s" href="../../../index.html">Newsmirror</a><nav aria-label="Сайт"><a href="../../../index.html">Главная</a> <a href="../../../archive/index.html">Архив</a> <a href="../../../search.html">Поиск</a> <a href="../../../mirrors.html">Другие копии</a> <a href="../../../verify.html">Проверка</a> <a href="../../../site.zip">Скачать</a></nav></header>',
    );
    expect(page('mirrors.html')).toContain('<a href="mirrors.html" aria-current="page">Другие копии</a>');
    expect(page('index.html')).toContain('<nav aria-label="Сайт"><a href="index.html" aria-current="page">Главная</a>');
  });

  it('has an inline favicon (no request for /favicon.ico)', () => {
    expect(page('index.html')).toContain('<link rel="icon" href="data:image/svg+xml,<svg xmlns=\'http://www.w3.org/2000/svg\' viewBox=\'0 0 16 16\'>');
  });

  it('carries a CSP that forbids anything remote, no-referrer, inline CSS and no script', () => {
    const html = page('kz-voice/2026/01/00000000000000aa.html');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:; style-src 'sha256-[A-Za-z0-9+/]{43}='; base-uri 'none'; form-action 'none'">/);
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
    expect(html).not.toMatch(/<script|<link rel="stylesheet"|@import|url\(/i);
    expect(html).toContain('prefers-color-scheme:dark');
    expect(html).toContain('@media print');
  });

  it('renders staff Markdown with no template language and sanitizes it again', () => {
    const html = page('steppe-herald/2026/01/00000000000000cc.html');
    expect(html).toContain('<p>Текст <strong>редакции</strong> с {{ site.title }} и {% raw %}.</p>');
    expect(html).not.toMatch(/<script|onerror=|href="javascript:/);
    expect(html).toContain('<p>[Ссылка](javascript:alert(3))</p>');
    expect(html).not.toContain('Оригинал');
    expect(html).toContain('<p class="m">О дате: дата в ленте была в будущем: 2100-01-01T00:00:00Z</p>');
  });
});

describe('takedowns', () => {
  it('never renders a taken-down article, in any page or feed', () => {
    expect([...pages.keys()].some((p) => p.includes('00000000000000bb'))).toBe(false);
    for (const [path, html] of pages) {
      expect(html.includes('Secret source story'), path).toBe(false);
      expect(html.includes('00000000000000bb'), path).toBe(false);
    }
  });

  it('counts the takedown time in build.json', () => {
    expect(page('build.json')).toBe('{"built":"2026-01-07T00:00:00.000Z","articles":14}\n');
  });
});

describe('listings', () => {
  it('paginates home to files and keeps the latest first', () => {
    const home = page('index.html');
    expect(home.startsWith('<!doctype html><html lang="ru">')).toBe(true);
    expect(home.indexOf('00000000000000aa.html')).toBeLessThan(home.indexOf('00000000000000cc.html'));
    expect(home).toContain('<nav class="p" aria-label="страница 1 из 3"><span>страница 1 из 3</span> <a href="page-2.html" rel="next">Старее →</a></nav>');
    expect(page('page-3.html')).toContain('<nav class="p" aria-label="страница 3 из 3"><a href="page-2.html" rel="prev">← Новее</a> <span>страница 3 из 3</span></nav>');
    expect(pages.has('page-4.html')).toBe(false);
  });

  it('gives each outlet paginated pages and the archive month pages', () => {
    expect(page('steppe-herald/index.html')).toContain('<h1 dir="auto">steppe herald</h1>');
    expect(page('steppe-herald/index.html')).toContain(' · 5 статей</p>');
    expect(page('kz-voice/index.html')).toContain(' · 5 статей</p>');
    expect(page('archive/2026-01.html')).toContain('<p class="m">2 статьи</p>');
    expect(page('archive/index.html')).toContain('<li><a href="../archive/2026-01.html">Январь 2026</a> (2)</li>');
    expect(page('archive/index.html')).toContain('<li><a href="../archive/2020-01.html">Январь 2020</a> (12)</li>');
    // Numbered from the oldest (a full page never changes): the landing page holds the newest 7, archive/2020-01-1.html the oldest 5.
    expect(page('archive/2020-01.html')).toContain('<nav class="p" aria-label="страница 2 из 2"><span>страница 2 из 2</span> <a href="../archive/2020-01-1.html" rel="next">Старее →</a></nav>');
    expect(page('archive/2020-01.html').match(/<li>/g)).toHaveLength(7);
    expect(page('archive/2020-01-1.html')).toContain('<nav class="p" aria-label="страница 1"><a href="../archive/2020-01.html" rel="prev">← Новее</a> <span>страница 1</span></nav>');
    expect(page('archive/2020-01-1.html')).not.toContain('статей');
    expect(page('archive/2020-01-1.html')).toContain('<title>Январь 2020 — страница 1 — Newsmirror</title>');
    expect(pages.has('archive/2020-01-2.html')).toBe(false);
  });

  it('sets <html lang> on every page: the site language, or the article\'s own', () => {
    for (const [path, html] of pages) {
      if (!path.endsWith('.html')) continue;
      const lang = path === 'kz-voice/2026/01/00000000000000aa.html' ? 'kk' : 'ru';
      expect(html.startsWith(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8">`), path).toBe(true);
    }
  });

  it('links only to files, relatively (404.html from the root, as servers show it at any depth), and every internal link resolves', () => {
    for (const [path, html] of pages) {
      if (!path.endsWith('.html')) continue;
      for (const [, href] of html.matchAll(/href="([^"]*)"/g)) {
        if (/^(https?|mailto|ipfs|data):/.test(href!)) continue;
        expect(href!.startsWith('/'), `${path}: ${href}`).toBe(path === '404.html');
        const target = decodeURIComponent(new URL(href!, `http://x/${path}`).pathname.slice(1));
        expect(pages.has(target) || BESIDE_THE_BUILD.has(target), `${path} → ${href}`).toBe(true);
      }
    }
  });
});

describe('feeds', () => {
  it('renders site and outlet Atom and RSS feeds and an OPML of them', () => {
    const atom = page('kz-voice/atom.xml');
    expect(atom.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ru" xml:base="../"><title>kz voice — Newsmirror</title>')).toBe(true);
    expect(atom).toContain('<link rel="self" href="kz-voice/atom.xml"/><link rel="alternate" type="text/html" href="kz-voice/index.html"/>');
    expect(atom).toContain('<link rel="alternate" type="text/html" href="kz-voice/2026/01/00000000000000aa.html"/><published>2026-01-05T10:00:00Z</published><updated>2026-01-06T08:30:00Z</updated>');
    expect(atom).toContain('&lt;p&gt;Құрылыс жұмыстары сот шешімімен тоқтатылды.&lt;/p&gt;');
    expect(atom.match(/<entry /g)).toHaveLength(5);
    expect(page('atom.xml').match(/<entry /g)).toHaveLength(14);
    expect(page('rss.xml')).toContain('<pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate>');
    expect(page('feeds.opml')).toContain('<outline type="rss" text="kz voice — Newsmirror" title="kz voice — Newsmirror" xmlUrl="kz-voice/atom.xml" htmlUrl="kz-voice/index.html"/>');
  });

  it('writes feeds a real feed parser reads', async () => {
    const parser = new Parser();
    const atom = await parser.parseString(page('kz-voice/atom.xml'));
    expect(atom.title).toBe('kz voice — Newsmirror');
    expect(atom.items[0]?.title).toBe('Өзен жағасындағы құрылыс тоқтатылды');
    expect(atom.items[0]?.link).toBe('kz-voice/2026/01/00000000000000aa.html');
    const rss = await parser.parseString(page('rss.xml'));
    expect(rss.items).toHaveLength(14);
    expect(rss.items.map((i) => i.guid)).toContain('urn:newsmirror:kz-voice/00000000000000aa');
  });
});

describe('mirror lists', () => {
  it('writes /mirrors.json from the registry and the last health check', () => {
    expect(JSON.parse(page('mirrors.json'))).toEqual({
      mirrors: [
        { name: 'a-cdn', url: 'https://cdn.mirror.example/', kind: 'dir', status: 'fresh', checked: '2026-01-06T12:00:00Z', version: 7 },
        { name: 'b-ipfs', url: 'https://gw.example/ipfs/bafyroot/', kind: 'ipfs', status: 'stale', checked: '2026-01-06T12:00:00Z' },
        { name: 'c-onion', url: 'http://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion/', kind: 'onion', status: 'unknown', checked: null },
        { name: 'e-local', url: 'http://127.0.0.1:8080/', kind: 'dir', status: 'unknown', checked: null },
      ],
    });
  });

  it('writes a Bypass Censorship v2 mirrorSites.json, one site per outlet', () => {
    const sites = JSON.parse(page('mirrorSites.json')) as { version: string; sites: { main_domain: string; available_alternatives: Record<string, string>[] }[] };
    expect(sites.version).toBe('2.0');
    expect(sites.sites.map((s) => s.main_domain)).toEqual(['steppe-herald.example', 'alma-daily.example', 'kz-voice.example']);
    expect(sites.sites[2]!.available_alternatives).toEqual([
      { proto: 'https', type: 'mirror', url: 'https://cdn.mirror.example/kz-voice/index.html', created_at: '2026-01-06T12:00:00Z', updated_at: '2026-01-06T12:00:00Z' },
      { proto: 'tor', type: 'tor', url: 'http://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion/kz-voice/index.html', created_at: '2026-01-07T00:00:00.000Z', updated_at: '2026-01-07T00:00:00.000Z' },
      { proto: 'https', type: 'ipfs', url: 'https://gw.example/ipfs/bafyroot/kz-voice/index.html', created_at: '2026-01-06T12:00:00Z', updated_at: '2026-01-06T12:00:00Z' },
    ]);
  });

  it('lists our copies in every footer (whatever their health), and every copy by how to reach it on the Other copies page; never a loopback address', () => {
    expect(page('about.html')).toContain('<footer><p>Другие копии сайта: <a href="https://cdn.mirror.example/">cdn.mirror.example</a> · <a href="https://gw.example/ipfs/bafyroot/">gw.example/ipfs/bafyroot</a> · <a href="http://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion/">abcdefghijkl….onion (Tor)</a> · <a href="mirrors.html">все копии</a></p>');
    const mirrors = page('mirrors.html');
    expect(mirrors).toContain('<h2>В интернете</h2><ul class="k"><li><a href="https://cdn.mirror.example/">https://cdn.mirror.example/</a><br><span class="m">проверено тогда же: актуально</span></li></ul>');
    expect(mirrors).toContain('<h2>В IPFS</h2>');
    expect(mirrors).toContain('<li><a href="https://gw.example/ipfs/bafyroot/">gw.example</a></li>');
    expect(mirrors).toContain('<h2>Через Tor</h2>');
    expect(mirrors).toContain('<li><a href="http://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion/">http://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion/</a><br><span class="m">ещё не проверялось</span></li>');
    expect(mirrors).not.toContain('off.example');
    for (const [path, html] of pages) if (path.endsWith('.html')) expect(html.includes('127.0.0.1'), path).toBe(false);
    expect(page('mirrorSites.json')).not.toContain('127.0.0.1');
  });
});

describe('about and verify', () => {
  it('says whose reporting this is and how to check a copy', () => {
    expect(page('about.html')).toContain('<li><a href="kz-voice/index.html">kz voice</a> — Оригинал (может быть заблокирован у вас): <a href="https://kz-voice.example/" rel="nofollow noopener noreferrer">https://kz-voice.example/</a></li>');
    expect(page('about.html')).toContain('<a href="verify.html">Проверка подлинности копии</a>');
    expect(page('verify.html')).toContain('Открытый ключ для этого сайта ещё не задан.');
  });
});
