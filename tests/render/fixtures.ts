/** Generated render projects for tests and the benchmark: site/outlet/mirror config plus N articles as ingest writes them (gray-matter). */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import matter from 'gray-matter';
import type { FrontMatter } from '../../src/core/article.ts';

const WORDS: Record<string, string[]> = {
  ru: 'власть суд выборы город степь журналист закон река школа больница налог дорога газета правительство министр депутат протест свобода слово право жители области районе сообщили однако несколько решение проверка компания строительство вопрос'.split(' '),
  kk: 'үкімет сот сайлау қала дала журналист заң өзен мектеп аурухана салық жол газет министр депутат наразылық бостандық сөз құқық тұрғындар облыс аудан хабарлады алайда шешім тексеру компания құрылыс мәселе'.split(' '),
  en: 'government court election city steppe reporter law river school hospital tax road newspaper minister deputy protest freedom speech right residents region district reported however decision inspection company construction question'.split(' '),
};

/** Syllables for body text: words made of them compress about as badly as real prose (a small word list would flatter the page budget). */
const SYLLABLES: Record<string, string[]> = {
  ru: 'ра ло ви не ко ст пр ма де ли та но ре го вы за ни ка ро ве по на ми ду ле ся ны ть ет ом ий ая ое ых ов ем ил ал ат ск зн жд щи чу ша'.split(' '),
  kk: 'қа ла да ға лы ні ың ең ер ар ан ау ұл үй өз сы ты ме ке бе жа ша та ма на ра са қы ғы ің ды лі рі сі ті бі мі ні ша ау әр ұр үр өт'.split(' '),
  en: 'the an re in er on at en es ti or te st al ar nd to it is ed ou ha ng se he de co ri li ve ma ne me ce ll ch ro us wh pr ly ge'.split(' '),
};

/** A small deterministic PRNG so generated projects are byte-identical between runs. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/**
 * Text of `words` words in sentences and paragraphs, as HTML (<p>…</p>) the way ingest stores bodies.
 * Words are random syllables unless `pick` draws them (bench/zipf-text.ts: a realistic vocabulary).
 */
export function articleHtml(words: number, lang: string, random: () => number, pick?: (random: () => number) => string): string {
  const syllables = SYLLABLES[lang] ?? SYLLABLES.en!;
  const word = pick ? () => pick(random) : () => Array.from({ length: 1 + Math.floor(random() * 4) }, () => syllables[Math.floor(random() * syllables.length)]!).join('');
  const paragraphs: string[] = [];
  let left = words;
  while (left > 0) {
    const n = Math.min(left, 40 + Math.floor(random() * 60));
    left -= n;
    const sentences: string[] = [];
    let sentence: string[] = [];
    for (let i = 0; i < n; i++) {
      sentence.push(word());
      if (sentence.length >= 6 + random() * 12 || i === n - 1) {
        const text = sentence.join(' ');
        sentences.push(`${text.charAt(0).toUpperCase()}${text.slice(1)}${random() < 0.1 ? '?' : '.'}`);
        sentence = [];
      }
    }
    paragraphs.push(`<p>${sentences.join(' ')}</p>`);
  }
  if (paragraphs.length > 1) paragraphs[1] = paragraphs[1]!.replace('</p>', ' <a href="https://source.example/doc" rel="nofollow noopener noreferrer">(документ)</a></p>');
  return paragraphs.join('\n');
}

export interface ProjectOptions {
  articles: number;
  outlets?: string[];
  lang?: 'kk' | 'ru' | 'en';
  /** Words per article body. */
  words?: number;
  site?: Record<string, unknown>;
  seed?: number;
  /** Extra YAML files under mirrors/ (name → text). */
  mirrors?: Record<string, string>;
  /** When the articles are dated (default: 7 hours apart from 2020-01-01). */
  clock?: Clock;
}

/** Article i is dated start + i × stepMs (milliseconds since the epoch; the date is cut to whole seconds). */
export interface Clock {
  start: number;
  stepMs: number;
}

