/** Find article files under content/ by id or original URL, through content/'s article index. */
import { relative } from 'node:path';
import { readArticleIndex } from '../content/index.ts';
import { takedownUrlKey } from '../core/config.ts';
import { projectPaths } from '../core/project.ts';

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

/** The articles a takedown target names: an exact id, or an original URL. */
export function matchArticles(entries: ArticleEntry[], target: string): ArticleEntry[] {
  const byId = entries.filter((e) => e.id === target);
  if (byId.length) return byId;
  if (!/^https?:\/\//i.test(target)) return [];
  const wanted = takedownUrlKey(target);
  return entries.filter((e) => e.url && takedownUrlKey(e.url) === wanted);
}
