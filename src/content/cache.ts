/**
 * The article index cache, .newsmirror/content-index.jsonl: each file's front matter keyed by
 * its path, size and mtime, so indexing a large archive re-reads only files that changed.
 * JSON lines (core/jsonl.ts): a run with a few new articles appends their lines. Losing or
 * corrupting it only costs time: it is rebuilt from the files.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FrontMatter } from '../core/article.ts';
import { emptyJsonl, parseJsonl, saveJsonl, type JsonlMap } from '../core/jsonl.ts';
import { projectPaths } from '../core/project.ts';

export interface CacheEntry {
  size: number;
  mtimeMs: number;
  /** null: the file is not an article (no or invalid front matter). */
  frontMatter: (FrontMatter & Record<string, unknown>) | null;
}

/** Path relative to content/ → entry. */
export type IndexCache = JsonlMap<CacheEntry>;

/** Version 3 may hold later lines for a key and removals; a file of version 2 (every key once) is read, and written afresh. */
const HEADER = '{"format":"newsmirror-content-index","version":3}';
const OLDER = ['{"format":"newsmirror-content-index","version":2}'];

export function cachePath(root: string): string {
  return join(projectPaths(root).state, 'content-index.jsonl');
}

const isEntry = (value: unknown): value is CacheEntry => {
  const entry = value as CacheEntry | null;
  return typeof entry?.size === 'number' && typeof entry.mtimeMs === 'number' && typeof entry.frontMatter === 'object';
};

/** The cache, or an empty one when it is missing, of another version or damaged in any line. */
export async function loadCache(root: string): Promise<IndexCache> {
  const bytes = await readFile(cachePath(root)).catch(() => undefined);
  return (bytes && parseJsonl(bytes, HEADER, isEntry, OLDER)) || emptyJsonl();
}

export async function saveCache(root: string, cache: IndexCache): Promise<void> {
  await saveJsonl(cachePath(root), HEADER, cache);
  // The one JSON text earlier versions kept.
  await rm(join(projectPaths(root).state, 'content-index.json'), { force: true });
}
