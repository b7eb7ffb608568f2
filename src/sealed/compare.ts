/** Pure comparison of a manifest with what a copy holds: missing, extra and altered files. */
import { MIRROR_MARKER, type ManifestFile } from './manifest.ts';
import { DELTAS_DIR, RELEASE_FILES } from './release.ts';
import { sha256Hex } from '../core/hash.ts';

export type ProblemKind = 'missing' | 'extra' | 'altered' | 'signature' | 'block' | 'root' | 'unreadable';

export interface Problem {
  path: string;
  kind: ProblemKind;
  detail: string;
  /** The stable code of the error behind an unreadable (or remote altered) file, e.g. ERR_REMOTE_TIMEOUT. */
  code?: string;
}

/** Length and sha256 of what a copy holds (`over`: it holds more than `size` bytes, the rest unread). */
export interface Digest {
  size: number;
  sha256: string;
  over?: boolean;
}

export function digestOf(bytes: Uint8Array): Digest {
  return { size: bytes.length, sha256: sha256Hex(bytes) };
}

/** What is wrong with one file's bytes (or their digest) against its manifest entry, if anything. */
export function checkFile(expected: ManifestFile, found: Uint8Array | Digest): Problem | undefined {
  const digest = found instanceof Uint8Array ? digestOf(found) : found;
  if (!digest.over && digest.size === expected.size && digest.sha256 === expected.sha256) return undefined;
  return {
    path: expected.path,
    kind: 'altered',
    detail: digest.over
      ? `expected ${expected.size} bytes with sha256 ${expected.sha256}, found more than ${digest.size} bytes`
      : `expected ${expected.size} bytes with sha256 ${expected.sha256}, found ${digest.size} bytes with sha256 ${digest.sha256}`,
  };
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * A problem as it may be shown: control characters (a newline, an ESC that
 * starts a terminal sequence) written as \uXXXX, so a hostile copy cannot fake
 * an "ok" line or drive the reader's terminal through a file name.
 */
export function printable(problem: Problem): Problem {
  // eslint-disable-next-line no-control-regex
  const escape = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return { path: escape(problem.path), kind: problem.kind, detail: escape(problem.detail), ...(problem.code ? { code: problem.code } : {}) };
}

/**
 * Manifest entries no copy can be checked against (a path that is not a safe
 * site path, a size that is not a whole number of bytes, a sha256 that is not
 * 64 lowercase hex digits, a path named twice), each as a problem; the rest to check.
 */
export function sortEntries(files: unknown[], isSafePath: (path: string) => boolean): { valid: ManifestFile[]; problems: Problem[] } {
  const valid: ManifestFile[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  files.forEach((entry, i) => {
    const f = (entry ?? {}) as Partial<Record<keyof ManifestFile, unknown>>;
    const path = typeof f.path === 'string' ? f.path : `files[${i}]`;
    const bad = (detail: string) => problems.push({ path, kind: 'unreadable', detail: `the manifest entry ${detail}` });
    if (typeof f.path !== 'string') bad('has no path');
    else if (!isSafePath(f.path)) bad('names a path outside the site');
    else if (typeof f.size !== 'number' || !Number.isSafeInteger(f.size) || f.size < 0) bad(`has an impossible size (${JSON.stringify(f.size)})`);
    else if (typeof f.sha256 !== 'string' || !SHA256.test(f.sha256)) bad('has no sha256 of 64 lowercase hex digits');
    else if (seen.has(f.path)) bad('names this path a second time');
    else {
      seen.add(f.path);
      valid.push({ path: f.path, size: f.size, sha256: f.sha256 });
    }
  });
  return { valid, problems };
}

/** What a published copy carries beside the site, outside the manifest: the marker, bundles, the release record, deltas. */
export function besideSite(path: string): boolean {
  return path === MIRROR_MARKER || (RELEASE_FILES as readonly string[]).includes(path) || path.startsWith(`${DELTAS_DIR}/`);
}

/** Files the copy holds that the manifest does not name (manifest.json, manifest.sig and what a copy carries beside the site aside). */
export function extraFiles(manifestFiles: ManifestFile[], present: string[]): Problem[] {
  const named = new Set(manifestFiles.map((f) => f.path));
  return present
    .filter((p) => p !== 'manifest.json' && p !== 'manifest.sig' && !besideSite(p) && !named.has(p))
    .map((path) => ({ path, kind: 'extra' as const, detail: 'not in the signed manifest (added after sealing)' }));
}
