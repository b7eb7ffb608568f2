/**
 * Article files: YAML front matter between "---" lines, then the body. Strings are
 * double-quoted so every YAML reader (gray-matter's js-yaml in Eleventy too) reads
 * them back as strings, dates included.
 */
import { parse, stringify } from 'yaml';
import { frontMatterSchema, type Article, type FrontMatter } from '../core/article.ts';

const ORDER: (keyof FrontMatter)[] = ['id', 'outlet', 'title', 'url', 'date', 'updated', 'dateNote', 'author', 'lang', 'tags', 'summary', 'correction', 'source', 'hash'];

export function serializeArticle(article: Article): string {
  const { body, ...data } = article;
  const ordered: Record<string, unknown> = {};
  for (const key of ORDER) if (data[key] !== undefined) ordered[key] = data[key];
  // Keys staff added by hand (not ours) are kept after ours.
  for (const [key, value] of Object.entries(data)) if (!(key in ordered) && value !== undefined) ordered[key] = value;
  const yaml = stringify(ordered, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
  return `---\n${yaml}---\n${body.endsWith('\n') ? body : `${body}\n`}`;
}

/** Split a file into front matter (unvalidated) and body; undefined when it has no front matter. */
export function splitFrontMatter(text: string): { data: unknown; body: string } | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return undefined;
  try {
    return { data: parse(match[1] ?? '', { maxAliasCount: 100 }), body: text.slice(match[0].length) };
  } catch {
    return undefined; // not YAML: not an article file we can read
  }
}

/** Parse and check an article file; undefined when it is not one. */
export function parseArticle(text: string): { frontMatter: FrontMatter & Record<string, unknown>; body: string } | undefined {
  const split = splitFrontMatter(text);
  if (!split) return undefined;
  const result = frontMatterSchema.safeParse(split.data);
  if (!result.success) return undefined;
  // Keep keys the schema does not know (staff additions) alongside the checked ones.
  return { frontMatter: { ...(split.data as Record<string, unknown>), ...result.data }, body: split.body };
}
