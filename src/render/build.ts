/**
 * build(): renders a project's content/ into _site/ with Eleventy (configured by
 * .eleventy.ts), in this process. Output goes to a fresh folder that replaces
 * _site/ only when complete, so removed or taken-down articles never linger.
 */
import { readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Eleventy, { type JsonPage } from '@11ty/eleventy';
import { register } from 'tsx/esm/api';
import { NewsmirrorError } from '../core/errors.ts';
import { silentReporter, type Reporter } from '../core/log.ts';
import { projectPaths } from '../core/project.ts';
import { MEDIA_DIR } from '../core/sanitize.ts';
import { FrontMatterError } from './articles.ts';
import { indexSite } from './search-index.ts';

export interface BuildOptions {
  /** The project folder holding content/ and mirrors/. */
  root: string;
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
}

/** Eleventy failed for a reason that is not one of ours (a template bug, the disk). */
export class RenderError extends NewsmirrorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_RENDER', message, options);
  }
}

export const CONFIG_PATH = fileURLToPath(new URL('../../.eleventy.ts', import.meta.url));

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
function eleventyDateError(error: Error, root: string): FrontMatterError | undefined {
  const m = /^Data cascade value for `date` \((.*)\) is invalid for (.+)$/.exec(error.message);
  if (!m) return undefined;
  const file = relative(root, resolve(m[2]!)).split('\\').join('/');
  return new FrontMatterError(`${file}: front matter field "date": must be an ISO 8601 UTC time such as 2026-01-05T10:00:00Z (got "${m[1]}"); fix the file`, { cause: error });
}

export function unwrapEleventyError(error: unknown, root: string): Error {
  let current: unknown = error;
  for (let depth = 0; current && depth < 10; depth++) {
    if (isOurs(current)) return current;
    const dateError = current instanceof Error ? eleventyDateError(current, root) : undefined;
    if (dateError) return dateError;
    const wrapper = current as { originalError?: unknown; cause?: unknown };
    current = wrapper.originalError ?? wrapper.cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RenderError(`Eleventy could not render the site: ${message}`, { cause: error });
}

async function eleventy(input: string, output: string, reporter: Reporter): Promise<Eleventy> {
  await ensureTsx();
  const instance = new Eleventy(input, output, { configPath: CONFIG_PATH, quietMode: true });
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

/** Files in the output, photos (_media/) counted apart, with their bytes. */
async function countFiles(dir: string): Promise<{ pages: number; images: { files: number; bytes: number } }> {
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const media = join(dir, MEDIA_DIR);
  const photos = entries.filter((e) => e.parentPath === media);
  let bytes = 0;
  for (const e of photos) bytes += (await stat(join(e.parentPath, e.name))).size;
  return { pages: entries.length - photos.length, images: { files: photos.length, bytes } };
}

export async function build(options: BuildOptions): Promise<BuildReport> {
  const { signal, reporter = silentReporter } = options;
  const paths = projectPaths(options.root);
  signal?.throwIfAborted();
  const fresh = `${paths.site}.new`;
  const old = `${paths.site}.old`;
  await rm(fresh, { recursive: true, force: true });
  reporter.progress('build: rendering with Eleventy');
  try {
    await (await eleventy(paths.content, fresh, reporter)).write();
  } catch (error) {
    await rm(fresh, { recursive: true, force: true });
    throw unwrapEleventyError(error, paths.root);
  }
  if (signal?.aborted) {
    await rm(fresh, { recursive: true, force: true });
    signal.throwIfAborted();
  }
  const info = JSON.parse(await readFile(join(fresh, 'build.json'), 'utf8')) as { built: string; articles: number };
  // The search index, inside the site so seal signs it. With no article marked for it, Pagefind would index listings instead.
  let indexed = 0;
  if (info.articles > 0) {
    reporter.progress('build: indexing for search with Pagefind');
    try {
      indexed = (await indexSite(fresh, { signal })).pages;
    } catch (error) {
      await rm(fresh, { recursive: true, force: true });
      throw error;
    }
  }
  const { pages, images } = await countFiles(fresh);
  await rm(old, { recursive: true, force: true });
  await rename(paths.site, old).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(fresh, paths.site);
  await rm(old, { recursive: true, force: true });
  const photos = images.files ? `, ${images.files} photos (${Math.round(images.bytes / 1024)} KB)` : '';
  reporter.info(`build: ${info.articles} articles, ${pages} files${photos} in ${paths.site}`);
  return { articles: info.articles, pages, images, indexed, outDir: paths.site };
}
