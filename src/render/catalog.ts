/**
 * The render catalog, .newsmirror/cache/render/catalog.jsonl: each article file's stat key,
 * sha256, checked front matter and photos (render/plan.ts). JSON lines (core/jsonl.ts): a build
 * with a few new articles appends their lines instead of writing every entry again (114 MB at
 * 100,000 articles). The catalog.json an earlier newsmirror kept is read when there is no
 * catalog.jsonl yet, and removed by the next save.
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

export type Catalog = JsonlMap<CatalogEntry>;

const HEADER = '{"format":"newsmirror-render-catalog","version":1}';
const FILE = 'catalog.jsonl';
const LEGACY = 'catalog.json';

const isEntry = (value: unknown): value is CatalogEntry => {
  const entry = value as CatalogEntry | null;
  return typeof entry?.stat === 'string' && typeof entry.sha === 'string' && typeof entry.fm === 'object' && entry.fm !== null && Array.isArray(entry.media);
};

/** The catalog in `dir`, or an empty one when it is missing or damaged. */
export async function loadCatalog(dir: string): Promise<Catalog> {
  const bytes = await readFile(join(dir, FILE)).catch(() => undefined);
  if (bytes) return parseJsonl(bytes, HEADER, isEntry) ?? emptyJsonl();
  const legacy = await readJsonFile<{ format?: number; files?: Record<string, unknown> }>(join(dir, LEGACY), {});
  const catalog = emptyJsonl<CatalogEntry>();
  if (legacy.format !== 1 || !legacy.files || typeof legacy.files !== 'object') return catalog;
  for (const [path, entry] of Object.entries(legacy.files)) if (isEntry(entry)) catalog.entries.set(path, entry);
  return catalog;
}

/** Save what changed (the whole catalog when it came from catalog.json, which goes). */
export async function saveCatalog(dir: string, catalog: Catalog): Promise<void> {
  await saveJsonl(join(dir, FILE), HEADER, catalog);
  await rm(join(dir, LEGACY), { force: true });
}
