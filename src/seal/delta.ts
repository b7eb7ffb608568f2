/**
 * Delta bundles: seal keeps the exact manifest bytes of recent versions in
 * `.newsmirror/manifests/<version>.json` and writes, from each of the last N
 * of them to the new version, `dist/deltas/<from>-<to>.zip` (see sealed/delta.ts).
 */
import { comparePaths, DELTA_FILES, DELTA_FORMAT, DELTA_HEADER, DELTA_MANIFEST_CHANGES, DELTAS_DIR, deltaPath, DERIVABLE, parseManifest, serializeDeltaHeader, serializeManifestChanges, ZipWriter, type DeltaHeader, type DeltaInfo, type Manifest } from '../sealed/index.ts';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { SealStaging } from './commit.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface DeltaInput {
  /** The bytes of a file of the new version (checked against the manifest by the caller). */
  read: (path: string) => Uint8Array;
  distDir: string;
  /** `.newsmirror/` of the project: manifests of earlier versions are kept under it. */
  stateDir: string;
  /** The project folder (staged paths are relative to it). */
  root: string;
  /** Where the deltas, the kept manifest and the removals are staged (they change with the rest of the seal). */
  stage: SealStaging;
  manifest: Manifest;
  manifestBytes: Buffer;
  signature: Buffer;
  /** Deltas from this many earlier versions (0: none). */
  keep: number;
  signal?: AbortSignal;
}

/** What changed from `old` to `next`: paths to carry (changed or added) and paths removed. */
export function diffManifests(old: Manifest, next: Manifest): { files: string[]; removed: string[] } {
  const before = new Map(old.files.map((f) => [f.path, f.sha256]));
  const after = new Set(next.files.map((f) => f.path));
  const files = next.files.filter((f) => before.get(f.path) !== f.sha256).map((f) => f.path).sort(comparePaths);
  const removed = old.files.filter((f) => !after.has(f.path)).map((f) => f.path).sort(comparePaths);
  return { files, removed };
}

/** Earlier versions whose manifests are kept, newest first. */
async function keptVersions(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.map((n) => /^(\d+)\.json$/.exec(n)?.[1]).filter((v): v is string => v !== undefined).map(Number).sort((a, b) => b - a);
}

async function writeDelta(input: DeltaInput, manifestSha: string, oldBytes: Buffer, old: Manifest, out: string): Promise<{ size: number; sha256: string }> {
  const { files: changed, removed } = diffManifests(old, input.manifest);
  // SHA256SUMS is not carried: apply makes it from the new manifest (DERIVABLE).
  const files = changed.filter((path) => !DERIVABLE.has(path));
  const derived = changed.filter((path) => DERIVABLE.has(path));
  // Nor is the whole new manifest: only its changed entries, which apply merges into the base's.
  const header: DeltaHeader = { format: DELTA_FORMAT, from: old.version, to: input.manifest.version, base: sha256(oldBytes), files, removed, derived, manifest: manifestSha };
  const zip = await ZipWriter.create(out);
  try {
    await zip.addFile(DELTA_HEADER, serializeDeltaHeader(header));
    await zip.addFile(DELTA_MANIFEST_CHANGES, serializeManifestChanges(input.manifest, new Set(changed)));
    await zip.addFile('manifest.sig', input.signature);
    await zip.addFiles((async function* () {
      for (const path of files) {
        input.signal?.throwIfAborted();
        yield { name: DELTA_FILES + path, bytes: input.read(path) };
      }
    })());
    const size = await zip.close();
    return { size, sha256: zip.sha256 };
  } catch (error) {
    await zip.abort();
    throw error;
  }
}

/** Bytes of changed files writeDeltas keeps in memory to reuse across the deltas of one seal. */
const DELTA_CACHE_BYTES = 64 << 20;

/**
 * Stage this version's manifest for keeping, the deltas from the last `keep`
 * earlier versions into dist/deltas/ (and the removal of any others there),
 * and the removal of older kept manifests.
 */
export async function writeDeltas(input: DeltaInput): Promise<DeltaInfo[]> {
  // Each file read once for all the deltas (the same Buffer also lets the zip writer deflate it once), up to
  // DELTA_CACHE_BYTES: past that a file is read (and deflated) again, so a seal where half of a 100,000-article
  // site changed does not hold all 1.7 GB of them in memory (that run peaked at 3.8 GB). The bytes written are the same.
  const read = input.read;
  const once = new Map<string, Uint8Array>();
  let held = 0;
  input = {
    ...input,
    read: (path) => {
      const known = once.get(path);
      if (known) return known;
      const bytes = read(path);
      if (held + bytes.length <= DELTA_CACHE_BYTES) {
        once.set(path, bytes);
        held += bytes.length;
      }
      return bytes;
    },
  };
  const history = join(input.stateDir, 'manifests');
  const rel = (abs: string) => relative(input.root, abs).split(sep).join('/');
  const to = input.manifest.version;
  await input.stage.write(rel(join(history, `${to}.json`)), input.manifestBytes);
  const versions = (await keptVersions(history)).filter((v) => v < to);
  const earlier = versions.slice(0, input.keep);
  const outDir = join(input.distDir, DELTAS_DIR);
  const deltas: DeltaInfo[] = [];
  const manifestSha = sha256(input.manifestBytes);
  for (const from of earlier) {
    const oldBytes = await readFile(join(history, `${from}.json`));
    let old: Manifest;
    try {
      old = parseManifest(oldBytes, `.newsmirror/manifests/${from}.json`);
    } catch {
      continue; // a damaged kept manifest: no delta from it, the full bundle still serves
    }
    const path = deltaPath(from, to);
    const { size, sha256: hash } = await writeDelta(input, manifestSha, oldBytes, old, input.stage.file(rel(join(input.distDir, path))));
    deltas.push({ from, path, size, sha256: hash });
  }
  const wanted = new Set(deltas.map((d) => d.path.slice(DELTAS_DIR.length + 1)));
  for (const name of await readdir(outDir).catch(() => [] as string[])) if (!wanted.has(name)) input.stage.remove(rel(join(outDir, name)));
  for (const v of versions.slice(input.keep)) input.stage.remove(rel(join(history, `${v}.json`)));
  return deltas;
}
