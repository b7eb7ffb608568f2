/**
 * The render job build() hands to the Eleventy config (.eleventy.ts) of the same
 * process: the loaded context and the incremental plan. It goes through a
 * process-wide slot keyed by Symbol.for, because the config file is loaded by
 * Node's own loader and may see other copies of these modules than build() does
 * (the compiled CLI bundles them). Without a job (renderToJson, tests) the
 * config renders every article file under its input folder, as plain Eleventy would.
 */
import type { CollectionItem } from '@11ty/eleventy';
import type { SiteIndex } from './collections.ts';
import type { RenderContext } from './context.ts';

export interface RenderJob {
  /** The project folder (the Eleventy input is a staging folder holding only the articles to render). */
  root: string;
  ctx: RenderContext;
  /**
   * 'site': render the staged articles and every listing and site page (the usual single run).
   * 'articles': one batch of a large build renders article pages only; the listings come in the last run.
   */
  phase: 'articles' | 'site';
  /**
   * Every listing, feed and the build time over every article, from Eleventy's rendered
   * article items (the files read this time) and the catalog (the others). Called by the collection.
   */
  index(items: readonly CollectionItem[]): SiteIndex;
  /** Whether the paginated page written to `path` from `item` must be rendered (false: the previous one is kept). */
  wants(path: string, item: unknown): boolean;
  /** One article page rendered (progress). */
  articleRendered(): void;
}

const SLOT = Symbol.for('newsmirror.renderJob');
type Slot = { [SLOT]?: RenderJob };

export function setRenderJob(job: RenderJob | undefined): void {
  (globalThis as Slot)[SLOT] = job;
}

export function currentRenderJob(): RenderJob | undefined {
  return (globalThis as Slot)[SLOT];
}
