/**
 * A delta bundle, `deltas/<from>-<to>.zip`: what a copy of version `from`
 * needs to become version `to`. Entries: `delta.json` (below), the new
 * manifest (format 3: `manifest-changes.json`, before it `manifest.json`) and `manifest.sig`,
 * and `files/<path>` for every changed or added file but those in `derived`. Trust comes from the new manifest's signature; `base` ties the
 * delta to the exact manifest bytes of the version it starts from.
 *
 * Format 2 (written since) adds `derived`: changed files made from the new signed manifest
 * instead of carried, checked against their sha256 in it. Only `SHA256SUMS` is (sums.ts): at
 * 100,000 articles it was 8.8 of a delta's 20 MB, in each of the seven deltas of every seal.
 * Format 3 (written since) carries, instead of the whole new `manifest.json`, the entries that
 * changed: `manifest-changes.json` is the new manifest with `files` cut to the changed and
 * added paths (`files` and `derived`), and `delta.json` names the sha256 of the whole one.
 * `apply` makes the exact signed bytes from the copy's own manifest (which `base` pins) and
 * checks them against that sha256 and the signature. At 100,000 articles the whole manifest was
 * 9.5 MB deflated in each of the seven deltas of every seal, most of a delta's 12 MB.
 * Formats 1 (no `derived`) and 2 (the whole `manifest.json`) are still read.
 */
import { NewsmirrorError } from '../core/errors.ts';
import { parseJsonBytes } from './json.ts';
import { serializeManifest, type Manifest, type ManifestFile } from './manifest.ts';
import { SUMS_FILE } from './sums.ts';
import { comparePaths } from './walk.ts';

const DELTA_FORMATS = ['newsmirror-delta/1', 'newsmirror-delta/2', 'newsmirror-delta/3'] as const;

export interface DeltaHeader {
  format: (typeof DELTA_FORMATS)[number];
  from: number;
  to: number;
  /** sha256 of the exact manifest.json bytes of version `from`. */
  base: string;
  /** Paths carried under files/ (changed or added), sorted. */
  files: string[];
  /** Paths of `from` that `to` no longer has, sorted. */
  removed: string[];
  /** Format 2: changed paths not carried, made from the new manifest (DERIVABLE); absent in format 1. */
  derived?: string[];
  /** Format 3: sha256 of the whole new manifest.json, made from `manifest-changes.json` and the base; absent before. */
  manifest?: string;
}

/** The format seal writes. */
export const DELTA_FORMAT: DeltaHeader['format'] = 'newsmirror-delta/3';

/** The files a delta may leave for `apply` to make from the new manifest. */
export const DERIVABLE: ReadonlySet<string> = new Set([SUMS_FILE]);

export const DELTA_HEADER = 'delta.json';
export const DELTA_FILES = 'files/';
/** Format 3: the new manifest with only its changed and added entries under `files`. */
export const DELTA_MANIFEST_CHANGES = 'manifest-changes.json';

export function serializeDeltaHeader(header: DeltaHeader): Buffer {
  return Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
}

export function parseDeltaHeader(bytes: Uint8Array, label: string): DeltaHeader {
  const value = parseJsonBytes(bytes, 'ERR_DELTA', `${label}: delta.json is not JSON`);
  const h = value as Partial<DeltaHeader>;
  const strings = (a: unknown) => Array.isArray(a) && a.every((s) => typeof s === 'string');
  const derived = h?.format === 'newsmirror-delta/1' ? (h.derived === undefined ? [] : undefined) : DELTA_FORMATS.includes(h?.format as DeltaHeader['format']) ? h.derived : undefined;
  const manifestHash = h?.format === 'newsmirror-delta/3' ? /^[0-9a-f]{64}$/.test(String(h.manifest)) : h?.manifest === undefined;
  if (!strings(derived) || !manifestHash || !Number.isSafeInteger(h.from) || !Number.isSafeInteger(h.to) || !/^[0-9a-f]{64}$/.test(String(h.base)) || !strings(h.files) || !strings(h.removed)) {
    throw new NewsmirrorError('ERR_DELTA', `${label} is not a newsmirror delta bundle (delta.json of format newsmirror-delta/1, /2 or /3)`);
  }
  const unknown = (derived as string[]).find((path) => !DERIVABLE.has(path) || h.files!.includes(path));
  if (unknown !== undefined) throw new NewsmirrorError('ERR_DELTA', `${label} says "${unknown.slice(0, 200)}" is made from the manifest; only ${[...DERIVABLE].join(', ')} is, and not when carried too`);
  return { ...(h as DeltaHeader), derived: derived as string[] };
}

/** Format 3: the bytes of `manifest-changes.json`, the new manifest with only the entries of `changed` (sorted paths). */
export function serializeManifestChanges(manifest: Manifest, changed: ReadonlySet<string>): Buffer {
  return serializeManifest({ ...manifest, files: manifest.files.filter((f) => changed.has(f.path)) });
}

/**
 * Format 3: the new manifest from the base's and the changes (`files` of the changes replace or join the
 * base's, `removed` leave), in the base's path order; its fields and their order are the changes'.
 * The caller checks the bytes of the result against the header's sha256 and the signature.
 */
export function mergeManifestChanges(base: Manifest, changes: Manifest, removed: readonly string[]): Manifest {
  const files = new Map<string, ManifestFile>(base.files.map((f) => [f.path, f]));
  for (const path of removed) files.delete(path);
  const added: ManifestFile[] = [];
  for (const f of changes.files) {
    if (files.has(f.path)) files.set(f.path, f); // keeps its place
    else added.push(f);
  }
  // The base is in path order: the added entries are merged in, not the whole list sorted again (100,000 entries).
  added.sort((a, b) => comparePaths(a.path, b.path));
  const merged: ManifestFile[] = [];
  let next = 0;
  for (const f of files.values()) {
    while (next < added.length && comparePaths(added[next]!.path, f.path) < 0) merged.push(added[next++]!);
    merged.push(f);
  }
  merged.push(...added.slice(next));
  return { ...changes, files: merged };
}
