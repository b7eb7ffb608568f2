/**
 * build(): renders a project's content/ into _site/ with Eleventy (configured by
 * .eleventy.ts), in this process. Output goes to a fresh folder that replaces
 * _site/ only when complete, so removed or taken-down articles never linger.
 */
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Eleventy, { type JsonPage } from '@11ty/eleventy';
import { register } from 'tsx/esm/api';
import { NewsmirrorError } from '../core/errors.ts';
import { silentReporter, type Reporter } from '../core/log.ts';
import { projectPaths } from '../core/project.ts';
import { MEDIA_DIR } from '../core/sanitize.ts';
import { badDateError, type FrontMatterError } from './articles.ts';
import { linkOrCopySync, pathExists } from '../core/fs.ts';
import { killPoint } from '../core/kill-point.ts';
import { commitSite, recoverSite, siteFiles } from '../build-cache/recover.ts';
import { recoverSeal } from '../seal/commit.ts';
import { loadRenderContext } from './context.ts';
import { setRenderJob } from './job.ts';
import { planRender, stageInputs } from './plan.ts';
import { indexSite, isArticlePage, SEARCH_DIR } from './search-index.ts';

/**
 * Article files one Eleventy run renders at most. A run holds every file it renders in memory;
 * measured on 10,000 articles (render only): one run 1,026 MB peak and 20.4 s, runs of 5,000
 * 698 MB and 17.3 s, runs of 2,500 609 MB and 15.8 s (less garbage to collect, too).
 */
export const RENDER_BATCH = 2000;

export interface BuildOptions {
  /** The project folder holding content/ and mirrors/. */
  root: string;
  /** Article files per Eleventy run (default RENDER_BATCH). */
  batch?: number;
  /**
   * The stat key of every file under content/ (absolute path → statKey) as the caller has just
   * taken them (`run`: its input fingerprint's), so the plan does not list and stat content/
   * again (100,000 stats at 100,000 articles). Default: the plan takes them itself.
   */
  inputStats?: ReadonlyMap<string, string>;
  signal?: AbortSignal;
  reporter?: Reporter;
}

export interface BuildReport {
  articles: number;
  /** Files written into _site/ (pages, feeds, JSON, the search index), photos not included. */
  pages: number;
  /** Archived photos copied into _site/_media/ (the HTML page budget does not include them). */
  images?: { files: number; bytes: number };
  /** Article pages in the search index (pagefind/); 0 when there are no articles. */
  indexed?: number;
  outDir: string;
  /** Pages rendered this time and pages kept from the previous build (see plan.ts). */
  rendered?: { articles: number; listings: number };
  kept?: { articles: number; listings: number };
}

/** Eleventy failed for a reason that is not one of ours (a template bug, the disk). */
export class RenderError extends NewsmirrorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_RENDER', message, options);
  }
}

export const CONFIG_PATH = fileURLToPath(new URL('../../.eleventy.ts', import.meta.url));

/**
 * The Eleventy config compiled with the templates it loads (bin/compile.js bundles
 * .eleventy.ts into .build/render/, the depth of src/render/, so file URLs resolve
 * the same). Used when this module runs compiled and the bundle is newer than
 * .eleventy.ts, content/_includes/ and content/_pages/ (a layout edited since is read
 * as TypeScript): loading the TypeScript through tsx costs about 0.9 s a build.
 */
function compiledConfig(): string | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
  return compiledConfigIsFresh(packageRoot, fileURLToPath(new URL('../.stamp.json', import.meta.url))) ? fileURLToPath(new URL('./eleventy-config.js', import.meta.url)) : undefined;
}

/** Whether the stamp says the bundle was made from the config sources there are now (as many files, none newer). */
export function compiledConfigIsFresh(packageRoot: string, stampFile: string): boolean {
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as { config?: { newest: number; files: number } };
    if (!stamp.config) return false;
    const sources = configSources(packageRoot);
    return sources.length === stamp.config.files && sources.every((file) => statSync(file).mtimeMs <= stamp.config!.newest);
  } catch {
    return false;
  }
}

