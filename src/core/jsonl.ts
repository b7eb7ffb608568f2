/**
 * A map kept on disk as JSON lines, for the caches that hold an entry per article: a header
 * line, then one `[key, value]` line per entry. A later line for a key replaces an earlier one
 * and `[key]` alone removes it, so saving after a few changes appends their lines instead of
 * writing every entry again (at 100,000 articles the content index is 85 MB). A file that holds
 * more superseded lines than entries is written afresh, atomically. Read a line at a time from
 * the bytes: never one string of the whole file (at 100,000 articles one JSON text of it was
 * a string of some 200 MB, and building it ran a 1 GB heap out of memory).
 */
import { open } from 'node:fs/promises';
import { writeFileAtomic } from './fs.ts';

/** Lines handed to the file at a time when it is written afresh. */
const BATCH = 1000;

export interface JsonlMap<V> {
  entries: Map<string, V>;
  /** Keys set or deleted since the file was read or saved: what the next save appends. */
  changed: Set<string>;
  /** Lines after the header in the file (0: no file); appending is allowed only to a file read whole with `header`. */
  lines: number;
  appendable: boolean;
}

export const emptyJsonl = <V>(): JsonlMap<V> => ({ entries: new Map(), changed: new Set(), lines: 0, appendable: false });

/**
 * The map in `bytes`, whose first line is `header` (or one of `older`, read the same way but never
 * appended to). Undefined when the header is another, or a line is damaged or not `valid`.
 * A last line cut short (a save killed while appending) is left out: the entries before it stand.
 */
export function parseJsonl<V>(bytes: Buffer, header: string, valid: (value: unknown) => value is V, older: readonly string[] = []): JsonlMap<V> | undefined {
  let at = bytes.indexOf(10);
  const first = at < 0 ? '' : bytes.toString('utf8', 0, at);
  if (first !== header && !older.includes(first)) return undefined;
  const map: JsonlMap<V> = { entries: new Map(), changed: new Set(), lines: 0, appendable: first === header };
  while (at + 1 < bytes.length) {
    const end = bytes.indexOf(10, at + 1);
    if (end < 0) {
      map.appendable = false;
      break;
    }
    let line: unknown;
    try {
      line = JSON.parse(bytes.toString('utf8', at + 1, end));
    } catch {
      return undefined;
    }
    if (!Array.isArray(line) || typeof line[0] !== 'string') return undefined;
    if (line.length === 1) map.entries.delete(line[0]);
    else if (line.length === 2 && valid(line[1])) map.entries.set(line[0], line[1] as V);
    else return undefined;
    map.lines++;
    at = end;
  }
  return map;
}

/** Set or delete an entry, remembering it for the next save. */
export function setEntry<V>(map: JsonlMap<V>, key: string, value: V | undefined): void {
  if (value === undefined) map.entries.delete(key);
  else map.entries.set(key, value);
  map.changed.add(key);
}

function* allLines<V>(header: string, entries: Map<string, V>): Generator<string> {
  yield `${header}\n`;
  let batch: string[] = [];
  for (const entry of entries) {
    batch.push(`${JSON.stringify(entry)}\n`);
    if (batch.length === BATCH) {
      yield batch.join('');
      batch = [];
    }
  }
  if (batch.length) yield batch.join('');
}

/** Save what changed: appended to the file, or the whole map written afresh when the file cannot take it or holds too many superseded lines. */
export async function saveJsonl<V>(path: string, header: string, map: JsonlMap<V>): Promise<void> {
  if (map.changed.size === 0 && map.appendable) return;
  // Appended only to the file as read (r+: one removed since is written afresh, never started headerless).
  const handle = map.appendable && map.lines + map.changed.size <= 2 * map.entries.size ? await open(path, 'r+').catch(() => undefined) : undefined;
  if (handle) {
    try {
      const lines = Buffer.from([...map.changed].map((key) => `${JSON.stringify(map.entries.has(key) ? [key, map.entries.get(key)] : [key])}\n`).join(''));
      await handle.write(lines, 0, lines.length, (await handle.stat()).size);
      await handle.sync();
    } finally {
      await handle.close();
    }
    map.lines += map.changed.size;
  } else {
    await writeFileAtomic(path, allLines(header, map.entries));
    map.lines = map.entries.size;
    map.appendable = true;
  }
  map.changed.clear();
}
