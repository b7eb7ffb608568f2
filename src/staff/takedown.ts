/**
 * Takedowns: delete an article's file and append a tombstone {id, url, outlet,
 * time, reason} to content/_data/takedowns.yaml, so render never shows it and
 * ingest never writes it again, even when the feed still offers it.
 */
import { readFile } from 'node:fs/promises';
import { removeArticle } from '../content/index.ts';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLSeq } from 'yaml';
import { loadTakedowns, type Takedown } from '../core/config.ts';
import { ConfigError, NewsmirrorError, UsageError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { projectPaths } from '../core/project.ts';
import { isActive, isIdTarget, isUrlTarget, TakedownIndex } from '../core/takedowns.ts';
import { closestArticles, matchArticles, scanArticles, type ArticleEntry } from './scan.ts';

const HEADER = `# Takedowns: articles removed from the mirror, never rendered, never ingested again.
# Appended by \`newsmirror takedown\`; keep it: it is the audit log of every removal.
`;

/** The takedowns file text with `added` appended; keeps comments and earlier entries as they are. */
export function appendTakedowns(existing: string | undefined, added: Takedown[]): string {
  const doc = takedownsDocument(existing);
  for (const t of added) doc.seq.items.push(doc.doc.createNode(t));
  return doc.doc.toString({ lineWidth: 0 });
}

/**
 * The takedowns file text with every active tombstone of `id` marked
 * `undone: {time, reason}`: it no longer applies, and stays as the audit log.
 */
export function markUndone(existing: string | undefined, id: string, undone: { time: string; reason: string }): string {
  const doc = takedownsDocument(existing);
  for (const item of doc.seq.items) {
    if (isMap(item) && item.get('id') === id && !item.has('undone')) item.set('undone', doc.doc.createNode(undone));
  }
  return doc.doc.toString({ lineWidth: 0 });
}

function takedownsDocument(existing: string | undefined): { doc: Document; seq: YAMLSeq } {
  const text = existing?.replace(/^\uFEFF/, '');
  const doc: Document = parseDocument(text?.trim() ? text : HEADER);
  if (!doc.contents || (isScalar(doc.contents) && doc.contents.value === null)) doc.contents = doc.createNode([]);
  if (!isSeq(doc.contents)) throw new ConfigError('content/_data/takedowns.yaml is not a YAML list; fix it by hand (each entry: id, url, outlet, time, reason)');
  doc.contents.flow = false;
  return { doc, seq: doc.contents };
}

async function readTakedownsText(root: string): Promise<string | undefined> {
  return readFile(join(projectPaths(root).data, 'takedowns.yaml'), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

export interface TakedownResult {
  /** Tombstones added (one per removed article; one for the target itself with --ahead). */
  added: Takedown[];
  /** Files deleted, relative to the project root. */
  removed: string[];
  /** Already tombstoned: nothing was added. */
  already: boolean;
}

function tombstone(entry: Pick<ArticleEntry, 'id' | 'url' | 'outlet'>, time: string, reason: string): Takedown {
  return { id: entry.id, ...(entry.url ? { url: entry.url } : {}), ...(entry.outlet ? { outlet: entry.outlet } : {}), time, reason };
}

const ID_HINT = 'give an article id such as steppe-herald/0f3a9c2b7d1e4a56 (front matter "id") or the original http(s) URL';

function reasonOf(raw: string): string {
  const reason = raw.trim();
  if (!reason) throw new UsageError('a takedown needs --reason "..." (it is kept in the audit log)');
  return reason;
}

/**
 * Take down `target` (an article id, or its original URL): tombstone, then
 * delete its file. A target that matches no article is refused (ERR_NOT_FOUND,
 * naming the closest articles) unless `ahead` is set: then an id or URL not
 * mirrored yet is tombstoned in advance, so a later ingest skips it.
 */
export async function takedown(options: { root: string; target: string; reason: string; ahead?: boolean; now?: Date }): Promise<TakedownResult> {
  const { root, target } = options;
  const reason = reasonOf(options.reason);
  const time = (options.now ?? new Date()).toISOString();
  const paths = projectPaths(root);
  const entries = await scanArticles(root);
  const matches = matchArticles(entries, target);
  const index = new TakedownIndex(await loadTakedowns(root));
  const isUrl = isUrlTarget(target);
  const isId = isIdTarget(target);
  if (!matches.length && !index.has({ id: target, url: isUrl ? target : undefined })) {
    if (!isUrl && !isId) throw new NewsmirrorError('ERR_NO_MATCH', `no article has the id or URL "${target}"; ${ID_HINT}${closest(entries, target)}`);
    if (!options.ahead) {
      throw new NewsmirrorError('ERR_NO_MATCH', `no article has the id or URL "${target}"${closest(entries, target)}; to tombstone it before it is mirrored, run again with --ahead`);
    }
  }
  const candidates = matches.length ? matches : [{ id: target, url: isUrl ? target : '', outlet: isId ? target.split('/')[0]! : '' }];
  const added = candidates.filter((c) => !index.has(c)).map((c) => tombstone(c, time, reason));
  // Tombstone first, then delete: a crash in between leaves a file that render and ingest already skip.
  if (added.length) await writeFileAtomic(join(paths.data, 'takedowns.yaml'), appendTakedowns(await readTakedownsText(root), added));
  for (const m of matches) await removeArticle(root, m.id);
  return { added, removed: matches.map((m) => m.path), already: added.length === 0 };
}

function closest(entries: ArticleEntry[], target: string): string {
  const near = closestArticles(entries, target);
  if (!near.length) return '; there are no articles in content/ yet';
  return `; closest: ${near.map((e) => `${e.id} (${e.url || e.path})`).join(', ')}`;
}

/** Every tombstone in content/_data/takedowns.yaml, in the order recorded (undone ones included, marked). */
export async function listTakedowns(root: string): Promise<Takedown[]> {
  return loadTakedowns(root);
}

/**
 * Lift the active tombstone(s) with this id (or original URL): each gets
 * `undone: {time, reason}` and stays in the file as the audit log. The
 * article's file is not restored; the next ingest fetches it again if its feed
 * still offers it.
 */
export async function undoTakedown(options: { root: string; target: string; reason: string; now?: Date }): Promise<Takedown[]> {
  const reason = reasonOf(options.reason);
  const time = (options.now ?? new Date()).toISOString();
  const all = await loadTakedowns(options.root);
  const probe = TakedownIndex.forTarget(options.target);
  const lifted = all.filter((t) => isActive(t) && probe.has(t));
  if (!lifted.length) {
    const active = all.filter(isActive).map((t) => t.id);
    throw new NewsmirrorError('ERR_NO_MATCH', `no tombstone in force has the id or URL "${options.target}"; \`newsmirror takedown --list\` shows them${active.length ? ` (${active.slice(-5).join(', ')}${active.length > 5 ? ', …' : ''})` : ' (there are none)'}`);
  }
  let text = await readTakedownsText(options.root);
  for (const id of new Set(lifted.map((t) => t.id))) text = markUndone(text, id, { time, reason });
  await writeFileAtomic(join(projectPaths(options.root).data, 'takedowns.yaml'), text ?? '');
  return lifted.map((t) => ({ ...t, undone: { time, reason } }));
}
