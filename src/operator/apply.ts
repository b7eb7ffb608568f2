/**
 * `apply`: bring a copy from version A to B with a delta bundle. The new
 * version is staged beside the live one (unchanged files hard-linked, changed
 * ones from the delta), checked file by file against B's signed manifest, and
 * only then switched in. A delta for another base, a hostile zip or a result
 * that does not verify changes nothing.
 */
import { DELTA_FILES, DELTA_HEADER, DELTA_MANIFEST_CHANGES, formatSums, isSafePath, mergeManifestChanges, parseDeltaHeader, parseManifest, serializeManifest, verifyBytes, ZipReader, type DeltaHeader, type Manifest } from '../sealed/index.ts';
import type { KeyObject } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { NewsmirrorError, describeError } from '../core/errors.ts';
import { writeFileAtomic, pathExists } from '../core/fs.ts';
import { verify } from '../verify/index.ts';
import { linkOrCopy } from '../core/fs.ts';
import { promote, stagingFor } from './switch.ts';
import { sha256Hex } from '../core/hash.ts';

export class DeltaError extends NewsmirrorError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** A verified copy on disk: its folder, manifest bytes and parsed manifest. */
export interface HeldCopy {
  dir: string;
  manifestBytes: Buffer;
  manifest: Manifest;
}

/** The site folder of a copy: DIR itself, or DIR/site in an unzipped offline bundle, or DIR/_site in an operator folder. */
export async function siteFolderOf(dir: string): Promise<string> {
  for (const candidate of [dir, join(dir, '_site'), join(dir, 'site')]) {
    if (await pathExists(join(candidate, 'manifest.json'))) return candidate;
  }
  throw new DeltaError('ERR_NO_COPY', `${dir} holds no manifest.json (nor _site/ or site/ with one): it is not a copy of the site`);
}

/** Read the copy's manifest and check its signature (its files are checked when the result is verified). */
export async function readHeldCopy(dir: string, key: KeyObject): Promise<HeldCopy> {
  const manifestBytes = await readFile(join(dir, 'manifest.json'));
  const signature = await readFile(join(dir, 'manifest.sig')).catch(() => Buffer.alloc(0));
  if (!verifyBytes(manifestBytes, signature, key)) throw new DeltaError('ERR_SIGNATURE', `${dir}/manifest.sig does not verify with the trusted key: this copy is not the signed build; clone it afresh`);
  return { dir, manifestBytes, manifest: parseManifest(manifestBytes, `${dir}/manifest.json`) };
}

/**
 * Format 3: the exact bytes of the new manifest, from the held copy's (the base, checked) and the
 * changed entries the delta carries, which must be exactly the paths it names as changed.
 */
function mergedManifest(header: DeltaHeader, held: HeldCopy, changesBytes: Buffer, label: string): Buffer {
  const changes = parseManifest(changesBytes, `${label}: ${DELTA_MANIFEST_CHANGES}`);
  const named = new Set([...header.files, ...(header.derived ?? [])]);
  const listed = changes.files.map((f) => (f as Partial<typeof f>)?.path);
  if (listed.length !== named.size || !listed.every((path) => typeof path === 'string' && named.has(path)) || new Set(listed).size !== listed.length) {
    throw new DeltaError('ERR_DELTA', `${label}: ${DELTA_MANIFEST_CHANGES} lists other entries than the files delta.json names as changed; refusing it`);
  }
  const bytes = serializeManifest(mergeManifestChanges(held.manifest, changes, header.removed));
  if (sha256Hex(bytes) !== header.manifest) throw new DeltaError('ERR_DELTA', `${label}: the manifest made from ${held.dir}'s and the delta's changed entries is not the one delta.json names (sha256 ${header.manifest}); refusing it`);
  return bytes;
}

export interface StagedDelta {
  header: DeltaHeader;
  manifest: Manifest;
  /** Bytes taken from the delta (files written that were not linked from the held copy). */
  bytes: number;
}

/**
 * Build version B in `out` from the held copy and the delta zip; `out` is
 * removed again on any failure. Checks: the new manifest's signature, the
 * base, every path, every carried file's sha256; then the whole result with verify().
 */
