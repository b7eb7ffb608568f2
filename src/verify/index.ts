/**
 * `verify`: is this copy (a folder, a CAR, the offline bundle or a URL) exactly
 * what the key holder sealed? Checks the manifest's signature, every file's
 * size and sha256, files missing or added, and for a CAR every block's hash and
 * the root. Collects every problem instead of stopping at the first.
 */
import type { KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewsmirrorError, describeError } from '../core/errors.ts';
import { formatPublicKey, parseManifest, parsePublicKey, verifyBytes, type Manifest, contentCidOf, openSite, isSafePath, type SiteReader, TooLargeError, checkFile, digestOf, extraFiles, printable, sortEntries, type Digest, type Problem } from '../sealed/index.ts';
import { urlSite } from './fetch.ts';

export type { Problem, ProblemKind } from '../sealed/index.ts';

export interface VerifyOptions {
  /** A site folder, a .car, a .zip or an http(s) URL of a published copy. */
  source: string;
  publicKey: KeyObject;
  signal?: AbortSignal;
  /** Parallel requests against a URL (default 8). */
  concurrency?: number;
  /** Per-request timeout against a URL (default 30 s). */
  timeoutMs?: number;
}

export interface VerifyReport {
  ok: boolean;
  version?: number;
  cid?: string;
  problems: Problem[];
}

/** What a copy must let us do: read a file by path (undefined = not there), or just hash it. */
type Read = (path: string, maxBytes: number) => Promise<Uint8Array | undefined>;
type Hash = (path: string, maxBytes: number) => Promise<Digest | undefined>;

