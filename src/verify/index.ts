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
import { checkRemote, openRemote, type RemoteCheck } from '../remote/index.ts';
import { checkFiles, checkManifest, contentCidOf, digestOf, extraFiles, openSite, printable, TooLargeError, type CopyAccess, type Manifest, type Problem, type SiteReader } from '../sealed/index.ts';

export type { Problem, ProblemKind } from '../sealed/index.ts';

export interface VerifyOptions {
  /** A site folder, a .car, a .zip or an http(s) URL of a published copy. */
  source: string;
  publicKey: KeyObject;
  signal?: AbortSignal;
  /** Parallel requests against a URL (default 8). */
  concurrency?: number;
  /** Per-file timeout against a URL (default 60 s). */
  timeoutMs?: number;
  /** host:port of a SOCKS5 proxy (tor) for a URL. */
  socks?: string;
}

export interface VerifyReport {
  ok: boolean;
  version?: number;
  cid?: string;
  problems: Problem[];
}

/** The file checks shared by every local kind of copy. */
async function verifySite(site: SiteReader, options: VerifyOptions, problems: Problem[]): Promise<Manifest | undefined> {
  const copy: CopyAccess = {
    read: (path, maxBytes) => site.read(path, maxBytes),
    async digest(file) {
      try {
        const bytes = await site.read(file.path, file.size);
        return bytes && digestOf(bytes);
      } catch (error) {
        if (error instanceof TooLargeError) return { size: file.size, sha256: '', over: true };
        throw error;
      }
    },
  };
  const manifest = await checkManifest(copy, options.publicKey, problems, options.signal);
  if (!manifest) return undefined;
  await checkFiles(manifest.files, copy, problems, { concurrency: 4, signal: options.signal });
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

/** A published copy over HTTP(S): the same remote check `check` runs, on every file. */
async function verifyUrl(options: VerifyOptions): Promise<RemoteCheck> {
  const copy = openRemote(options.source, { signal: options.signal, timeoutMs: options.timeoutMs, socks: options.socks });
  try {
    return await checkRemote(copy, { publicKey: options.publicKey, concurrency: options.concurrency ?? 8, signal: options.signal });
  } finally {
    copy.close();
  }
}

export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const report = await verifyCopy(options);
  return { ...report, problems: report.problems.map(printable) };
}

async function verifyCopy(options: VerifyOptions): Promise<VerifyReport> {
  const problems: Problem[] = [];
  if (/^https?:\/\//i.test(options.source)) {
    const remote = await verifyUrl(options);
    return { ok: remote.problems.length === 0, version: remote.version, problems: remote.problems };
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

