/**
 * A delta bundle, `deltas/<from>-<to>.zip`: what a copy of version `from`
 * needs to become version `to`. Entries: `delta.json` (below), the new
 * `manifest.json` and `manifest.sig`, and `files/<path>` for every changed or
 * added file but those in `derived`. Trust comes from the new manifest's signature; `base` ties the
 * delta to the exact manifest bytes of the version it starts from.
 *
 * Format 2 (written since) adds `derived`: changed files made from the new signed manifest
 * instead of carried, checked against their sha256 in it. Only `SHA256SUMS` is (sums.ts): at
 * 100,000 articles it was 8.8 of a delta's 20 MB, in each of the seven deltas of every seal.
 * Format 1 (no `derived`) is still read.
 */
import { NewsmirrorError } from '../core/errors.ts';
import { parseJsonBytes } from './json.ts';
import { SUMS_FILE } from './sums.ts';

export interface DeltaHeader {
  format: 'newsmirror-delta/1' | 'newsmirror-delta/2';
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
}

/** The files a delta may leave for `apply` to make from the new manifest. */
export const DERIVABLE: ReadonlySet<string> = new Set([SUMS_FILE]);

export const DELTA_HEADER = 'delta.json';
export const DELTA_FILES = 'files/';

export function serializeDeltaHeader(header: DeltaHeader): Buffer {
  return Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
}

export function parseDeltaHeader(bytes: Uint8Array, label: string): DeltaHeader {
  const value = parseJsonBytes(bytes, 'ERR_DELTA', `${label}: delta.json is not JSON`);
  const h = value as Partial<DeltaHeader>;
  const strings = (a: unknown) => Array.isArray(a) && a.every((s) => typeof s === 'string');
  const derived = h?.format === 'newsmirror-delta/2' ? h.derived : h?.format === 'newsmirror-delta/1' && h.derived === undefined ? [] : undefined;
  if (!strings(derived) || !Number.isSafeInteger(h.from) || !Number.isSafeInteger(h.to) || !/^[0-9a-f]{64}$/.test(String(h.base)) || !strings(h.files) || !strings(h.removed)) {
    throw new NewsmirrorError('ERR_DELTA', `${label} is not a newsmirror delta bundle (delta.json of format newsmirror-delta/1 or /2)`);
  }
  const unknown = (derived as string[]).find((path) => !DERIVABLE.has(path) || h.files!.includes(path));
  if (unknown !== undefined) throw new NewsmirrorError('ERR_DELTA', `${label} says "${unknown.slice(0, 200)}" is made from the manifest; only ${[...DERIVABLE].join(', ')} is, and not when carried too`);
  return { ...(h as DeltaHeader), derived: derived as string[] };
}