/** Run `work` over `items` with at most `limit` at once. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Signature and manifest; the manifest is returned even when the signature fails, so files still get checked. */
async function checkManifest(read: Read, publicKey: KeyObject, problems: Problem[]): Promise<Manifest | undefined> {
  let bytes, signature;
  try {
    [bytes, signature] = await Promise.all([read('manifest.json', 64 << 20), read('manifest.sig', 1024)]);
  } catch (error) {
    problems.push({ path: 'manifest.json', kind: 'unreadable', detail: describeError(error) });
    return undefined;
  }
  if (!bytes) {
    problems.push({ path: 'manifest.json', kind: 'missing', detail: 'no manifest: this copy was never sealed, or the manifest was removed' });
    return undefined;
  }
  let manifest: Manifest | undefined;
  try {
    manifest = parseManifest(bytes, 'manifest.json');
  } catch (error) {
    problems.push({ path: 'manifest.json', kind: 'unreadable', detail: describeError(error) });
  }
  const trusted = formatPublicKey(publicKey);
  if (!signature) problems.push({ path: 'manifest.sig', kind: 'missing', detail: 'no signature beside the manifest' });
  else if (!verifyBytes(bytes, signature, publicKey)) {
    const claimed = typeof manifest?.publicKey === 'string' && manifest.publicKey !== trusted ? manifest.publicKey : undefined;
    const byOther = claimed !== undefined && signedBy(bytes, signature, claimed);
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

/** Does `signature` verify under the `ed25519:...` key the manifest itself names? */
function signedBy(bytes: Uint8Array, signature: Uint8Array, key: string): boolean {
  try {
    return verifyBytes(bytes, signature, parsePublicKey(key));
  } catch {
    return false;
  }
}

async function checkFiles(files: unknown[], hash: Hash, concurrency: number, problems: Problem[], signal?: AbortSignal): Promise<void> {
  const { valid, problems: found } = sortEntries(files, isSafePath);
  await eachLimited(valid, concurrency, async (file) => {
    signal?.throwIfAborted();
    let bytes;
    try {
      bytes = await hash(file.path, file.size);
    } catch (error) {
      signal?.throwIfAborted();
      found.push({ path: file.path, kind: 'unreadable', detail: describeError(error) });
      return;
    }
    if (!bytes) found.push({ path: file.path, kind: 'missing', detail: `named in the manifest (${file.size} bytes) but not in this copy` });
    else {
      const problem = checkFile(file, bytes);
      if (problem) found.push(problem);
    }
  });
  problems.push(...found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
}

/** The file checks shared by every local kind of copy. */
async function verifySite(site: SiteReader, options: VerifyOptions, problems: Problem[]): Promise<Manifest | undefined> {
  const read: Read = (path, maxBytes) => site.read(path, maxBytes);
  const hash: Hash = async (path, maxBytes) => {
    try {
      const bytes = await site.read(path, maxBytes);
      return bytes && digestOf(bytes);
    } catch (error) {
      if (error instanceof TooLargeError) return { size: maxBytes, sha256: '', over: true };
      throw error;
    }
  };
  const manifest = await checkManifest(read, options.publicKey, problems);
  if (!manifest) return undefined;
  await checkFiles(manifest.files, hash, 4, problems, options.signal);
  try {
    problems.push(...extraFiles(manifest.files.filter((f) => typeof f?.path === 'string'), await site.list()));
  } catch (error) {
    problems.push({ path: site.label, kind: 'unreadable', detail: `cannot list the files: ${describeError(error)}` });
  }
  return manifest;
}

/** The CAR inside a bundle: its blocks and root must match the bundle's cid.txt and files. */
async function verifyInnerCar(site: SiteReader, options: VerifyOptions, problems: Problem[]): Promise<string | undefined> {
  const zip = site.zip;
  if (!zip?.entries.has('site.car')) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'newsmirror-verify-'));
  try {
    await zip.extract('site.car', join(dir, 'site.car'), options.signal);
    const inner = await verify({ ...options, source: join(dir, 'site.car') });
    for (const p of inner.problems) problems.push({ ...p, path: `site.car: ${p.path}` });
    const cidTxt = zip.entries.has('cid.txt') ? (await zip.read('cid.txt')).toString('utf8').trim() : undefined;
    if (cidTxt && inner.cid && cidTxt !== inner.cid) problems.push({ path: 'cid.txt', kind: 'root', detail: `cid.txt says ${cidTxt} but site.car's root is ${inner.cid}` });
    return inner.cid;
  } catch (error) {
    options.signal?.throwIfAborted();
    problems.push({ path: 'site.car', kind: 'unreadable', detail: describeError(error) });
    return undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function verifyUrl(options: VerifyOptions, problems: Problem[]): Promise<Manifest | undefined> {
  const site = urlSite(options.source, { timeoutMs: options.timeoutMs });
  const read: Read = (path, maxBytes) => site.read(path, maxBytes, options.signal);
  const hash: Hash = (path, maxBytes) => site.digest(path, maxBytes, options.signal);
  const manifest = await checkManifest(read, options.publicKey, problems);
  if (manifest) await checkFiles(manifest.files, hash, options.concurrency ?? 8, problems, options.signal);
  return manifest;
}

export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const report = await verifyCopy(options);
  return { ...report, problems: report.problems.map(printable) };
}

async function verifyCopy(options: VerifyOptions): Promise<VerifyReport> {
  const problems: Problem[] = [];
  if (/^https?:\/\//i.test(options.source)) {
    const manifest = await verifyUrl(options, problems);
    return { ok: problems.length === 0, version: manifest?.version, problems };
  }
  let site: SiteReader;
  try {
    site = await openSite(options.source, options.signal);
  } catch (error) {
    // A bundle too damaged to open is a finding about the copy, not a failure of verify.
    if (error instanceof NewsmirrorError && error.code === 'ERR_ZIP') {
      return { ok: false, problems: [{ path: options.source, kind: 'unreadable', detail: error.message }] };
    }
    throw error;
  }
  try {
    let cid: string | undefined;
    if (site.car) {
      problems.push(...site.car.problems);
      cid = site.car.root?.toString();
    }
    const manifest = await verifySite(site, options, problems);
    if (site.car?.root && typeof manifest?.contentCid === 'string') {
      const content = await contentCidOf(site.car.root, site.car).catch(() => undefined);
      if (content && content.toString() !== manifest.contentCid) {
        problems.push({ path: 'manifest.json', kind: 'root', detail: `the manifest's contentCid ${manifest.contentCid} is not the CAR's content (its root without manifest.json and manifest.sig): ${content.toString()}` });
      }
    }
    if (site.zip) cid = await verifyInnerCar(site, options, problems);
    return { ok: problems.length === 0, version: manifest?.version, cid, problems };
  } finally {
    await site.close();
  }
}

