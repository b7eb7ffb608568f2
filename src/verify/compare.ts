/** Pure comparison of a manifest with what a copy holds: missing, extra and altered files. */
import { createHash } from 'node:crypto';
import { MIRROR_MARKER, type ManifestFile } from '../core/manifest.ts';

export type ProblemKind = 'missing' | 'extra' | 'altered' | 'signature' | 'block' | 'root' | 'unreadable';

export interface Problem {
  path: string;
  kind: ProblemKind;
  detail: string;
}

/** What is wrong with one file's bytes against its manifest entry, if anything. */
export function checkFile(expected: ManifestFile, bytes: Uint8Array): Problem | undefined {
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length === expected.size && sha === expected.sha256) return undefined;
  return {
    path: expected.path,
    kind: 'altered',
    detail: `expected ${expected.size} bytes with sha256 ${expected.sha256}, found ${bytes.length} bytes with sha256 ${sha}`,
  };
}

/** Files the copy holds that the manifest does not name (manifest.json, manifest.sig and a publish target's marker aside). */
export function extraFiles(manifestFiles: ManifestFile[], present: string[]): Problem[] {
  const named = new Set(manifestFiles.map((f) => f.path));
  return present
    .filter((p) => p !== 'manifest.json' && p !== 'manifest.sig' && p !== MIRROR_MARKER && !named.has(p))
    .map((path) => ({ path, kind: 'extra' as const, detail: 'not in the signed manifest (added after sealing)' }));
}
