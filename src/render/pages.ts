/**
 * Eleventy plugin: the layouts (content/_includes/*.ts) and site pages
 * (content/_pages/*.ts) as virtual 11ty.js templates, so any project folder
 * renders with the same templates whether or not it has copies of them.
 */
import type { EleventyData, JsTemplate, UserConfig } from '@11ty/eleventy';
import articleLayout from '../../content/_includes/article.ts';
import { about, buildInfo } from '../../content/_pages/about.ts';
import { atom, feedsPage, opml, rss } from '../../content/_pages/feeds.ts';
import { archiveIndex, archiveMonth, home, outlet } from '../../content/_pages/listings.ts';
import { mirrorSitesFile, mirrorsJsonFile, mirrorsPage } from '../../content/_pages/mirrors.ts';
import { notFound } from '../../content/_pages/notfound.ts';
import { searchPage, searchScript, titleIndex } from '../../content/_pages/search.ts';
import { publicKeyFile, verify } from '../../content/_pages/verify.ts';
import type { RenderContext } from './context.ts';
import type { RenderJob } from './job.ts';

/** Virtual input path (relative to content/) → template factory. */
export const TEMPLATES: Record<string, (ctx: RenderContext) => JsTemplate> = {
  '_includes/article.11ty.js': articleLayout,
  '_pages/home.11ty.js': home,
  '_pages/outlet.11ty.js': outlet,
  '_pages/archive.11ty.js': archiveIndex,
  '_pages/archive-month.11ty.js': archiveMonth,
  '_pages/atom.11ty.js': atom,
  '_pages/rss.11ty.js': rss,
  '_pages/opml.11ty.js': opml,
  '_pages/feeds.11ty.js': feedsPage,
  '_pages/mirrors.11ty.js': mirrorsPage,
  '_pages/mirrors-json.11ty.js': mirrorsJsonFile,
  '_pages/mirror-sites.11ty.js': mirrorSitesFile,
  '_pages/404.11ty.js': notFound,
  '_pages/about.11ty.js': about,
  '_pages/verify.11ty.js': verify,
  '_pages/publickey.11ty.js': publicKeyFile,
  '_pages/search.11ty.js': searchPage,
  '_pages/search-js.11ty.js': searchScript,
  '_pages/titles.11ty.js': titleIndex,
  '_pages/build-json.11ty.js': buildInfo,
};

type Pagination = { data: string; alias: string; before?: (items: unknown[], full: EleventyData) => unknown[] } & Record<string, unknown>;

/**
 * Under build(), a paginated template (listings, feeds, title pages) renders only the pages the
 * job wants: the others are kept from the previous build. Each page's path comes from the
 * template's own permalink.
 */
export function incremental(template: JsTemplate, job: RenderJob): JsTemplate {
  const data = template.data as { pagination?: Pagination; permalink?: unknown } | undefined;
  const pagination = data?.pagination;
  const permalink = data?.permalink;
  if (!pagination || typeof permalink !== 'function') return template;
  const { before, alias } = pagination;
  return {
    ...template,
    data: {
      ...data,
      pagination: {
        ...pagination,
        before: (items: unknown[], full: EleventyData) => (before ? before(items, full) : items).filter((item) => job.wants(String((permalink as (d: EleventyData) => unknown)({ [alias]: item } as EleventyData)), item)),
      },
    },
  };
}

/** The article layout, counting the pages it renders for the build's progress line. */
function counted(template: JsTemplate, job: RenderJob): JsTemplate {
  return {
    ...template,
    render: (data: EleventyData) => {
      job.articleRendered();
      return template.render(data);
    },
  };
}

export default function pagesPlugin(config: UserConfig, ctx: RenderContext, job?: RenderJob): void {
  for (const [path, make] of Object.entries(TEMPLATES)) {
    // A batch of article pages only: no listing or site page (they need every article).
    if (job?.phase === 'articles' && path !== '_includes/article.11ty.js') continue;
    const template = make(ctx);
    config.addTemplate(path, !job ? template : path === '_includes/article.11ty.js' ? counted(template, job) : incremental(template, job));
  }
}
