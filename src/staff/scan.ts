/** Find article files under content/ by id or original URL, by reading their front matter. */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import matter from 'gray-matter';
import { projectPaths } from '../core/project.ts';

export interface ArticleEntry {
  /** Path relative to the project root, e.g. content/steppe-herald/2026/01/slug.md. */
  path: string;
  id: string;
  url: string;
  outlet: string;
  title: string;
}

/** Every article file (content/<outlet>/**.md, not _data/_includes) with its id, url, outlet and title. */
export async function scanArticles(root: string): Promise<ArticleEntry[]> {
  const paths = projectPaths(root);
  const entries: ArticleEntry[] = [];
  let names: string[];
  try {
    names = (await readdir(paths.content, { recursive: true })).map(String);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  for (const name of names.sort()) {
    if (!name.endsWith('.md') || name.startsWith('_') || name.split(/[\\/]/).some((part) => part.startsWith('.'))) continue;
    const abs = join(paths.content, name);
    let data: Record<string, unknown>;
    try {
      data = matter(await readFile(abs, 'utf8')).data as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof data.id !== 'string') continue;
    entries.push({ path: relative(paths.root, abs), id: data.id, url: typeof data.url === 'string' ? data.url : '', outlet: String(data.outlet ?? ''), title: String(data.title ?? '') });
  }
  return entries;
}

/** Comparable form of a URL: no fragment, no trailing slash on the path. */
export function normalizeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    if (u.pathname.length > 1) u.pathname = u.pathname.replace(/\/+$/, '');
    return u.href;
  } catch {
    return url.trim();
  }
}

/** The articles a takedown target names: an exact id, or an original URL. */
export function matchArticles(entries: ArticleEntry[], target: string): ArticleEntry[] {
  const byId = entries.filter((e) => e.id === target);
  if (byId.length) return byId;
  if (!/^https?:\/\//i.test(target)) return [];
  const wanted = normalizeUrl(target);
  return entries.filter((e) => e.url && normalizeUrl(e.url) === wanted);
}
