/**
 * Eleventy plugin for article files (content/<outlet>/<yyyy>/<mm>/<slug>.md): checks
 * each file's front matter against frontMatterSchema (failing the build with the file
 * and field named), drops taken-down articles before anything sees them, gives each a
 * file URL (<slug>.html) and renders bodies with markdown-it, sanitized again.
 */
import { posix, relative, resolve } from 'node:path';
import MarkdownIt from 'markdown-it';
import type { EleventyData, UserConfig } from '@11ty/eleventy';
import { detachedFrontMatter, frontMatterSchema, type FrontMatter } from '../core/article.ts';
import { NewsmirrorError } from '../core/errors.ts';
import { safeUrl, sanitizeArticleHtml } from '../core/sanitize.ts';
import { RESERVED_OUTLET_IDS, type RenderContext } from './context.ts';
import { rootPrefix } from './filters.ts';

/** An article file whose front matter or place is wrong: the build stops and names it. */
export class FrontMatterError extends NewsmirrorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_FRONT_MATTER', message, options);
  }
}

/** An article as the templates see it: checked front matter plus where it is rendered. */
export interface RenderedArticle extends FrontMatter {
  outletName: string;
  /** Root-relative output file, e.g. "steppe-herald/2026/01/slug.html". */
  path: string;
  /** `path` percent-encoded for use in href. */
  href: string;
  /** The original URL if it is http(s), else "". */
  safeUrl: string;
  /** Milliseconds since the epoch of `date`, for sorting. */
  time: number;
}

export const ARTICLE_LAYOUT = 'article.11ty.js';

/** Front matter keys with a meaning to Eleventy that an article may not set (they could change how it renders). */
const ELEVENTY_KEYS = ['permalink', 'layout', 'pagination', 'eleventyComputed', 'eleventyExcludeFromCollections', 'templateEngineOverride', 'eleventyImport', 'eleventyNavigation', 'dynamicPermalink', 'permalinkBypassOutputDir'];
const FIELDS = Object.keys(frontMatterSchema.shape) as (keyof FrontMatter)[];
const PLACE = /^([a-z0-9][a-z0-9-]*)\/(\d{4})\/(\d{2})\/([^/]+)\.md$/;

/** YAML turns unquoted times into Dates: back to the ISO strings the schema expects. */
function undate(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString().replace('.000Z', 'Z');
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, undate(v)]));
  }
  return value;
}

/** A `date` that is no time at all (Eleventy refuses it before our checks run; the catalog says it the same way). */
export function badDateError(file: string, got: string, cause?: unknown): FrontMatterError {
  return new FrontMatterError(`${file}: front matter field "date": must be an ISO 8601 UTC time such as 2026-01-05T10:00:00Z (got "${got}"); fix the file`, { cause });
}

/** Check one file's front matter; `file` is its path relative to the project ("content/…"). */
export function checkFrontMatter(data: Record<string, unknown>, file: string): FrontMatter {
  if (typeof data.date === 'string' && Number.isNaN(Date.parse(data.date))) throw badDateError(file, data.date);
  for (const key of ELEVENTY_KEYS) {
    if (key in data && data[key] !== undefined) throw new FrontMatterError(`${file}: front matter field "${key}" is not allowed in an article (the site decides how articles render); remove it`);
  }
  const picked: Record<string, unknown> = {};
  for (const key of FIELDS) if (data[key] !== undefined) picked[key] = undate(data[key]);
  const result = frontMatterSchema.safeParse(picked);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.map(String).join('.') || '(front matter)';
    throw new FrontMatterError(`${file}: front matter field "${field}": ${issue?.message ?? 'invalid'}; fix the file (see src/core/article.ts for every field)`, { cause: result.error });
  }
  for (const key of ['date', 'updated'] as const) {
    const value = result.data[key];
    if (value !== undefined && Number.isNaN(Date.parse(value))) throw new FrontMatterError(`${file}: front matter field "${key}": "${value}" is not a real time; fix the file`);
  }
  return result.data;
}

