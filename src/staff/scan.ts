/** Find article files under content/ by id or original URL, through content/'s article index. */
import { relative } from 'node:path';
import { readArticleIndex } from '../content/index.ts';
import { projectPaths } from '../core/project.ts';
import { TakedownIndex } from '../core/takedowns.ts';

export interface ArticleEntry {
  /** Path relative to the project root, e.g. content/steppe-herald/2026/01/slug.md. */
  path: string;
  id: string;
  url: string;
  outlet: string;
  title: string;
}

/** Every article file with a valid front matter (through content/'s index), with its id, url, outlet and title. */
export async function scanArticles(root: string): Promise<ArticleEntry[]> {
  const root_ = projectPaths(root).root;
  return [...(await readArticleIndex(root)).entries()].map(([id, entry]) => ({
    path: relative(root_, entry.path),
    id,
    url: entry.frontMatter.url ?? '',
    outlet: entry.frontMatter.outlet,
    title: entry.frontMatter.title,
  }));
}

/** The articles a takedown target names: an exact id, or an original URL (the rule ingest and render apply). */
export function matchArticles(entries: ArticleEntry[], target: string): ArticleEntry[] {
  const probe = TakedownIndex.forTarget(target);
  return entries.filter((e) => probe.has(e));
}

/** Edit distance, on at most the first 120 characters of each (bounded time on a hostile target). */
export function editDistance(a: string, b: string): number {
  const x = a.slice(0, 120);
  const y = b.slice(0, 120);
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length]!;
}

/** The `count` articles whose id or URL is nearest to `target` (for "did you mean"). */
export function closestArticles(entries: ArticleEntry[], target: string, count = 3): ArticleEntry[] {
  return entries
    .map((entry) => ({ entry, distance: Math.min(editDistance(target, entry.id), entry.url ? editDistance(target, entry.url) : Infinity) }))
    .sort((a, b) => a.distance - b.distance || a.entry.id.localeCompare(b.entry.id))
    .slice(0, count)
    .map((c) => c.entry);
}
