/**
 * The render records in .newsmirror/cache/render/ that hold an entry per article or page
 * (render/plan.ts): `catalog.jsonl` (each article file's stat key, sha256, checked front matter
 * and photos) and `pages.jsonl` (each page's key, stat key and sha256). JSON lines
 * (core/jsonl.ts): a build with a few new articles appends their lines instead of writing every
 * entry again (114 MB and 28 MB at 100,000 articles). The `catalog.json` and `pages.json` an
 * earlier newsmirror kept are read when there is no JSON lines file yet, and removed by the next save.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FrontMatter } from '../core/article.ts';
import { readJsonFile } from '../core/fs.ts';
import { emptyJsonl, parseJsonl, saveJsonl, type JsonlMap } from '../core/jsonl.ts';

export interface CatalogEntry {
  stat: string;
  sha: string;
  fm: FrontMatter;
  media: string[];
}

export interface PageRecord {
  key: string;
  /** size:mtimeMs:ino of the page in _site/ when it was written. */
  stat: string;
  /** sha256 of the page's bytes: a page whose stat changed (a _site/ restored from a cache or a backup) is kept if they are the same. */
  sha?: string;
}

interface Kind<V> {
  name: string;
  header: string;
  /** The key of the entries in the JSON file an earlier newsmirror kept (`{"format":1,"<key>":{…}}`). */
  legacy: string;
  valid: (value: unknown) => value is V;
}

export const CATALOG: Kind<CatalogEntry> = {
  name: 'catalog',
  header: '{"format":"newsmirror-render-catalog","version":1}',
  legacy: 'files',
  valid: (value): value is CatalogEntry => {
    const entry = value as CatalogEntry | null;
    return typeof entry?.stat === 'string' && typeof entry.sha === 'string' && typeof entry.fm === 'object' && entry.fm !== null && Array.isArray(entry.media);
  },
};

export const PAGES: Kind<PageRecord> = {
  name: 'pages',
  header: '{"format":"newsmirror-render-pages","version":1}',
  legacy: 'pages',
  valid: (value): value is PageRecord => {
    const entry = value as PageRecord | null;
    return typeof entry?.key === 'string' && typeof entry.stat === 'string' && (entry.sha === undefined || typeof entry.sha === 'string');
  },
};

/** The records of `kind` in `dir`, or none when they are missing or damaged. */
export async function loadRecords<V>(dir: string, kind: Kind<V>): Promise<JsonlMap<V>> {
  const bytes = await readFile(join(dir, `${kind.name}.jsonl`)).catch(() => undefined);
  if (bytes) return parseJsonl(bytes, kind.header, kind.valid) ?? emptyJsonl();
  const legacy = await readJsonFile<Record<string, unknown>>(join(dir, `${kind.name}.json`), {});
  const records = emptyJsonl<V>();
  const entries = legacy[kind.legacy];
  if (legacy.format !== 1 || !entries || typeof entries !== 'object') return records;
  for (const [path, entry] of Object.entries(entries)) if (kind.valid(entry)) records.entries.set(path, entry);
  return records;
}

/** Save what changed (all of it when the records came from the older JSON file, which goes). */
export async function saveRecords<V>(dir: string, kind: Kind<V>, records: JsonlMap<V>): Promise<void> {
  await saveJsonl(join(dir, `${kind.name}.jsonl`), kind.header, records);
  await rm(join(dir, `${kind.name}.json`), { force: true });
}