/** "outlet/2026/01/slug.md" → "outlet/2026/01/slug.html", or a FrontMatterError when the file is not where articles live. */
export function articlePath(inputRelative: string, file: string, fm: Pick<FrontMatter, 'outlet'>): string {
  const m = PLACE.exec(inputRelative);
  if (!m) throw new FrontMatterError(`${file}: articles live at content/<outlet>/<yyyy>/<mm>/<slug>.md; move or remove this file`);
  const [, outlet] = m;
  if (outlet === undefined || RESERVED_OUTLET_IDS.has(outlet)) throw new FrontMatterError(`${file}: the folder "${outlet}" is used by the site itself; outlets need another id`);
  if (fm.outlet !== outlet) throw new FrontMatterError(`${file}: front matter field "outlet" is "${fm.outlet}" but the file is in the folder of "${outlet}"; make them match`);
  return inputRelative.replace(/\.md$/, '.html');
}

/** Whether takedowns.yaml removes this article (by id, or by original URL). */
export function isTakenDown(ctx: Pick<RenderContext, 'takedowns'>, fm: Pick<FrontMatter, 'id' | 'url'>): boolean {
  return ctx.takedowns.has(fm);
}

/** The front matter inside a RenderedArticle (what the catalog keeps). */
export function frontMatterOf(article: RenderedArticle): FrontMatter {
  const fm: Record<string, unknown> = {};
  for (const key of FIELDS) if (article[key] !== undefined) fm[key] = article[key];
  // The render records keep it for the whole build.
  return detachedFrontMatter(fm as FrontMatter);
}

export function toRenderedArticle(fm: FrontMatter, path: string, ctx: Pick<RenderContext, 'outletById'>): RenderedArticle {
  return {
    ...fm,
    outletName: ctx.outletById.get(fm.outlet)?.name ?? fm.outlet,
    path,
    href: path.split('/').map(encodeURIComponent).join('/'),
    safeUrl: /^https?:/i.test(fm.url) ? safeUrl(fm.url) : '',
    time: Date.parse(fm.date),
  };
}

/**
 * Article bodies to HTML, every output sanitized again. An ingested body (front matter with
 * `source`) is HTML already and is never read as Markdown: its text (a "*", a "# " or "1. "
 * after a blank line) stays exactly as the outlet wrote it. A staff body is Markdown (HTML
 * allowed). Eleventy passes the page data: its path puts root-relative links
 * ("/about.html") onto the page's way back to the root.
 */
export function createMarkdown(): { render(source: string, data?: unknown): string } {
  // Indented code blocks off, as Eleventy does: indented HTML in staff Markdown must stay HTML.
  const md = new MarkdownIt({ html: true, linkify: false }).disable('code');
  return {
    render: (source, data) => {
      const nm = (data as { nm?: { path?: unknown; source?: unknown } } | undefined)?.nm;
      const siteRoot = typeof nm?.path === 'string' ? rootPrefix(nm.path) : '';
      return sanitizeArticleHtml(nm?.source ? source : md.render(source), { siteRoot });
    },
  };
}

export default function articlesPlugin(config: UserConfig, ctx: RenderContext): void {
  const input = resolve(config.directories.input);
  config.setLibrary('md', createMarkdown());
  config.addPreprocessor('newsmirror-article', 'md', (data: EleventyData) => {
    const abs = resolve(data.page.inputPath);
    const inputRelative = relative(input, abs).split('\\').join('/');
    const file = posix.join('content', inputRelative);
    const fm = checkFrontMatter(data, file);
    if (isTakenDown(ctx, fm)) return false;
    const article = toRenderedArticle(fm, articlePath(inputRelative, file, fm), ctx);
    data.nm = article;
    data.permalink = article.path;
    data.layout = ARTICLE_LAYOUT;
    // Tags are shown, not turned into one Eleventy collection each (O(tags × articles)).
    data.tags = [];
    return undefined;
  });
}
