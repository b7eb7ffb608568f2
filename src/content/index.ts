/**
 * The article archive on disk: content/<outlet>/<yyyy>/<mm>/<slug>.md. Writes are atomic,
 * never delete, never leave content/<outlet>/, and keep an existing article's path forever.
 */
import { statSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { detachedFrontMatter, frontMatterSchema, isoUtc, type Article, type FrontMatter } from '../core/article.ts';
import { NewsmirrorError } from '../core/errors.ts';
import { pathExists, writeFileAtomic } from '../core/fs.ts';
import { projectPaths } from '../core/project.ts';
import { loadCache, saveCache, type IndexCache } from './cache.ts';
import { setEntry } from '../core/jsonl.ts';
import { parseArticle, serializeArticle } from './frontmatter.ts';
import { slugify } from './slug.ts';
import { sha256Hex } from '../core/hash.ts';

export { parseArticle, serializeArticle } from './frontmatter.ts';
export { slugify, transliterate } from './slug.ts';

export interface IndexEntry {
  /** Absolute path of the file. */
  path: string;
  frontMatter: FrontMatter & Record<string, unknown>;
}
/** Article id → its file and front matter. */
export type ArticleIndex = Map<string, IndexEntry>;

export interface WriteResult {
  new: number;
  updated: number;
  unchanged: number;
  /** Absolute paths written (new and updated). */
  paths: string[];
}

async function walk(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if (entry.isFile() && entry.name.endsWith('.md')) out.push(path);
  }
}

/**
 * Every article file under content/ (not _data, _includes or dot folders) with a valid front
 * matter, by id (the first path in sorted order wins a duplicate id). Files unchanged since the
 * last call (same size and mtime) come from the cache in .newsmirror/ instead of being re-parsed.
 */
export async function readArticleIndex(root: string): Promise<ArticleIndex> {
  const contentDir = projectPaths(root).content;
  const files: string[] = [];
  await walk(contentDir, files);
  const cache = await loadCache(root);
  const index: ArticleIndex = new Map();
  const seen = new Set<string>();
  for (const path of files) {
    const key = relative(contentDir, path);
    // Synchronous: ten thousand small stats cost a fraction of as many thread-pool round trips (0.3 s at 10,000).
    const info = statSync(path, { throwIfNoEntry: false });
    if (!info) continue; // removed while we walked
    seen.add(key);
    let entry = cache.entries.get(key);
    if (!entry || entry.size !== info.size || entry.mtimeMs !== info.mtimeMs) {
      const parsed = parseArticle(await readFile(path, 'utf8'));
      entry = { size: info.size, mtimeMs: info.mtimeMs, frontMatter: parsed ? detachedFrontMatter(parsed.frontMatter) : null };
      setEntry(cache, key, entry);
    }
    if (entry.frontMatter && !index.has(entry.frontMatter.id)) index.set(entry.frontMatter.id, { path, frontMatter: entry.frontMatter });
  }
  for (const key of [...cache.entries.keys()].filter((k) => !seen.has(k))) setEntry(cache, key, undefined);
  caches.set(index, { root, cache });
  await saveArticleIndex(index);
  return index;
}

/** The cache behind each index readArticleIndex returned, kept current by writeArticles. */
const caches = new WeakMap<ArticleIndex, { root: string; cache: IndexCache }>();

/** Save the index cache if files were written through this index since it was read (ingest calls this once at the end). */
export async function saveArticleIndex(index: ArticleIndex): Promise<void> {
  const attached = caches.get(index);
  if (!attached) return;
  // Something changed, or the file is of the older version or its last line was cut short (written afresh); an empty index writes no file.
  const { changed, appendable, entries } = attached.cache;
  if (changed.size === 0 && (appendable || entries.size === 0)) return;
  // Best effort: a read-only state folder only makes the next call slower.
  await saveCache(attached.root, attached.cache).catch(() => {});
}

/** Record a file writeArticles just wrote in the cache of `index`. */
async function remember(index: ArticleIndex, root: string, path: string, frontMatter: IndexEntry['frontMatter']): Promise<void> {
  const attached = caches.get(index);
  if (!attached) return;
  const info = statSync(path);
  setEntry(attached.cache, relative(projectPaths(root).content, path), { size: info.size, mtimeMs: info.mtimeMs, frontMatter });
}

