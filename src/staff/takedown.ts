/**
 * Takedowns: delete an article's file and append a tombstone {id, url, outlet,
 * time, reason} to content/_data/takedowns.yaml, so render never shows it and
 * ingest never writes it again, even when the feed still offers it.
 */
import { readFile } from 'node:fs/promises';
import { removeArticle } from '../content/index.ts';
import { join } from 'node:path';
import { isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { loadTakedowns, type Takedown } from '../core/config.ts';
import { ConfigError, NewsmirrorError, UsageError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { projectPaths } from '../core/project.ts';
import { matchArticles, scanArticles, type ArticleEntry } from './scan.ts';

const HEADER = `# Takedowns: articles removed from the mirror, never rendered, never ingested again.
# Appended by \`newsmirror takedown\`; keep it: it is the audit log of every removal.
`;

/** The takedowns file text with `added` appended; keeps comments and earlier entries as they are. */
export function appendTakedowns(existing: string | undefined, added: Takedown[]): string {
  const text = existing?.replace(/^\uFEFF/, '');
  const doc: Document = parseDocument(text?.trim() ? text : HEADER);
  if (!doc.contents || (isScalar(doc.contents) && doc.contents.value === null)) doc.contents = doc.createNode([]);
  if (!isSeq(doc.contents)) throw new ConfigError('content/_data/takedowns.yaml is not a YAML list; fix it by hand (each entry: id, url, outlet, time, reason)');
  for (const t of added) doc.contents.items.push(doc.createNode(t));
  doc.contents.flow = false;
  return doc.toString({ lineWidth: 0 });
}

export interface TakedownResult {
  /** Tombstones added (one per removed article; one for the target itself when nothing matched). */
  added: Takedown[];
  /** Files deleted, relative to the project root. */
  removed: string[];
  /** Already tombstoned: nothing was added. */
  already: boolean;
}

function tombstone(entry: Pick<ArticleEntry, 'id' | 'url' | 'outlet'>, time: string, reason: string): Takedown {
  return { id: entry.id, ...(entry.url ? { url: entry.url } : {}), ...(entry.outlet ? { outlet: entry.outlet } : {}), time, reason };
}

/**
 * Take down `target` (an article id, or its original URL). An id or URL with
 * no file yet is still tombstoned, so a later ingest skips it.
 */
export async function takedown(options: { root: string; target: string; reason: string; now?: Date }): Promise<TakedownResult> {
  const { root, target } = options;
  const reason = options.reason.trim();
  if (!reason) throw new UsageError('a takedown needs --reason "..." (it is kept in the audit log)');
  const time = (options.now ?? new Date()).toISOString();
  const paths = projectPaths(root);
  const matches = matchArticles(await scanArticles(root), target);
  const existing = await loadTakedowns(root);
  const isUrl = /^https?:\/\//i.test(target);
  const isId = /^[a-z0-9][a-z0-9-]*\/[0-9a-z-]+$/.test(target);
  if (!matches.length && !isUrl && !isId) {
    throw new NewsmirrorError('ERR_NOT_FOUND', `no article has the id or URL "${target}"; give an article id such as steppe-herald/0f3a9c2b7d1e4a56 (front matter "id") or the original http(s) URL`);
  }
  const known = (e: { id: string; url?: string }) => existing.some((t) => t.id === e.id || (e.url && t.url === e.url));
  const candidates = matches.length ? matches : [{ id: target, url: isUrl ? target : '', outlet: isId ? target.split('/')[0]! : '' }];
  const added = candidates.filter((c) => !known(c)).map((c) => tombstone(c, time, reason));
  // Tombstone first, then delete: a crash in between leaves a file that render and ingest already skip.
  if (added.length) {
    const file = join(paths.data, 'takedowns.yaml');
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    await writeFileAtomic(file, appendTakedowns(text, added));
  }
  for (const m of matches) await removeArticle(root, m.id);
  return { added, removed: matches.map((m) => m.path), already: added.length === 0 };
}
