/**
 * `newsmirror new`: a staff-written Markdown article with valid front matter
 * at content/<outlet>/<yyyy>/<mm>/<slug>.md, ready to edit and publish.
 */
import { open } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import matter from 'gray-matter';
import { slugify } from '../content/index.ts';
import { frontMatterSchema, isoUtc, type FrontMatter } from '../core/article.ts';
import type { Outlet } from '../core/config.ts';
import { NewsmirrorError, UsageError } from '../core/errors.ts';
import { projectPaths } from '../core/project.ts';
import { sha256Hex } from '../core/hash.ts';

export interface Scaffold {
  /** content/<outlet>/<yyyy>/<mm>/<slug>.md, relative to the project root. */
  path: string;
  frontMatter: FrontMatter;
  /** The whole file: front matter and a Markdown body to replace. */
  text: string;
}

/** The file for a new staff article (pure). */
export function scaffoldArticle(options: { outlet: Outlet; title: string; now: Date; author?: string }): Scaffold {
  const { outlet, now } = options;
  // A headline is one line: a newline or tab pasted into --title becomes a space.
  const title = options.title.replace(/\s+/g, ' ').trim();
  if (!title) throw new UsageError('a new article needs --title "..."');
  const date = isoUtc(now);
  const key = sha256Hex(`staff\n${outlet.id}\n${title}\n${date}`).slice(0, 16);
  const frontMatter = frontMatterSchema.parse({
    id: `${outlet.id}/${key}`,
    outlet: outlet.id,
    title,
    url: '',
    date,
    author: options.author ?? '',
    lang: outlet.lang,
    tags: [],
    summary: '',
  });
  const body = `Write the article here in Markdown. HTML is allowed but sanitized when the site is built.

To note a correction later, add a line \`correction: "..."\` to the front matter above and set \`updated\` to the time of the change.
`;
  const text = matter.stringify(body, frontMatter);
  const path = join('content', outlet.id, date.slice(0, 4), date.slice(5, 7), `${slugify(title, `article-${key.slice(0, 8)}`)}.md`);
  return { path, frontMatter, text };
}

/** Write the scaffold without replacing any file (adds -2, -3… to the name if taken); returns the path used. */
export async function writeScaffold(root: string, scaffold: Scaffold): Promise<string> {
  const paths = projectPaths(root);
  const base = join(paths.root, scaffold.path).replace(/\.md$/, '');
  await mkdir(dirname(base), { recursive: true });
  for (let n = 1; n < 100; n++) {
    const file = n === 1 ? `${base}.md` : `${base}-${n}.md`;
    try {
      const handle = await open(file, 'wx', 0o644);
      await handle.writeFile(scaffold.text);
      await handle.close();
      return relative(paths.root, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new NewsmirrorError('ERR_EXISTS', `${scaffold.path} and 98 numbered variants already exist; pick another --title`);
}
