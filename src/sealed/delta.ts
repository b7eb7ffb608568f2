/**
 * A delta bundle, `deltas/<from>-<to>.zip`: what a copy of version `from`
 * needs to become version `to`. Entries: `delta.json` (below), the new
 * `manifest.json` and `manifest.sig`, and `files/<path>` for every changed or
 * added file. Trust comes from the new manifest's signature; `base` ties the
 * delta to the exact manifest bytes of the version it starts from.
 */
import { NewsmirrorError } from '../core/errors.ts';
import { parseJsonBytes } from './json.ts';

export interface DeltaHeader {
  format: 'newsmirror-delta/1';
  from: number;
  to: number;
  /** sha256 of the exact manifest.json bytes of version `from`. */
  base: string;
  /** Paths carried under files/ (changed or added), sorted. */
  files: string[];
  /** Paths of `from` that `to` no longer has, sorted. */
  removed: string[];
}

export const DELTA_HEADER = 'delta.json';
export const DELTA_FILES = 'files/';

export function serializeDeltaHeader(header: DeltaHeader): Buffer {
  return Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
}

export function parseDeltaHeader(bytes: Uint8Array, label: string): DeltaHeader {
  const value = parseJsonBytes(bytes, 'ERR_DELTA', `${label}: delta.json is not JSON`);
  const h = value as Partial<DeltaHeader>;
  const strings = (a: unknown) => Array.isArray(a) && a.every((s) => typeof s === 'string');
  if (h?.format !== 'newsmirror-delta/1' || !Number.isSafeInteger(h.from) || !Number.isSafeInteger(h.to) || !/^[0-9a-f]{64}$/.test(String(h.base)) || !strings(h.files) || !strings(h.removed)) {
    throw new NewsmirrorError('ERR_DELTA', `${label} is not a newsmirror delta bundle (delta.json of format newsmirror-delta/1)`);
  }
  return h as DeltaHeader;
}
