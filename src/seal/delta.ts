/**
 * Delta bundles: seal keeps the exact manifest bytes of recent versions in
 * `.newsmirror/manifests/<version>.json` and writes, from each of the last N
 * of them to the new version, `dist/deltas/<from>-<to>.zip` (see sealed/delta.ts).
 *
 * Beside each kept manifest, `<version>.changes.json` records how it differs from
 * the kept version before it (a step: the entries that changed, with their sha256
 * before and after). A seal parses only the newest kept manifest; the delta from
 * an older one is the steps since it put together, so at 100,000 files a seal reads
 * one 30 MB manifest instead of seven. A step missing or not following on (a
 * history kept by an older newsmirror, a file deleted) means that manifest is
 * parsed, as before: the deltas are the same bytes either way.
 */
import { comparePaths, DELTA_FILES, DELTA_FORMAT, DELTA_HEADER, DELTA_MANIFEST_CHANGES, DELTAS_DIR, deltaPath, DERIVABLE, parseManifest, serializeDeltaHeader, serializeManifestChanges, ZipWriter, type DeltaHeader, type DeltaInfo, type Manifest } from '../sealed/index.ts';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { SealStaging } from './commit.ts';
import { sha256Hex } from '../core/hash.ts';

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
  /** The previous version's manifest as the seal read it from dist/: not parsed again when its kept bytes are these. */
  previous?: { manifest: Manifest; bytes: Buffer };
  signal?: AbortSignal;
}

/** An entry that differs between two versions: path, sha256 before (null: absent), sha256 after (null: removed). */
export type Change = [path: string, before: string | null, after: string | null];

/** Every entry that differs from `old` to `next`. */
export function manifestChanges(old: Manifest, next: Manifest): Change[] {
  const before = new Map(old.files.map((f) => [f.path, f.sha256]));
  const changes: Change[] = [];
  for (const f of next.files) {
    const was = before.get(f.path);
    if (was !== f.sha256) changes.push([f.path, was ?? null, f.sha256]);
    before.delete(f.path);
  }
  for (const [path, was] of before) changes.push([path, was, null]);
  return changes;
}

/**
 * What changed over consecutive steps, oldest first: paths to carry (changed or added) and
 * paths removed. A path's state before is the one its first step saw, after the one its last left.
 */
export function composeChanges(steps: readonly (readonly Change[])[]): { files: string[]; removed: string[] } {
  const span = new Map<string, [string | null, string | null]>();
  for (const step of steps) {
    for (const [path, before, after] of step) {
      const known = span.get(path);
      if (known) known[1] = after;
      else span.set(path, [before, after]);
    }
  }
  const files: string[] = [];
  const removed: string[] = [];
  for (const [path, [before, after]] of span) {
    if (after === null) {
      if (before !== null) removed.push(path);
    } else if (after !== before) files.push(path);
  }
  return { files: files.sort(comparePaths), removed: removed.sort(comparePaths) };
}

/** Bump when a step file's meaning changes: one of another format is not used (its manifest is parsed instead). */
const STEP_FORMAT = 1;

/** `.newsmirror/manifests/<version>.changes.json`: how a kept manifest differs from the kept one before it. */
interface StepFile {
  format: number;
  version: number;
  /** sha256 of `<version>.json`'s bytes (a delta's base). */
  sha256: string;
  /** The kept version the changes start from; null when none was kept. */
  from: number | null;
  changes: Change[];
}

const stepName = (version: number) => `${version}.changes.json`;

const isHash = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);

/** A kept step file, or undefined when it is absent, damaged or of another format or version. */
async function readStep(history: string, version: number): Promise<StepFile | undefined> {
  try {
    const step = JSON.parse(await readFile(join(history, stepName(version)), 'utf8')) as Partial<StepFile>;
    const sideOk = (v: unknown) => v === null || isHash(v);
    const changesOk = Array.isArray(step.changes) && step.changes.every((c) => Array.isArray(c) && c.length === 3 && typeof c[0] === 'string' && sideOk(c[1]) && sideOk(c[2]));
    const fromOk = step.from === null || (Number.isSafeInteger(step.from) && step.from! < version);
    return step.format === STEP_FORMAT && step.version === version && isHash(step.sha256) && fromOk && changesOk ? (step as StepFile) : undefined;
  } catch {
    return undefined;
  }
}