/** The files the Eleventy config is made of besides src/ (bin/compile.js lists the same). */
function configSources(packageRoot: string): string[] {
  const under = (dir: string) => readdirSync(join(packageRoot, dir), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return [join(packageRoot, '.eleventy.ts'), ...under('content/_includes'), ...under('content/_pages')];
}

let tsxReady: Promise<void> | undefined;
/** A native import(), out of reach of bundlers and test runners that rewrite import(). */
const nativeImport = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

/**
 * Eleventy imports .eleventy.ts with Node's own loader: make sure that loader
 * understands TypeScript, registering tsx only when nothing did yet (the CLI and
 * `node --import tsx` already have; a second loader would transform every module twice).
 */
function ensureTsx(): Promise<void> {
  tsxReady ??= nativeImport(new URL('./i18n.ts', import.meta.url).href).then(
    () => undefined,
    () => {
      register();
    },
  );
  return tsxReady;
}

/** Our own error (a bad front matter, a bad config) found inside Eleventy's wrappers; ours carry a stable ERR_* code. */
function isOurs(value: unknown): value is Error {
  if (value instanceof NewsmirrorError) return true;
  // The config file is loaded by Node's loader, so under a test runner its classes are other copies: match by shape.
  return value instanceof Error && /^ERR_[A-Z_]+$/.test(String((value as Error & { code?: unknown }).code)) && value.name !== 'Error';
}

/** Eleventy checks `date` itself before our preprocessor sees the file: say it the same way we say the rest. */
function eleventyDateError(error: Error, root: string, staging?: string): FrontMatterError | undefined {
  const m = /^Data cascade value for `date` \((.*)\) is invalid for (.+)$/.exec(error.message);
  if (!m) return undefined;
  const abs = resolve(m[2]!);
  const file = staging && abs.startsWith(`${staging}/`) ? `content/${relative(staging, abs).split('\\').join('/')}` : relative(root, abs).split('\\').join('/');
  return badDateError(file, m[1]!, error);
}

export function unwrapEleventyError(error: unknown, root: string, staging?: string): Error {
  let current: unknown = error;
  for (let depth = 0; current && depth < 10; depth++) {
    if (isOurs(current)) return current;
    const dateError = current instanceof Error ? eleventyDateError(current, root, staging) : undefined;
    if (dateError) return dateError;
    const wrapper = current as { originalError?: unknown; cause?: unknown };
    current = wrapper.originalError ?? wrapper.cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RenderError(`Eleventy could not render the site: ${message}`, { cause: error });
}

async function eleventy(input: string, output: string, reporter: Reporter): Promise<Eleventy> {
  const compiled = compiledConfig();
  if (!compiled) await ensureTsx();
  const instance = new Eleventy(input, output, { configPath: compiled ?? CONFIG_PATH, quietMode: true });
  // Eleventy prints "Wrote N files" even when quiet: keep stdout for --json, pass its warnings on.
  const quiet = () => {};
  instance.logger.overrideLogger({ log: quiet, info: quiet, warn: (m) => reporter.warn(`eleventy: ${m}`), error: (m) => reporter.warn(`eleventy: ${m}`) });
  return instance;
}

/** Render in memory (no files written): every output's url, input path and content. For tests and tools. */
export async function renderToJson(root: string): Promise<JsonPage[]> {
  const paths = projectPaths(root);
  try {
    return await (await eleventy(paths.content, paths.site, silentReporter)).toJSON();
  } catch (error) {
    throw unwrapEleventyError(error, paths.root);
  }
}

/** The new site's files (paths relative to it) as the report counts them: pages, and the photos (_media/) apart with their bytes. */
function tally(files: Iterable<string>, fileOf: (rel: string) => string): { pages: number; images: { files: number; bytes: number } } {
  let pages = 0;
  const images = { files: 0, bytes: 0 };
  for (const rel of files) {
    if (rel.startsWith(`${MEDIA_DIR}/`) && !rel.includes('/', MEDIA_DIR.length + 1)) {
      images.files++;
      images.bytes += statSync(fileOf(rel)).size;
    } else pages++;
  }
  return { pages, images };
}

/** Link the archived photos the site uses from content/_media/ into the new site's _media/. */
async function linkMedia(contentDir: string, fresh: string, media: ReadonlySet<string>): Promise<void> {
  for (const name of [...media].sort()) {
    const from = join(contentDir, MEDIA_DIR, name);
    if (await pathExists(from)) linkOrCopySync(from, join(fresh, MEDIA_DIR, name));
  }
}

export async function build(options: BuildOptions): Promise<BuildReport> {
  const { signal, reporter = silentReporter } = options;
  const paths = projectPaths(options.root);
  signal?.throwIfAborted();
  const fresh = `${paths.site}.new`;
  const old = `${paths.site}.old`;
  // A build killed between its two renames left _site.old/ and no _site/: the previous site goes back first.
  await recoverSite(paths.root);
  // A seal killed while moving its committed outputs into place finishes first: some of them are in _site/, which this build replaces.
  await recoverSeal(paths.root);
  await rm(fresh, { recursive: true, force: true });
  const ctx = await loadRenderContext(paths.root);
  reporter.progress('build: planning (which pages changed)');
  const plan = await planRender(paths.root, ctx, reporter, options.inputStats);
  const staged = plan.staged();
  reporter.progress(`build: rendering with Eleventy (${staged.articles} of ${staged.of} article files)`);
  // A large first build goes in batches, so Eleventy never holds every article at once (memory).
  const batches = plan.batches(options.batch ?? RENDER_BATCH);
  for (const [i, files] of batches.entries()) {
    signal?.throwIfAborted();
    const staging = await stageInputs(paths.root, files);
    plan.job.phase = i < batches.length - 1 ? 'articles' : 'site';
    setRenderJob(plan.job);
    try {
      await (await eleventy(staging, fresh, reporter)).write();
    } catch (error) {
      await rm(fresh, { recursive: true, force: true });
      throw unwrapEleventyError(error, paths.root, staging);
    } finally {
      setRenderJob(undefined);
    }
  }
  if (signal?.aborted) {
    await rm(fresh, { recursive: true, force: true });
    signal.throwIfAborted();
  }
  // A build that kept pages of the previous site leaves them where they are and commits in place
  // (build-cache/recover.ts); one that kept none replaces _site/ whole.
  const info = JSON.parse(await readFile(join(fresh, 'build.json'), 'utf8')) as { built: string; articles: number };
  const kept = plan.kept();
  const inPlace = kept.length > 0 && info.articles > 0 && (await pathExists(paths.site));
  const keep = new Set(kept);
  let freshFiles: string[] = [];
  if (inPlace) {
    // Photos the previous site has (the same file: linked from content/_media/) stay; the others are linked in.
    for (const name of [...plan.media()].sort()) {
      const from = join(paths.content, MEDIA_DIR, name);
      const rel = `${MEDIA_DIR}/${name}`;
      const [source, there] = [statSync(from, { throwIfNoEntry: false }), statSync(join(paths.site, rel), { throwIfNoEntry: false })];
      if (!source) continue;
      if (there && there.ino === source.ino && there.dev === source.dev) keep.add(rel);
      else linkOrCopySync(from, join(fresh, rel));
    }
    freshFiles = siteFiles(fresh);
  } else {
    // Pages that did not change: the previous build's files, linked (never rewritten in place).
    await plan.carry(paths.site, fresh);
    await linkMedia(paths.content, fresh, plan.media());
  }
  const inFresh = new Set(freshFiles);
  /** Where a page of the new site is: in _site.new/ if this build wrote it, else (in place) in _site/. */
  const fileOf = (rel: string) => join(inFresh.has(rel) ? fresh : paths.site, rel);
  // The search index, inside the site so seal signs it. With no article marked for it, Pagefind would index listings instead.
  let indexed = 0;
  /** Search shards left where they are in _site/ (a build committed in place). */
  let keptShards: string[] = [];
  if (info.articles > 0) {
    reporter.progress('build: indexing for search with Pagefind');
    try {
      // Shards of the previous index none of whose article pages changed are kept as they are.
      const dates = plan.articleDates();
      const pages = inPlace ? { paths: [...freshFiles, ...keep].filter(isArticlePage), file: fileOf } : undefined;
      const report = await indexSite(fresh, { signal, fullText: ctx.site.fullTextSearch, dayOf: (path) => dates.get(path)?.slice(8, 10), dateOf: (path) => dates.get(path), previous: { dir: paths.site, changed: plan.changedArticles(), days: plan.previousDays() }, ...(pages ? { pages, keepInPlace: true } : {}) });
      indexed = report.pages;
      keptShards = report.kept;
    } catch (error) {
      await rm(fresh, { recursive: true, force: true });
      throw error;
    }
  }
  let pages: number;
  let images: { files: number; bytes: number };
  if (inPlace) {
    // The new site: what this build wrote (its search index too), the pages and photos it kept, and the
    // search shards left in place (pagefind/<key>/); everything else in _site/ goes.
    const freshNow = siteFiles(fresh);
    const shards = new Set(keptShards);
    const inShard = (path: string) => path.startsWith(`${SEARCH_DIR}/`) && shards.has(path.slice(0, path.indexOf('/', SEARCH_DIR.length + 1)));
    const previous = siteFiles(paths.site);
    const now = new Set([...freshNow, ...keep, ...previous.filter(inShard)]);
    const removes = previous.filter((path) => !now.has(path));
    ({ pages, images } = tally(now, fileOf));
    await commitSite(paths.root, { removes, moves: freshNow });
  } else {
    ({ pages, images } = tally(siteFiles(fresh), (rel) => join(fresh, rel)));
    await rm(old, { recursive: true, force: true });
    killPoint('build:before-swap');
    await rename(paths.site, old).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    killPoint('build:mid-swap');
    await rename(fresh, paths.site);
    // Synchronously: on 10,000 articles' 21,600 files, 0.3 s against 0.66 s as thread-pool round trips.
    rmSync(old, { recursive: true, force: true });
  }
  await plan.save(paths.site);
  const s = plan.stats();
  const photos = images.files ? `, ${images.files} photos (${Math.round(images.bytes / 1024)} KB)` : '';
  reporter.info(`build: ${info.articles} articles, ${pages} files${photos} in ${paths.site} (rendered ${s.articlesRendered} article pages and ${s.listingsRendered} listing pages and feeds, kept ${s.articlesKept} and ${s.listingsKept})`);
  return { articles: info.articles, pages, images, indexed, outDir: paths.site, rendered: { articles: s.articlesRendered, listings: s.listingsRendered }, kept: { articles: s.articlesKept, listings: s.listingsKept } };
}
