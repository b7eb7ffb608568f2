/**
 * Take a signed build from a source into a new folder: the manifest's
 * signature first, then every file (unchanged ones hard-linked from the copy
 * held, the rest read from the source and checked against their signed
 * sha256), then the whole folder verified. Nothing is made live here.
 */
import type { KeyObject } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { NewsmirrorError, describeError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { isSafePath, parseManifest, sortEntries, verifyBytes, type SignedManifest } from '../sealed/index.ts';
import { verify } from '../verify/index.ts';
import type { HeldCopy } from './apply.ts';
import type { CopySource } from './source.ts';
import { linkOrCopy } from '../core/fs.ts';
import { sha256Hex } from '../core/hash.ts';

const MAX_MANIFEST = 64 << 20;

/** The source's manifest, its signature checked with the pinned key. */
export async function readSignedManifest(source: CopySource, key: KeyObject): Promise<SignedManifest> {
  const bytes = await source.read('manifest.json', MAX_MANIFEST);
  const signature = await source.read('manifest.sig', 1024);
  if (!bytes || !signature) throw new NewsmirrorError('ERR_NO_COPY', `${source.label} has no manifest.json and manifest.sig: it is not a copy of a sealed newsmirror site (for a mirror under a subpath give the whole path, e.g. https://host/news/)`);
  if (!verifyBytes(bytes, signature, key)) throw new NewsmirrorError('ERR_SIGNATURE', `${source.label}: manifest.sig does not verify with the pinned key; this copy was altered or signed by someone else, refusing it`);
  return { manifest: parseManifest(bytes, `${source.label} manifest.json`), bytes: Buffer.from(bytes), signature: Buffer.from(signature) };
}

export interface StageReport {
  /** Files read from the source, and their bytes. */
  fetched: number;
  bytes: number;
  /** Files linked from the copy held. */
  linked: number;
}

/** Write the build `signed` names into `out` (removed again on any failure). */
export async function stageCopy(source: CopySource, signed: SignedManifest, key: KeyObject, out: string, held?: HeldCopy, signal?: AbortSignal): Promise<StageReport> {
  const { valid, problems } = sortEntries(signed.manifest.files, isSafePath);
  if (problems.length) throw new NewsmirrorError('ERR_MANIFEST', `${source.label}: the signed manifest has entries no copy can hold (${problems[0]!.path}: ${problems[0]!.detail}); refusing it`);
  const before = new Map(held?.manifest.files.map((f) => [f.path, f.sha256]) ?? []);
  const report: StageReport = { fetched: 0, bytes: 0, linked: 0 };
  try {
    let next = 0;
    // The first failure stops every worker; the folder is removed only once none is still writing into it.
    let failure: { error: unknown } | undefined;
    const worker = async () => {
      try {
        await work();
      } catch (error) {
        failure ??= { error };
      }
    };
    const work = async () => {
      while (!failure && next < valid.length) {
        const file = valid[next++]!;
        signal?.throwIfAborted();
        const dest = join(out, ...file.path.split('/'));
        if (held && before.get(file.path) === file.sha256) {
          await linkOrCopy(join(held.dir, ...file.path.split('/')), dest);
          report.linked++;
          continue;
        }
        let data: Uint8Array | undefined;
        try {
          data = await source.read(file.path, file.size);
        } catch (error) {
          signal?.throwIfAborted();
          throw new NewsmirrorError('ERR_COPY_FILE', `${source.label}: ${file.path} could not be read within its signed size (${file.size} bytes): ${describeError(error)}`, { cause: error });
        }
        if (!data) throw new NewsmirrorError('ERR_COPY_FILE', `${source.label}: ${file.path} is in the signed manifest but missing from this copy; refusing it`);
        if (data.length !== file.size || sha256Hex(data) !== file.sha256) throw new NewsmirrorError('ERR_COPY_FILE', `${source.label}: ${file.path} does not match its sha256 in the signed manifest (altered copy); refusing it`);
        await writeFileAtomic(dest, data);
        report.fetched++;
        report.bytes += data.length;
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, Math.max(1, valid.length)) }, worker));
    if (failure) throw failure.error;
    await writeFileAtomic(join(out, 'manifest.json'), signed.bytes);
    await writeFileAtomic(join(out, 'manifest.sig'), signed.signature);
    // The whole folder once more, as a reader's verify would see it (held files could have been changed on disk).
    const check = await verify({ source: out, publicKey: key, signal });
    if (!check.ok) throw new NewsmirrorError('ERR_VERIFY', `the copy taken from ${source.label} does not verify (${check.problems.length} problem(s), e.g. ${check.problems[0]?.path}: ${check.problems[0]?.detail})`);
  } catch (error) {
    await rm(out, { recursive: true, force: true });
    throw error;
  }
  return report;
}
