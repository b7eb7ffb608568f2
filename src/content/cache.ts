/**
 * The article index cache, .newsmirror/content-index.json: each file's front matter keyed by
 * its path, size and mtime, so indexing a large archive re-reads only files that changed.
 * Losing or corrupting it only costs time: it is rebuilt from the files.
 */
import { join } from 'node:path';
import type { FrontMatter } from '../core/article.ts';
import { readJsonFile, writeJsonFile } from '../core/fs.ts';
import { projectPaths } from '../core/project.ts';

export interface CacheEntry {
  size: number;
  mtimeMs: number;
  /** null: the file is not an article (no or invalid front matter). */
  frontMatter: (FrontMatter & Record<string, unknown>) | null;
}

export interface IndexCache {
  version: 1;
  /** Path relative to content/ → entry. */
  files: Record<string, CacheEntry>;
}

export function cachePath(root: string): string {
  return join(projectPaths(root).state, 'content-index.json');
}

export async function loadCache(root: string): Promise<IndexCache> {
  try {
    const cache = await readJsonFile<IndexCache>(cachePath(root), { version: 1, files: {} });
    return cache?.version === 1 && cache.files && typeof cache.files === 'object' ? cache : { version: 1, files: {} };
  } catch {
    return { version: 1, files: {} }; // unreadable: rebuild
  }
}

export async function saveCache(root: string, cache: IndexCache): Promise<void> {
  await writeJsonFile(cachePath(root), cache);
}
