/** The render stage: content/ → _site/ (Eleventy). */
export { build, renderToJson, RenderError, type BuildOptions, type BuildReport } from './build.ts';
export { FrontMatterError } from './articles.ts';