const DEFAULT_CLOCK: Clock = { start: Date.UTC(2020, 0, 1), stepMs: 7 * 3600_000 };

/**
 * The clock of an archive at a real rate (ten outlets, about 300 articles a day): article i is
 * 4.8 minutes after article i − 1, and article `until` (the first one not yet published) is now.
 */
export function realClock(until: number, now = Date.now()): Clock {
  const stepMs = 86_400_000 / 300;
  return { start: Math.floor((now - until * stepMs) / 1000) * 1000, stepMs };
}

/**
 * Files pages link to that the build itself does not write: the offline bundles and release
 * record seal puts beside every published copy, and search.html (the search page of branch h11b).
 */
export const BESIDE_THE_BUILD = new Set(['site.zip', 'site.car', 'release.json']);

export const DEFAULT_OUTLETS = ['steppe-herald', 'alma-daily', 'kz-voice'];

/** Front matter of the i-th generated article (7 hours apart from 2020-01-01 unless `clock` says otherwise). */
export function generatedFrontMatter(i: number, outlet: string, lang: string, random: () => number, clock: Clock = DEFAULT_CLOCK): FrontMatter {
  const date = new Date(Math.floor((clock.start + i * clock.stepMs) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const vocab = WORDS[lang] ?? WORDS.en!;
  const pick = () => vocab[Math.floor(random() * vocab.length)]!;
  return {
    id: `${outlet}/${i.toString(16).padStart(16, '0')}`,
    outlet,
    title: `${pick().replace(/^./, (c) => c.toUpperCase())} ${pick()} ${pick()} ${pick()} ${pick()} №${i}`,
    url: `https://${outlet}.example/news/${i}`,
    date,
    author: `${pick()} ${pick()}`,
    lang,
    tags: [pick(), pick()],
    summary: Array.from({ length: 20 }, pick).join(' '),
    source: { feed: `https://${outlet}.example/rss/`, guid: `https://${outlet}.example/news/${i}`, fetched: date },
  };
}

/** Write one article file where ingest would: content/<outlet>/<yyyy>/<mm>/<slug>.md. */
export async function writeArticle(root: string, fm: FrontMatter, body: string, slug?: string): Promise<string> {
  const path = join(root, 'content', fm.outlet, fm.date.slice(0, 4), fm.date.slice(5, 7), `${slug ?? fm.id.split('/')[1]}.md`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, matter.stringify(`${body}\n`, JSON.parse(JSON.stringify(fm)) as Record<string, unknown>));
  return path;
}

/** A whole project folder: content/_data (site, outlets), mirrors/local.yaml and generated articles. */
export async function makeProject(root: string, options: ProjectOptions): Promise<void> {
  const outlets = options.outlets ?? DEFAULT_OUTLETS;
  const lang = options.lang ?? 'ru';
  const random = prng(options.seed ?? 42);
  await mkdir(join(root, 'content', '_data'), { recursive: true });
  await mkdir(join(root, 'mirrors'), { recursive: true });
  const site = { title: 'Newsmirror', lang, description: 'Зеркало независимых СМИ', pageSize: 30, ...options.site };
  await writeFile(join(root, 'content', '_data', 'site.yaml'), Object.entries(site).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n') + '\n');
  await writeFile(
    join(root, 'content', '_data', 'outlets.yaml'),
    outlets.map((id) => `- id: ${id}\n  name: "${id.replace(/-/g, ' ')}"\n  homepage: https://${id}.example/\n  lang: ${lang}\n  feeds: [https://${id}.example/rss/]\n`).join(''),
  );
  const mirrors = options.mirrors ?? { 'local.yaml': 'name: local\ntype: dir\nurl: http://127.0.0.1:8080/\npath: .newsmirror/public\n' };
  for (const [name, text] of Object.entries(mirrors)) await writeFile(join(root, 'mirrors', name), text);
  const words = options.words ?? 600;
  for (let i = 0; i < options.articles; i++) {
    const outlet = outlets[i % outlets.length]!;
    await writeArticle(root, generatedFrontMatter(i, outlet, lang, random, options.clock), articleHtml(words, lang, random));
  }
}