/** Versions whose manifests are kept (files named in `names`), newest first. */
function keptVersions(names: readonly string[]): number[] {
  return names.map((n) => /^(\d+)\.json$/.exec(n)?.[1]).filter((v): v is string => v !== undefined).map(Number).sort((a, b) => b - a);
}

/** The delta from version `from` (whose manifest's bytes have sha256 `base`) to the new version. */
async function writeDelta(input: DeltaInput, manifestSha: string, from: number, base: string, diff: { files: string[]; removed: string[] }, out: string): Promise<{ size: number; sha256: string }> {
  const { files: changed, removed } = diff;
  // SHA256SUMS is not carried: apply makes it from the new manifest (DERIVABLE).
  const files = changed.filter((path) => !DERIVABLE.has(path));
  const derived = changed.filter((path) => DERIVABLE.has(path));
  // Nor is the whole new manifest: only its changed entries, which apply merges into the base's.
  const header: DeltaHeader = { format: DELTA_FORMAT, from, to: input.manifest.version, base, files, removed, derived, manifest: manifestSha };
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
  const names = await readdir(history).catch(() => [] as string[]);
  const versions = keptVersions(names).filter((v) => v < to);
  const earlier = versions.slice(0, input.keep);
  const outDir = join(input.distDir, DELTAS_DIR);
  const deltas: DeltaInfo[] = [];
  const manifestSha = sha256Hex(input.manifestBytes);
  /** The steps from earlier[i] to the new version, oldest first, while they follow on from each other. */
  const steps: Change[][] = [];
  let chained = true;
  for (const [i, from] of earlier.entries()) {
    let base: string | undefined;
    let diff: { files: string[]; removed: string[] } | undefined;
    if (i > 0 && chained) {
      // The step into the version after this one, if it starts here; this one's own step file gives its manifest's sha256.
      const [next, own] = await Promise.all([readStep(history, earlier[i - 1]!), readStep(history, from)]);
      if (next?.from === from && own) {
        steps.unshift(next.changes);
        base = own.sha256;
        diff = composeChanges(steps);
      } else chained = false;
    }
    if (!diff) {
      let oldBytes: Buffer;
      let old: Manifest;
      try {
        oldBytes = await readFile(join(history, `${from}.json`));
        const known = input.previous?.manifest.version === from && input.previous.bytes.equals(oldBytes) ? input.previous.manifest : undefined;
        old = known ?? parseManifest(oldBytes, `.newsmirror/manifests/${from}.json`);
      } catch {
        // Without the newest step there is nothing to put older ones together with.
        if (i === 0) chained = false;
        continue; // a kept manifest damaged or gone: no delta from it, the full bundle still serves
      }
      base = sha256Hex(oldBytes);
      const changes = manifestChanges(old, input.manifest);
      if (i === 0) steps.push(changes);
      diff = composeChanges([changes]);
    }
    const path = deltaPath(from, to);
    const { size, sha256: hash } = await writeDelta(input, manifestSha, from, base!, diff, input.stage.file(rel(join(input.distDir, path))));
    deltas.push({ from, path, size, sha256: hash });
  }
  // The newest step (to this version) is the last of the steps, there when the newest kept manifest could be read.
  const latest = steps.at(-1);
  const step: StepFile = { format: STEP_FORMAT, version: to, sha256: manifestSha, from: latest ? earlier[0]! : null, changes: latest ?? [] };
  await input.stage.write(rel(join(history, stepName(to))), Buffer.from(`${JSON.stringify(step)}\n`));
  const wanted = new Set(deltas.map((d) => d.path.slice(DELTAS_DIR.length + 1)));
  for (const name of await readdir(outDir).catch(() => [] as string[])) if (!wanted.has(name)) input.stage.remove(rel(join(outDir, name)));
  // Older manifests go, with their step files (and a step file whose manifest is gone).
  const kept = new Set(earlier);
  for (const name of names) {
    const version = Number(/^(\d+)(\.changes)?\.json$/.exec(name)?.[1]);
    if (version < to && !kept.has(version)) input.stage.remove(rel(join(history, name)));
  }
  return deltas;
}
