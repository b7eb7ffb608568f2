/** Eleventy config of newsmirror: wires the render plugins (src/render/), one line each. Run through build() in src/render/build.ts. */
import { basename, join, resolve } from 'node:path';
import type { UserConfig } from '@11ty/eleventy';
import articlesPlugin from './src/render/articles.ts';
import collectionsPlugin from './src/render/collections.ts';
import { loadRenderContext } from './src/render/context.ts';
import filtersPlugin from './src/render/filters.ts';
import { currentRenderJob } from './src/render/job.ts';
import { usedMedia } from './src/render/media.ts';
import pagesPlugin from './src/render/pages.ts';

export default async function config(eleventyConfig: UserConfig) {
  // Under build(): the job (context loaded once, the incremental plan; the input is a staging folder of the articles to render).
  const job = currentRenderJob();
  // Site settings, outlets, takedowns, mirrors + health of the project whose content/ is the input.
  const ctx = job?.ctx ?? (await loadRenderContext(resolve(eleventyConfig.directories.input, '..')));
  // Article files: front matter checked, takedowns dropped, <slug>.html URLs, Markdown sanitized again.
  eleventyConfig.addPlugin(articlesPlugin, ctx);
  // Filters: escaping, relative URLs, dates (small pure functions).
  eleventyConfig.addPlugin(filtersPlugin);
  // collections.nm: every listing, feed and the build time, in one pass.
  eleventyConfig.addPlugin((config: UserConfig) => collectionsPlugin(config, ctx, job));
  // Layouts (content/_includes) and site pages (content/_pages) as virtual templates.
  eleventyConfig.addPlugin((config: UserConfig) => pagesPlugin(config, ctx, job));
  // Archived photos (content/_media/) that rendered articles use, copied as they are to _site/_media/ (build() links them itself).
  if (!job) {
    const media = await usedMedia(eleventyConfig.directories.input, ctx);
    eleventyConfig.addPassthroughCopy({ [join(eleventyConfig.directories.input, '_media')]: '_media' }, { filter: (file: string) => media.has(basename(file)) });
  }
  // Only project files ever count: no .gitignore of whatever folder we run from, no root-level notes.
  eleventyConfig.setUseGitIgnore(false);
  // No process-wide cache of file contents: a second build in the same process (the rebuild trigger) must read edited articles again.
  eleventyConfig.setUseTemplateCache(false);
  // Article bodies are never run through a template language: "{{" in a feed stays text.
  return { templateFormats: ['md', '11ty.js'], markdownTemplateEngine: false, htmlTemplateEngine: false };
}