export async function stageDelta(deltaFile: string, held: HeldCopy, key: KeyObject, out: string, signal?: AbortSignal): Promise<StagedDelta> {
  const label = deltaFile;
  let zip: ZipReader;
  try {
    zip = await ZipReader.open(deltaFile);
  } catch (error) {
    throw new DeltaError('ERR_DELTA', `${label} is not a readable delta bundle: ${describeError(error)}`, { cause: error });
  }
  try {
    if (!zip.entries.has(DELTA_HEADER)) throw new DeltaError('ERR_DELTA', `${label} has no ${DELTA_HEADER}: not a delta bundle`);
    const header = parseDeltaHeader(await zip.read(DELTA_HEADER, 64 << 20), label);
    // Format 3 carries the manifest's changed entries, older formats the whole manifest.
    const manifestEntry = header.manifest === undefined ? 'manifest.json' : DELTA_MANIFEST_CHANGES;
    for (const name of [manifestEntry, 'manifest.sig']) if (!zip.entries.has(name)) throw new DeltaError('ERR_DELTA', `${label} has no ${name}: not a delta bundle of ${header.format}`);
    const from = held.manifest.version;
    if (header.from !== from || header.base !== sha256Hex(held.manifestBytes)) {
      throw new DeltaError('ERR_DELTA_BASE', `${label} goes from version ${header.from} to ${header.to}, but ${held.dir} holds version ${from}${header.from === from ? ' with another manifest' : ''}; use the delta from ${from} (deltas/${from}-<new>.zip) or the full bundle`);
    }
    const manifestBytes = header.manifest === undefined ? await zip.read('manifest.json', 64 << 20) : mergedManifest(header, held, await zip.read(DELTA_MANIFEST_CHANGES, 64 << 20), label);
    const signature = await zip.read('manifest.sig', 1024);
    if (!verifyBytes(manifestBytes, signature, key)) throw new DeltaError('ERR_SIGNATURE', `${label}: the new manifest's signature does not verify with the trusted key; refusing it`);
    const manifest = parseManifest(manifestBytes, `${label}: manifest.json`);
    if (header.to !== manifest.version) throw new DeltaError('ERR_DELTA', `${label}: delta.json says version ${header.to}, its signed manifest ${manifest.version}`);
    if (manifest.version <= from) throw new DeltaError('ERR_ROLLBACK', `${label} would take ${held.dir} from version ${from} back to ${manifest.version}; refusing to go backwards`);
    // Every name must be a site path the new manifest lists (carried) or the old one does and the new one does not (removed).
    const next = new Map(manifest.files.map((f) => [f.path, f]));
    const before = new Map(held.manifest.files.map((f) => [f.path, f]));
    const carried = new Set(header.files);
    const derived = new Set(header.derived);
    for (const path of header.files) if (!isSafePath(path) || !next.has(path)) throw new DeltaError('ERR_DELTA', `${label} carries "${path.slice(0, 200)}", which the new manifest does not list; refusing it`);
    for (const path of derived) if (!next.has(path)) throw new DeltaError('ERR_DELTA', `${label} says ${path} is made from the new manifest, which does not list it; refusing it`);
    for (const path of header.removed) if (!isSafePath(path) || !before.has(path) || next.has(path)) throw new DeltaError('ERR_DELTA', `${label} removes "${path.slice(0, 200)}", which is not a file of version ${from} gone from ${manifest.version}; refusing it`);
    for (const name of zip.entries.keys()) {
      if ([DELTA_HEADER, manifestEntry, 'manifest.sig'].includes(name) || name.endsWith('/')) continue;
      if (!name.startsWith(DELTA_FILES) || !carried.has(name.slice(DELTA_FILES.length))) throw new DeltaError('ERR_DELTA', `${label} holds an entry "${name.slice(0, 200)}" that delta.json does not name; refusing it`);
    }
    let bytes = 0;
    try {
      for (const file of manifest.files) {
        signal?.throwIfAborted();
        const dest = join(out, ...file.path.split('/'));
        if (carried.has(file.path)) {
          if (!zip.entries.has(DELTA_FILES + file.path)) throw new DeltaError('ERR_DELTA', `${label} names ${file.path} but does not carry it`);
          const data = await zip.read(DELTA_FILES + file.path, file.size);
          if (data.length !== file.size || sha256Hex(data) !== file.sha256) throw new DeltaError('ERR_DELTA', `${label}: ${file.path} does not match its sha256 in the signed manifest; refusing the delta`);
          await writeFileAtomic(dest, data);
          bytes += data.length;
        } else if (derived.has(file.path)) {
          // SHA256SUMS, made from the signed manifest's entries: the same bytes seal wrote, or the delta is refused.
          const data = formatSums(manifest.files);
          if (data.length !== file.size || sha256Hex(data) !== file.sha256) throw new DeltaError('ERR_DELTA', `${label}: ${file.path} made from the new manifest does not match its sha256 in it; refusing the delta`);
          await writeFileAtomic(dest, data);
        } else {
          const old = before.get(file.path);
          if (!old || old.sha256 !== file.sha256) throw new DeltaError('ERR_DELTA', `${label} does not carry ${file.path}, which changed since version ${from}; refusing it`);
          await linkOrCopy(join(held.dir, ...file.path.split('/')), dest);
        }
      }
      await writeFileAtomic(join(out, 'manifest.json'), manifestBytes);
      await writeFileAtomic(join(out, 'manifest.sig'), signature);
      const report = await verify({ source: out, publicKey: key, signal });
      if (!report.ok) {
        const first = report.problems[0];
        throw new DeltaError('ERR_VERIFY', `the result of ${label} does not verify against version ${manifest.version}'s signed manifest (${report.problems.length} problem(s), e.g. ${first?.path}: ${first?.detail}); the copy in ${held.dir} is unchanged`);
      }
    } catch (error) {
      await rm(out, { recursive: true, force: true });
      throw error;
    }
    return { header, manifest, bytes };
  } finally {
    await zip.close();
  }
}

export interface ApplyReport {
  dir: string;
  from: number;
  to: number;
  changed: number;
  removed: number;
  bytes: number;
}

/** `newsmirror apply <delta.zip> DIR`: stage, verify, switch atomically. */
export async function applyDelta(options: { delta: string; dir: string; key: KeyObject; signal?: AbortSignal }): Promise<ApplyReport> {
  const site = await siteFolderOf(options.dir);
  const held = await readHeldCopy(site, options.key);
  const staged = await stagingFor(site);
  const result = await stageDelta(options.delta, held, options.key, staged, options.signal);
  const old = await promote(site, staged, result.manifest.version);
  if (old) await rm(old, { recursive: true, force: true });
  return { dir: site, from: result.header.from, to: result.header.to, changed: result.header.files.length + (result.header.derived?.length ?? 0), removed: result.header.removed.length, bytes: result.bytes };
}
