/** A small project for the search and verify tests: Russian and Kazakh articles with known words, a site key, built and sealed in a temp folder. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrontMatter } from '../../src/core/article.ts';
import { formatPublicKey } from '../../src/sealed/index.ts';
import { makeProject, writeArticle } from '../render/fixtures.ts';

export interface SearchProject {
  root: string;
  key: KeyObject;
  publicKey: string;
}

function article(outlet: string, n: number, lang: string, title: string, date: string): FrontMatter {
  return {
    id: `${outlet}/${String(n).padStart(16, '0')}`,
    outlet,
    title,
    url: `https://${outlet}.example/news/${n}`,
    date,
    author: '',
    lang,
    tags: [],
    summary: '',
    source: { feed: `https://${outlet}.example/rss/`, fetched: date },
  };
}

/** The articles the search tests look for: a Russian inflected form, a Kazakh word. */
export const KNOWN = {
  /** The body holds «кооперативы» and «кооперативам»; the query is «кооперативов», a form found nowhere. */
  ru: { title: 'Депутаты обсудили бюджет', path: 'steppe-herald/2026/01/0000000000000901.html', word: 'кооперативов', body: '<p>В городе появились новые кооперативы: жители доверяют кооперативам больше, чем банкам.</p>' },
  kk: { title: 'Әкімдік жаңа мектеп ашты', path: 'kz-voice/2026/02/0000000000000902.html', word: 'кітапхана', body: '<p>Ауылдағы мектепте жаңа кітапхана ашылды, оқушылар қуанышты.</p>' },
};

/** With fullTextSearch `month`: an article of 2026-01 (not the newest month) whose third paragraph only the full text would hold. */
export const LEAD = { title: 'Водохранилище у города', path: 'steppe-herald/2026/01/0000000000000903.html', second: 'водохранилище', third: 'метеорологи', body: '<p>В городе обсуждают новое строительство.</p><p>Рядом с городом построят водохранилище.</p><p>Об этом рассказали метеорологи.</p>' };

export async function searchProject(options: { articles?: number; fullTextSearch?: 'all' | 'year' | 'month' } = {}): Promise<SearchProject> {
  const root = await mkdtemp(join(tmpdir(), 'newsmirror-search-'));
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = formatPublicKey(privateKey);
  await makeProject(root, { articles: options.articles ?? 12, words: 80, site: { publicKey, pageSize: 10, ...(options.fullTextSearch ? { fullTextSearch: options.fullTextSearch } : {}) } });
  await writeArticle(root, article('steppe-herald', 901, 'ru', KNOWN.ru.title, '2026-01-10T10:00:00Z'), KNOWN.ru.body);
  await writeArticle(root, article('kz-voice', 902, 'kk', KNOWN.kk.title, '2026-02-11T10:00:00Z'), KNOWN.kk.body);
  if (options.fullTextSearch) await writeArticle(root, article('steppe-herald', 903, 'ru', LEAD.title, '2026-01-12T10:00:00Z'), LEAD.body);
  return { root, key: privateKey, publicKey };
}