export function bodyHash(body: string): string {
  return sha256Hex(body);
}

/** content/<outlet>/<yyyy>/<mm>/<slug>.md for a new article, unique, inside content/<outlet>/ or an error. */
async function newPath(contentDir: string, article: Article, claimed: Set<string>): Promise<string> {
  const outletDir = resolve(contentDir, article.outlet);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(article.outlet) || !article.id.startsWith(`${article.outlet}/`)) {
    throw new NewsmirrorError('ERR_ARTICLE', `article ${article.id}: outlet "${article.outlet}" is not a valid outlet id or does not match the id`);
  }
  const key = article.id.slice(article.outlet.length + 1);
  const dir = join(outletDir, article.date.slice(0, 4), article.date.slice(5, 7));
  const base = slugify(article.title, `article-${key.slice(0, 8)}`);
  for (let n = 0; ; n++) {
    const name = n === 0 ? base : n === 1 ? `${base}-${key.slice(0, 6)}` : `${base}-${key.slice(0, 6)}-${n}`;
    const path = join(dir, `${name}.md`);
    if (!path.startsWith(outletDir + sep)) throw new NewsmirrorError('ERR_ARTICLE', `article ${article.id}: path ${path} would leave ${outletDir}; refused`);
    if (!claimed.has(path) && !(await pathExists(path))) return path;
  }
}

/**
 * Write articles: new ids get a new file; a known id whose body, title or summary changed is
 * rewritten in place with `updated` set (staff fields such as `correction` kept); identical ones
 * are not touched. `index` (from readArticleIndex) is updated as files are written.
 */
export async function writeArticles(root: string, articles: Article[], options: { index?: ArticleIndex } = {}): Promise<WriteResult> {
  const contentDir = projectPaths(root).content;
  const index = options.index ?? (await readArticleIndex(root));
  const claimed = new Set([...index.values()].map((e) => e.path));
  const result: WriteResult = { new: 0, updated: 0, unchanged: 0, paths: [] };
  for (const input of articles) {
    const hash = bodyHash(input.body);
    const article: Article = { ...input, hash };
    frontMatterSchema.parse(article);
    const existing = index.get(article.id);
    if (existing) {
      const old = existing.frontMatter;
      if (old.hash === hash && old.title === article.title && old.summary === article.summary) {
        result.unchanged++;
        continue;
      }
      const since = old.updated ?? old.date;
      const updated = article.updated && article.updated > since ? article.updated : (article.source?.fetched ?? isoUtc(new Date()));
      // A stand-in date (the feed gave none usable: the fetch time, with a note) is when the article was first seen;
      // an edit must not move it to the fetch time of the edit, i.e. back to the top of every list.
      const standIn = article.dateNote !== undefined ? { date: old.date, dateNote: old.dateNote } : {};
      const merged = { ...old, dateNote: undefined, ...article, ...standIn, updated } as Article;
      await writeFileAtomic(existing.path, serializeArticle(merged));
      const { body: _body, ...frontMatter } = merged;
      index.set(article.id, { path: existing.path, frontMatter });
      await remember(index, root, existing.path, frontMatter);
      result.updated++;
      result.paths.push(existing.path);
      continue;
    }
    const path = await newPath(contentDir, article, claimed);
    claimed.add(path);
    await writeFileAtomic(path, serializeArticle(article));
    const { body: _body, ...frontMatter } = article;
    index.set(article.id, { path, frontMatter });
    await remember(index, root, path, frontMatter);
    result.new++;
    result.paths.push(path);
  }
  if (!options.index) await saveArticleIndex(index);
  return result;
}

/** Delete one article's file (for takedowns); the path removed, or undefined if the id is unknown. */
export async function removeArticle(root: string, id: string): Promise<string | undefined> {
  const entry = (await readArticleIndex(root)).get(id);
  if (!entry) return undefined;
  await rm(entry.path, { force: true });
  return entry.path;
}
