/**
 * The article index cache, .newsmirror/content-index.jsonl: each file's front matter keyed by
 * its path, size and mtime, so indexing a large archive re-reads only files that changed.
 * One JSON line per file after a header line, written and read a line at a time: at 100,000
 * articles one JSON text of it was a string of some 200 MB, and building it ran a 1 GB heap
 * out of memory. Losing or corrupting it only costs time: it is rebuilt from the files.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FrontMatter } from '../core/article.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { projectPaths } from '../core/project.ts';

export interface CacheEntry {
  size: number;
  mtimeMs: number;
  /** null: the file is not an article (no or invalid front matter). */
  frontMatter: (FrontMatter & Record<string, unknown>) | null;
}

export interface IndexCache {
  version: 2;
  /** Path relative to content/ → entry. */
  files: Record<string, CacheEntry>;
}

const HEADER = '{"format":"newsmirror-content-index","version":2}';
/** Lines handed to the file at a time. */
const BATCH = 1000;

export function cachePath(root: string): string {
  return join(projectPaths(root).state, 'content-index.jsonl');
}

/** The cache, or an empty one when it is missing, of another version or damaged in any line. */
export async function loadCache(root: string): Promise<IndexCache> {
  const empty: IndexCache = { version: 2, files: {} };
  let bytes: Buffer;
  try {
    bytes = await readFile(cachePath(root));
  } catch {
    return empty;
  }
  // Line by line from the bytes: never one string of the whole file.
  const files: IndexCache['files'] = {};
  let at = bytes.indexOf(10);
  if (at < 0 || bytes.toString('utf8', 0, at) !== HEADER) return empty;
  while (at + 1 < bytes.length) {
    const end = bytes.indexOf(10, at + 1);
    if (end < 0) return empty; // cut short
    try {
      const [path, entry] = JSON.parse(bytes.toString('utf8', at + 1, end)) as [string, CacheEntry];
      if (typeof path !== 'string' || typeof entry?.size !== 'number' || typeof entry.mtimeMs !== 'number' || typeof entry.frontMatter !== 'object') return empty;
      files[path] = entry;
    } catch {
      return empty;
    }
    at = end;
  }
  return { version: 2, files };
}

function* lines(cache: IndexCache): Generator<string> {
  yield `${HEADER}\n`;
  let batch: string[] = [];
  for (const [path, entry] of Object.entries(cache.files)) {
    batch.push(`${JSON.stringify([path, entry])}\n`);
    if (batch.length === BATCH) {
      yield batch.join('');
      batch = [];
    }
  }
  if (batch.length) yield batch.join('');
}

export async function saveCache(root: string, cache: IndexCache): Promise<void> {
  await writeFileAtomic(cachePath(root), lines(cache));
  // The one JSON text earlier versions kept.
  await rm(join(projectPaths(root).state, 'content-index.json'), { force: true });
}
