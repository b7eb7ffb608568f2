/**
 * The incremental render: which pages of the site this build must render, and
 * which it keeps from the previous _site/ as they are. Eleventy stays the
 * renderer; it is only given less to do.
 *
 * - Every page has a key: sha256 of the page digest (the renderer's code, the
 *   site settings, outlets, the copies named on every page, the stylesheet) and
 *   of what that page shows: an article page its file's bytes, a listing page or
 *   feed its own entries (front matter and file hash) and position. A page whose
 *   key and file in _site/ are as the last build left them is kept (hard-linked
 *   into the new site); every other page is rendered. Pages that show site-wide
 *   values (home, archive index, about, mirrors, search, build.json, …) are small
 *   and always rendered. A page or article file whose stat changed but whose
 *   bytes did not (a fresh checkout, a project restored from a cache or a backup:
 *   new inodes and times) is recognised by its sha256 and still kept.
 * - Article front matter comes from a catalog (path → size, mtime, inode → sha256
 *   and checked front matter), so an unchanged file is not read again; the
 *   listings are computed from the catalog, never from what Eleventy rendered, so
 *   an incremental build and a full one list the same.
 * - Feed entries need bodies: those of articles not rendered this time come from a
 *   body cache (keyed by page digest and file hash); an article whose body is not
 *   there is rendered again.
 *
 * Everything lives in .newsmirror/cache/render/ and is keyed by content: deleting
 * it costs one full render and gives the same bytes.
 */
