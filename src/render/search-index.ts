/**
 * The search index: Pagefind reads the rendered site (article bodies only, marked
 * `data-pagefind-body`; the outlet as `data-pagefind-filter="outlet"`) and writes
 * pagefind/ into it, before seal, so the index is signed with the rest. Only the
 * files the search page loads are kept (its own script replaces Pagefind's UI):
 * pagefind.js, its worker, the per-language WebAssembly, index, fragments, filters.
 */
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { NewsmirrorError } from '../core/errors.ts';

/** Folder of the index inside the site. */
export const SEARCH_DIR = 'pagefind';

/** Pagefind's ready-made interfaces: not loaded by our search page, so not shipped (≈430 KB a build). */
const UNUSED = /^pagefind-(ui|component-ui|modular-ui|highlight)\.(js|css)$/;

export class SearchIndexError extends NewsmirrorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SEARCH_INDEX', message, options);
  }
}

export interface SearchIndexReport {
  /** Article pages indexed. */
  pages: number;
  /** Languages Pagefind split the index into (e.g. ["en", "kk", "ru"]). */
  languages: string[];
}

/** Index the HTML pages of `siteDir` into `siteDir/pagefind/`. */
export async function indexSite(siteDir: string, signal?: AbortSignal): Promise<SearchIndexReport> {
  signal?.throwIfAborted();
  const pagefind = await import('pagefind');
  try {
    // The article's grey lines (outlet, author and dates, tags, the original link) are not its text: shown in a result, not searched.
    const { index, errors } = await pagefind.createIndex({ keepIndexUrl: true, excludeSelectors: ['article > p.m', 'article > aside.n'] });
    if (!index) throw new SearchIndexError(`Pagefind could not start: ${errors.join('; ')}`);
    const added = await index.addDirectory({ path: siteDir });
    if (added.errors.length) throw new SearchIndexError(`Pagefind could not index ${siteDir}: ${added.errors.join('; ')}`);
    signal?.throwIfAborted();
    const written = await index.writeFiles({ outputPath: join(siteDir, SEARCH_DIR) });
    if (written.errors.length) throw new SearchIndexError(`Pagefind could not write ${join(siteDir, SEARCH_DIR)}: ${written.errors.join('; ')}`);
    const files = await readdir(join(siteDir, SEARCH_DIR));
    await Promise.all(files.filter((f) => UNUSED.test(f)).map((f) => rm(join(siteDir, SEARCH_DIR, f))));
    // page_count above counts every HTML file read; the entry file counts the pages in the index.
    const entry = JSON.parse(await readFile(join(siteDir, SEARCH_DIR, 'pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
    const languages = Object.keys(entry.languages).sort();
    return { pages: languages.reduce((sum, l) => sum + entry.languages[l]!.page_count, 0), languages };
  } catch (error) {
    if (error instanceof SearchIndexError || signal?.aborted) throw error;
    throw new SearchIndexError(`Pagefind failed on ${siteDir}: ${(error as Error).message}`, { cause: error });
  } finally {
    await pagefind.close();
  }
}
