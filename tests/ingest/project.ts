/** Temp projects for ingest tests: an outlets.yaml, and a reader for what ingest wrote. */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { parseArticle, readArticleIndex } from '../../src/content/index.ts';

export interface TestOutlet {
  id: string;
  feeds: string[];
  lang?: string;
  fulltext?: boolean;
  name?: string;
}

/** A project folder with content/_data/outlets.yaml listing `outlets`. */
export async function makeProject(outlets: TestOutlet[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'newsmirror-ingest-'));
  await mkdir(join(root, 'content', '_data'), { recursive: true });
  await writeOutlets(root, outlets);
  return root;
}

export async function writeOutlets(root: string, outlets: TestOutlet[]): Promise<void> {
  const entries = outlets.map((o) => ({ id: o.id, name: o.name ?? o.id, homepage: 'https://outlet.example/', lang: o.lang ?? 'ru', feeds: o.feeds, fulltext: o.fulltext ?? false }));
  await writeFile(join(root, 'content', '_data', 'outlets.yaml'), stringify(entries));
}

export async function removeProject(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}

export interface Written {
  /** Path relative to the project root, with forward slashes. */
  path: string;
  frontMatter: Record<string, unknown> & { id: string; title: string; date: string };
  body: string;
}

/** Every article file of an outlet (or all), sorted by path. */
export async function readWritten(root: string, outlet?: string): Promise<Written[]> {
  const index = await readArticleIndex(root);
  const out: Written[] = [];
  for (const entry of index.values()) {
    if (outlet && entry.frontMatter.outlet !== outlet) continue;
    const parsed = parseArticle(await readFile(entry.path, 'utf8'));
    if (!parsed) throw new Error(`unreadable ${entry.path}`);
    out.push({ path: relative(root, entry.path).split('\\').join('/'), frontMatter: parsed.frontMatter, body: parsed.body });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}