import { readFileSync, statSync, mkdirSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import matter from 'gray-matter';
import type { CollectionItem } from '@11ty/eleventy';
import { linkOrCopySync, readJsonFile, statKey, writeJsonFile } from '../core/fs.ts';
import { silentReporter, type Reporter } from '../core/log.ts';
import { createProgress, type Progress } from '../core/progress.ts';
import { projectPaths } from '../core/project.ts';
import { MEDIA_DIR } from '../core/sanitize.ts';
import type { FrontMatter } from '../core/article.ts';
import { cacheDir, codeDigest } from '../build-cache/inputs.ts';
import { createMarkdown, frontMatterOf, isTakenDown, toRenderedArticle, type RenderedArticle } from './articles.ts';
import { indexArticles, type Entry, type SiteIndex } from './collections.ts';
import type { RenderContext } from './context.ts';
import type { RenderJob } from './job.ts';
import { chosenCopies } from './mirrors.ts';
import { CATALOG, loadRecords, PAGES, saveRecords } from './records.ts';
import { isArticlePage } from './search-index.ts';
import { setEntry } from '../core/jsonl.ts';
import { sha256Hex } from '../core/hash.ts';

/** Bump when what the caches hold changes meaning. */
const FORMAT = 1;

const REF = new RegExp(`${MEDIA_DIR}/([0-9a-f]{64}\\.webp)`, 'g');

/** The feed bodies' cache (bodies.json), sorted for stable JSON. */
interface Bodies {
  format: number;
  bodies: Record<string, string>;
}

export interface PlanStats {
  /** Article pages rendered / kept from the previous build. */
  articlesRendered: number;
  articlesKept: number;
  /** Listing pages and feeds rendered / kept. */
  listingsRendered: number;
  listingsKept: number;
  /** Article files read and parsed (not in the catalog or changed). */
  filesRead: number;
}

export interface RenderPlan {
  job: RenderJob;
  /** Article files staged for Eleventy, of all article files. */
  staged(): { articles: number; of: number };
  /**
   * The staged files in Eleventy runs of at most `size` articles: every run but the last renders
   * article pages only (job.phase 'articles'); the last one renders its articles, the other
   * templates and every listing and site page (job.phase 'site'). One run when they fit.
   */
  batches(size: number): string[][];
  /** Archived photos the site's articles use (content/_media/ names), once Eleventy ran. */
  media(): Set<string>;
  /** Root-relative article pages rendered this time, and those that disappeared since the previous site. */
  changedArticles(): Set<string>;
  /** The date (ISO, as in its front matter) of each article page in the site (search-shards.ts splits the newest month by its day, the newest day by it). */
  articleDates(): Map<string, string>;
  /** The dates (`yyyy-mm-dd`) the previous build gave the changed and removed article pages. */
  previousDays(): Set<string>;
  /** Root-relative paths of the pages kept from the previous build, once Eleventy ran. */
  kept(): string[];
  /** Link the pages kept from `previous` into `fresh`. */
  carry(previous: string, fresh: string): Promise<void>;
  /** Remember keys, the catalog and feed bodies for the next build (after `site` holds the new pages). */
  save(site: string): Promise<void>;
  stats(): PlanStats;
}

function sorted<T>(record: Map<string, T>): Record<string, T> {
  return Object.fromEntries([...record].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The digest of everything every page depends on besides its own content. */
export async function pageDigest(ctx: RenderContext): Promise<string> {
  const copies = chosenCopies(ctx.mirrors).map(({ name, kind, url }) => ({ name, kind, url }));
  // fullTextSearch shows on search.html only, which is always rendered: changing it re-renders no article.
  const { fullTextSearch: _search, ...site } = ctx.site;
  const config = { site, lang: ctx.lang, outlets: ctx.outlets, copies, css: ctx.css, csp: ctx.csp, publicKeyPem: ctx.publicKeyPem };
  return sha256Hex(`newsmirror-render/${FORMAT}\n${await codeDigest(ctx.root)}\n${JSON.stringify(config)}`);
}

/** Is this content-relative path a file Eleventy treats as a template: .md and .11ty.js outside _includes/, _data/ and dot folders? */
function isTemplate(rel: string): boolean {
  return (rel.endsWith('.md') || rel.endsWith('.11ty.js')) && !/^(_includes|_data)\//.test(rel) && !rel.split('/').some((part) => part.startsWith('.'));
}

/** content-relative paths of the template files under `contentDir` (isTemplate), sorted. */
async function templateFiles(contentDir: string): Promise<string[]> {
  const entries = await readdir(contentDir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return templateFilesOf(contentDir, entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)));
}

/** The template files among `files` (absolute paths, e.g. the keys of stat keys taken already), as content-relative paths, sorted. */
function templateFilesOf(contentDir: string, files: Iterable<string>): string[] {
  const prefix = contentDir + sep;
  const out: string[] = [];
  for (const abs of files) {
    if (!abs.startsWith(prefix)) continue;
    const rel = abs.slice(prefix.length).split(sep).join('/');
    if (isTemplate(rel)) out.push(rel);
  }
  return out.sort();
}

/** The photos an article file refers to (content/_media/ names). */
function mediaOf(text: string): string[] {
  return [...new Set([...text.matchAll(REF)].map((m) => m[1]!))].sort();
}

/**
 * An article body the way Eleventy renders it (the markdown library .eleventy.ts sets, with the
 * page's data): for a feed entry whose page is kept and whose body is not in the cache.
 */
function renderBody(abs: string, article: RenderedArticle): string {
  const { content } = matter(readFileSync(abs, 'utf8'), {});
  return createMarkdown().render(content, { nm: article });
}

function statOf(path: string): string | undefined {
  const info = statSync(path, { throwIfNoEntry: false });
  return info?.isFile() ? statKey(info) : undefined;
}

/**
 * Plan the build of `root` with `ctx`: which article files Eleventy must read (new or changed
 * files, and pages whose key changed); the rest is known from the catalog and kept.
 */
export async function planRender(root: string, ctx: RenderContext, reporter: Reporter = silentReporter, inputStats?: ReadonlyMap<string, string>): Promise<RenderPlan> {
  const paths = projectPaths(root);
  const dir = join(cacheDir(root), 'render');
  const digest = await pageDigest(ctx);
  const [catalog, pages, bodies] = await Promise.all([
    loadRecords(dir, CATALOG),
    loadRecords(dir, PAGES),
    readJsonFile<Bodies>(join(dir, 'bodies.json'), { format: FORMAT, bodies: {} }),
  ]);
  const oldFiles = catalog.entries;
  const oldPages = pages.entries;
  const oldBodies = bodies.format === FORMAT && bodies.bodies && typeof bodies.bodies === 'object' ? bodies.bodies : {};
  const articleKey = (sha: string) => sha256Hex(`${digest}\narticle\n${sha}`);
  const bodyKey = (sha: string) => sha256Hex(`${digest}\n${sha}`);
  /** Pages whose stat changed but whose bytes are the ones recorded (a restored _site/): their stat key and sha256 now, for save(). */
  const rehashed = new Map<string, { stat: string; sha: string }>();
  const pageChanged = (path: string, key: string) => {
    const old = oldPages.get(path);
    if (!old || old.key !== key) return true;
    const abs = join(paths.site, path);
    const now = statOf(abs);
    if (old.stat === now) return false;
    if (!old.sha || !now) return true;
    const sha = sha256Hex(readFileSync(abs));
    if (sha !== old.sha) return true;
    rehashed.set(path, { stat: now, sha });
    return false;
  };

  /** Article files: known ones (front matter from the catalog) and read ones (front matter from Eleventy). */
  interface Article {
    rel: string;
    path: string;
    stat: string;
    sha: string;
    media: string[];
    /** Known from the catalog (unchanged file); for a read file, set from Eleventy's item. */
    fm?: FrontMatter;
    dirty: boolean;
    /** Rendered by an earlier batch of this build (see RenderPlan.batches). */
    batched?: boolean;
  }
  const others: string[] = [];
  const articles = new Map<string, Article>();
  let filesRead = 0;
  for (const rel of inputStats ? templateFilesOf(paths.content, inputStats.keys()) : await templateFiles(paths.content)) {
    if (!rel.endsWith('.md')) {
      others.push(rel);
      continue;
    }
    const abs = join(paths.content, rel);
    const stat = inputStats ? inputStats.get(abs) : statOf(abs);
    if (stat === undefined) continue;
    const path = rel.replace(/\.md$/, '.html');
    const known = oldFiles.get(rel);
    if (known && known.stat === stat) {
      articles.set(path, { rel, path, stat: known.stat, sha: known.sha, media: known.media, fm: known.fm, dirty: pageChanged(path, articleKey(known.sha)) });
      continue;
    }
    const bytes = readFileSync(abs);
    filesRead++;
    const sha = sha256Hex(bytes);
    // Same bytes under another stat (a fresh checkout, a restored cache): what the catalog knows still holds.
    if (known && known.sha === sha) articles.set(path, { rel, path, stat, sha, media: known.media, fm: known.fm, dirty: pageChanged(path, articleKey(sha)) });
    else articles.set(path, { rel, path, stat, sha, media: mediaOf(bytes.toString('utf8')), dirty: true });
  }

  const staged = [...articles.values()].filter((a) => a.dirty).length;
  // Started at the first page: Eleventy reads every staged file before it renders one, and that is not the rate.
  let progress: Progress | undefined;
  const listingKeys = new Map<string, { key: string; dirty: boolean }>();
  const bodiesNow = new Map<string, string>();
  let index: SiteIndex | undefined;
  let listingsRendered = 0;
  let listingsKept = 0;
  /** Articles in the site (not taken down), with front matter, once the collection ran. */
  const shown: Article[] = [];

  const job: RenderJob = {
    root: paths.root,
    ctx,
    phase: 'site',
    index(items) {
      if (index) return index;
      const byPath = new Map<string, CollectionItem>();
      for (const item of items) {
        const nm = item.data.nm as RenderedArticle | undefined;
        if (nm && typeof nm.path === 'string') byPath.set(nm.path, item);
      }
      if (job.phase === 'articles') {
        // A batch of article pages only (a large first build): remember what Eleventy read; the listings come last.
        for (const [path, item] of byPath) {
          const a = articles.get(path);
          if (a) a.fm = frontMatterOf(item.data.nm as RenderedArticle);
          if (a) a.batched = true;
        }
        return indexArticles([], ctx);
      }
      const entries: Entry[] = [];
      for (const a of articles.values()) {
        const item = byPath.get(a.path);
        if (item) a.fm = frontMatterOf(item.data.nm as RenderedArticle);
        // A read file Eleventy dropped is taken down; a known one is checked here the same way.
        if (!a.fm || (!item && !a.batched && isTakenDown(ctx, a.fm))) continue;
        if (!item && a.dirty && !a.batched) throw new Error(`render: ${a.rel} was staged but Eleventy rendered no page for it`);
        shown.push(a);
        const article = item ? (item.data.nm as RenderedArticle) : toRenderedArticle(a.fm, a.path, ctx);
        const key = bodyKey(a.sha);
        entries.push({
          article,
          sha: a.sha,
          content: () => {
            let body = bodiesNow.get(key);
            if (body === undefined) {
              body = item ? item.templateContent : (oldBodies[key] ?? renderBody(join(paths.content, a.rel), article));
              bodiesNow.set(key, body);
            }
            return body;
          },
        });
      }
      index = indexArticles(entries, ctx);
      return index;
    },
    wants(path, item) {
      const known = listingKeys.get(path);
      if (known) return known.dirty;
      // Home pages also say whether the archive holds more than they show.
      const extra = (item as { kind?: unknown }).kind === 'home' ? `\n${index?.articles}` : '';
      // An entry stands for its article: file hash and page (the front matter is the file's, its outlet name in the digest).
      const shown = JSON.stringify(item, (_, value: unknown) => (value && typeof value === 'object' && 'sha' in value && 'article' in value ? `${(value as Entry).sha}@${(value as Entry).article.path}` : value));
      const key = sha256Hex(`${digest}\nlisting\n${shown}${extra}`);
      const dirty = pageChanged(path, key);
      listingKeys.set(path, { key, dirty });
      if (dirty) listingsRendered++;
      else listingsKept++;
      return dirty;
    },
    articleRendered: () => (progress ??= createProgress(reporter, 'build: rendered', staged, { unit: 'article pages' })).tick(),
  };

  const inputs = [...others, ...[...articles.values()].filter((a) => a.dirty).map((a) => a.rel)].sort();
  const dirtyFiles = [...articles.values()].filter((a) => a.dirty).map((a) => a.rel);
  const stats = (): PlanStats => ({
    articlesRendered: shown.filter((a) => a.dirty).length,
    articlesKept: shown.filter((a) => !a.dirty).length,
    listingsRendered,
    listingsKept,
    filesRead,
  });
  const changedArticles = (): Set<string> => {
    const changed = new Set(shown.filter((a) => a.dirty).map((a) => a.path));
    const now = new Set(shown.map((a) => a.path));
    for (const path of oldPages.keys()) if (isArticlePage(path) && !now.has(path)) changed.add(path);
    return changed;
  };
  const kept = (): string[] => [...shown.filter((a) => !a.dirty).map((a) => a.path), ...[...listingKeys].filter(([, l]) => !l.dirty).map(([path]) => path)];
  return {
    job,
    staged: () => ({ articles: inputs.length - others.length, of: articles.size }),
    batches(size) {
      const chunks: string[][] = [];
      for (let i = 0; i < dirtyFiles.length; i += size) chunks.push(dirtyFiles.slice(i, i + size));
      const last = chunks.pop() ?? [];
      return [...chunks, [...others, ...last].sort()];
    },
    media() {
      return new Set(shown.flatMap((a) => a.media));
    },
    changedArticles,
    articleDates() {
      return new Map(shown.map((a) => [a.path, a.fm!.date]));
    },
    previousDays() {
      const days = new Set<string>();
      for (const path of changedArticles()) {
        const date = oldFiles.get(path.replace(/\.html$/, '.md'))?.fm?.date;
        if (typeof date === 'string') days.add(date.slice(0, 10));
      }
      return days;
    },
    kept,
    async carry(previous, fresh) {
      for (const path of kept()) linkOrCopySync(join(previous, path), join(fresh, path));
    },
    async save(site) {
      // A kept page is the previous file (same inode, size and mtime), so its record is the one planning checked
      // (a file changed since gets another stat key, and the next build reads it again); a rendered one is read once.
      // Only records that change are saved (appended), and those of pages the site no longer has are dropped.
      const present = new Set<string>();
      const record = (path: string, key: string, dirty: boolean) => {
        present.add(path);
        const old = oldPages.get(path);
        const kept = dirty ? undefined : (rehashed.get(path) ?? (old?.stat && old.sha ? { stat: old.stat, sha: old.sha } : undefined));
        if (kept) {
          if (old?.key !== key || old.stat !== kept.stat || old.sha !== kept.sha) setEntry(pages, path, { key, ...kept });
          return;
        }
        const abs = join(site, path);
        const stat = statOf(abs);
        setEntry(pages, path, stat ? { key, stat, sha: sha256Hex(readFileSync(abs)) } : undefined);
      };
      for (const a of shown) record(a.path, articleKey(a.sha), a.dirty);
      for (const [path, l] of listingKeys) record(path, l.key, l.dirty);
      for (const path of [...pages.entries.keys()].filter((path) => !present.has(path))) setEntry(pages, path, undefined);
      // The catalog changes where a file was read, moved to another stat or gone (front matter compared only where Eleventy gave it anew).
      const listed = new Set<string>();
      for (const a of articles.values()) {
        if (!a.fm) continue;
        listed.add(a.rel);
        const old = catalog.entries.get(a.rel);
        const same = old && old.stat === a.stat && old.sha === a.sha && old.media.join() === a.media.join() && (old.fm === a.fm || JSON.stringify(old.fm) === JSON.stringify(a.fm));
        if (!same) setEntry(catalog, a.rel, { stat: a.stat, sha: a.sha, fm: a.fm, media: a.media });
      }
      for (const rel of [...catalog.entries.keys()].filter((rel) => !listed.has(rel))) setEntry(catalog, rel, undefined);
      const nextBodies = new Map<string, string>();
      for (const feed of index?.feeds ?? []) for (const entry of feed.entries) nextBodies.set(bodyKey(entry.sha!), entry.content());
      await rm(join(dir, 'input'), { recursive: true, force: true });
      await saveRecords(dir, CATALOG, catalog);
      await saveRecords(dir, PAGES, pages);
      await writeJsonFile(join(dir, 'bodies.json'), { format: FORMAT, bodies: sorted(nextBodies) });
    },
    stats,
  };
}

/** The staging folder Eleventy reads: hard links of the template files to render, in their content/ places. */
export async function stageInputs(root: string, inputs: readonly string[]): Promise<string> {
  const staging = join(cacheDir(root), 'render', 'input');
  await rm(staging, { recursive: true, force: true });
  const content = projectPaths(root).content;
  mkdirSync(staging, { recursive: true });
  for (const rel of inputs) linkOrCopySync(join(content, rel), join(staging, rel));
  return staging;
}
