/**
 * Archived photos (content/_media/<sha256>.webp, written by ingest) that the rendered articles
 * use: only these are copied into _site/_media/, so a taken-down or deleted article's photos
 * are never published, while a photo shared by several articles stays while one uses it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { pathExists } from '../core/fs.ts';
import { MEDIA_DIR } from '../core/sanitize.ts';
import { isTakenDown } from './articles.ts';
import type { RenderContext } from './context.ts';

const REF = new RegExp(`${MEDIA_DIR}/([0-9a-f]{64}\\.webp)`, 'g');
const FRONT = /^---\r?\n([\s\S]*?)\r?\n---/;

async function articleFiles(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await articleFiles(path, out);
    else if (entry.isFile() && entry.name.endsWith('.md')) out.push(path);
  }
}

/** File names in content/_media/ referred to by an article that is rendered (not taken down). */
export async function usedMedia(contentDir: string, ctx: Pick<RenderContext, 'takedowns'>): Promise<Set<string>> {
  const used = new Set<string>();
  // No photos archived (most projects before their first ingest with images): nothing to read.
  if (!(await pathExists(join(contentDir, MEDIA_DIR)))) return used;
  const files: string[] = [];
  await articleFiles(contentDir, files);
  for (const path of files) {
    const text = await readFile(path, 'utf8');
    if (!text.includes(`${MEDIA_DIR}/`)) continue;
    let fm: { id?: unknown; url?: unknown } = {};
    try {
      fm = (parseYaml(FRONT.exec(text)?.[1] ?? '') ?? {}) as typeof fm;
    } catch {
      continue; // the build itself reports a broken front matter
    }
    if (isTakenDown(ctx, { id: String(fm.id ?? ''), url: typeof fm.url === 'string' ? fm.url : '' })) continue;
    for (const match of text.matchAll(REF)) used.add(match[1] as string);
  }
  return used;
}
