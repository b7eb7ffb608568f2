/**
 * Checking a copy against its signed manifest, whatever holds the copy (a
 * folder, a CAR, the bundle, a URL): the signature, then each file's size and
 * sha256. Every finding is a Problem; nothing stops at the first. `verify`
 * checks every file, `check` a sample, both through these two functions.
 */
import type { KeyObject } from 'node:crypto';
import { describeError, NewsmirrorError } from '../core/errors.ts';
import { checkFile, sortEntries, type Digest, type Problem } from './compare.ts';
import { formatPublicKey, parseManifest, parsePublicKey, verifyBytes, type Manifest, type ManifestFile } from './manifest.ts';
import { isSafePath } from './walk.ts';

/** The largest manifest.json read from any copy. */
export const MAX_MANIFEST_BYTES = 64 << 20;
/** The largest manifest.sig read (a signature is 64 bytes). */
export const MAX_SIGNATURE_BYTES = 1024;

/** What a copy must let a check do: read a small file whole, and hash a listed file. Both: undefined = not in the copy. */
export interface CopyAccess {
  /** Read a file whole, at most `maxBytes` (a larger one throws); `json`: the caller expects JSON. */
  read(path: string, maxBytes: number, options: { json?: boolean; signal?: AbortSignal }): Promise<Uint8Array | undefined>;
  /** Size and sha256 of a manifest-listed file; reading stops past its signed size (then `over`). */
  digest(file: ManifestFile, signal?: AbortSignal): Promise<Digest | undefined>;
}

/** A problem from a thrown error, keeping its stable code. */
export function problemFrom(path: string, error: unknown, kind: Problem['kind'] = 'unreadable'): Problem {
  const code = error instanceof NewsmirrorError ? error.code : undefined;
  return { path, kind, detail: describeError(error), ...(code ? { code } : {}) };
}

/** Does `signature` verify under the `ed25519:...` key the manifest itself names? */
function signedBy(bytes: Uint8Array, signature: Uint8Array, key: string): boolean {
  try {
    return verifyBytes(bytes, signature, parsePublicKey(key));
  } catch {
    return false;
  }
}

/**
 * manifest.json and manifest.sig: read, parsed, signature checked with the
 * trusted key. The manifest is returned even when the signature fails (so a
 * full verify still reports which files differ); problems say why not to trust it.
 */
export async function checkManifest(copy: CopyAccess, publicKey: KeyObject, problems: Problem[], signal?: AbortSignal): Promise<Manifest | undefined> {
  const [bytes, signature] = await Promise.allSettled([
    copy.read('manifest.json', MAX_MANIFEST_BYTES, { json: true, signal }),
    copy.read('manifest.sig', MAX_SIGNATURE_BYTES, { signal }),
  ]);
  signal?.throwIfAborted();
  if (bytes.status === 'rejected') {
    problems.push(problemFrom('manifest.json', bytes.reason));
    return undefined;
  }
  if (!bytes.value) {
    problems.push({ path: 'manifest.json', kind: 'missing', detail: 'no manifest: this copy was never sealed, or the manifest was removed' });
    return undefined;
  }
  let manifest: Manifest | undefined;
  try {
    manifest = parseManifest(bytes.value, 'manifest.json');
  } catch (error) {
    problems.push(problemFrom('manifest.json', error));
  }
  const trusted = formatPublicKey(publicKey);
  if (signature.status === 'rejected') problems.push(problemFrom('manifest.sig', signature.reason));
  else if (!signature.value) problems.push({ path: 'manifest.sig', kind: 'missing', detail: 'no signature beside the manifest' });
  else if (!verifyBytes(bytes.value, signature.value, publicKey)) {
    const claimed = typeof manifest?.publicKey === 'string' && manifest.publicKey !== trusted ? manifest.publicKey : undefined;
    const byOther = claimed !== undefined && signedBy(bytes.value, signature.value, claimed);
    problems.push({
      path: 'manifest.sig',
      kind: 'signature',
      detail: byOther
        ? `signed by ${claimed}, not by the key you trust (${trusted}): someone else sealed this copy, or the site changed its key without telling you`
        : `the signature does not match manifest.json under the key ${trusted} (wrong key, or the manifest was changed)`,
    });
  }
  return manifest;
}

/** Run `work` over `items` with at most `limit` at once. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export interface CheckFilesOptions {
  /** Files read at once (default 4). */
  concurrency?: number;
  /** Check only these listed paths (default: every file of the manifest). */
  only?: (files: ManifestFile[]) => ManifestFile[];
  signal?: AbortSignal;
}

/**
 * Each (or each chosen) file of the manifest against the copy: missing,
 * altered, unreadable. A thrown error whose `status` is "tampered" (a remote
 * file longer or shorter than signed) counts as altered. Problems sorted by path.
 */
export async function checkFiles(files: unknown[], copy: CopyAccess, problems: Problem[], options: CheckFilesOptions = {}): Promise<void> {
  const { signal } = options;
  const { valid, problems: found } = sortEntries(files, isSafePath);
  const chosen = options.only ? options.only(valid) : valid;
  await eachLimited(chosen, options.concurrency ?? 4, async (file) => {
    signal?.throwIfAborted();
    let digest;
    try {
      digest = await copy.digest(file, signal);
    } catch (error) {
      signal?.throwIfAborted();
      const tampered = (error as { status?: unknown }).status === 'tampered';
      found.push(problemFrom(file.path, error, tampered ? 'altered' : 'unreadable'));
      return;
    }
    if (!digest) found.push({ path: file.path, kind: 'missing', detail: `named in the manifest (${file.size} bytes) but not in this copy` });
    else {
      const problem = checkFile(file, digest);
      if (problem) found.push(problem);
    }
  });
  problems.push(...found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
}
