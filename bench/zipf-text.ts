/**
 * Article text with a realistic vocabulary, for benchmarks whose cost grows with the
 * number of distinct words (the search index). The test generator (tests/render/fixtures.ts)
 * makes words of random syllables: about 240,000 distinct words per 1,000 articles, where
 * real news prose has a few tens of thousands. Here words are drawn from a fixed generated
 * vocabulary of 40,000 with Zipf's law (the r-th most frequent word has weight 1/r), which
 * gives a realistic count of distinct words that grows slowly with the archive. The sentences
 * and paragraphs are the test generator's (articleHtml with this sampler as its words).
 */
import { articleHtml, generatedFrontMatter, makeProject, prng, writeArticle, DEFAULT_OUTLETS, type ProjectOptions } from '../tests/render/fixtures.ts';

const SYLLABLES = 'ра ло ви не ко ст пр ма де ли та но ре го вы за ни ка ро ве по на ми ду ле ся ны ть ет ом ий ая ое ых ов ем ил ал ат ск зн жд щи чу ша'.split(' ');

export const VOCABULARY_SIZE = 40_000;

/** A sampler of words by Zipf's law over a generated vocabulary (deterministic for a seed). */
export function zipfWords(seed = 7, size = VOCABULARY_SIZE): (random: () => number) => string {
  const random = prng(seed);
  const seen = new Set<string>();
  const words: string[] = [];
  while (words.length < size) {
    const w = Array.from({ length: 2 + Math.floor(random() * 3) }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]!).join('');
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  const cdf = new Float64Array(size);
  let sum = 0;
  for (let r = 0; r < size; r++) cdf[r] = sum += 1 / (r + 1);
  return (rnd) => {
    const x = rnd() * sum;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
}

/** A project like makeProject's (same front matter, dates 7 hours apart), bodies in Zipf text. */
export async function makeZipfProject(root: string, options: ProjectOptions): Promise<void> {
  await makeProject(root, { ...options, articles: 0 });
  const outlets = options.outlets ?? DEFAULT_OUTLETS;
  const random = prng(options.seed ?? 42);
  const word = zipfWords();
  for (let i = 0; i < options.articles; i++) {
    const outlet = outlets[i % outlets.length]!;
    await writeArticle(root, generatedFrontMatter(i, outlet, options.lang ?? 'ru', random), articleHtml(options.words ?? 600, 'ru', random, word));
  }
}
