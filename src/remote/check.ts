/**
 * A remote copy against its signed manifest: manifest.json and manifest.sig
 * fetched and the signature checked with the trusted key, then files checked
 * (all of them for `verify <url>`, a sample for `check`) or downloaded into a
 * folder (operators' `clone`/`sync`), each against its signed size and sha256.
 */
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/fs.ts';
import { checkFiles, checkManifest, digestOf, type CopyAccess, type Manifest, type ManifestFile, type Problem } from '../sealed/index.ts';
import type { RemoteCopy } from './copy.ts';
import { REMOTE_CODES, type RemoteStatus } from './errors.ts';

/** What a check found: `ok`, or the worst of `down` and `tampered` with every problem. */
export interface RemoteCheck {
  status: 'ok' | RemoteStatus;
  /** The manifest (also when its signature failed: then `problems` says so). */
  manifest?: Manifest;
  version?: number;
  problems: Problem[];
}

export interface RemoteCheckOptions {
  publicKey: KeyObject;
  /** Which listed files to check (default: all). `check` passes a random sample. */
  only?: (files: ManifestFile[]) => ManifestFile[];
  /**
   * Files fetched at once.
   * @default 8
   */
  concurrency?: number;
  signal?: AbortSignal;
}

const TAMPERED_KINDS = new Set<Problem['kind']>(['signature', 'altered', 'extra', 'root', 'block']);

/** The status one problem means. */
export function problemStatus(problem: Problem): RemoteStatus {
  if (TAMPERED_KINDS.has(problem.kind)) return 'tampered';
  // No manifest at all: nothing is served there (yet); a listed file missing from a signed copy: altered.
  if (problem.kind === 'missing') return problem.path === 'manifest.json' ? 'down' : 'tampered';
  const code = problem.code as keyof typeof REMOTE_CODES | undefined;
  if (code && code in REMOTE_CODES) return REMOTE_CODES[code];
  return problem.code === 'ERR_MANIFEST' ? 'tampered' : 'down';
}

/** ok when nothing was found; tampered when anything says so; else down. */
export function copyStatus(problems: Problem[]): RemoteCheck['status'] {
  if (problems.length === 0) return 'ok';
  return problems.some((p) => problemStatus(p) === 'tampered') ? 'tampered' : 'down';
}

/** The problem that decided the status (the first tampered one, else the first). */
export function worstProblem(problems: Problem[]): Problem | undefined {
  return problems.find((p) => problemStatus(p) === 'tampered') ?? problems[0];
}

/** Check a remote copy: its signature, then every (or every chosen) file. Never throws for what the copy answers. */
export async function checkRemote(copy: RemoteCopy, options: RemoteCheckOptions): Promise<RemoteCheck> {
  const problems: Problem[] = [];
  const manifest = await checkManifest(copy, options.publicKey, problems, options.signal);
  if (manifest && Array.isArray(manifest.files)) {
    await checkFiles(manifest.files, copy, problems, { concurrency: options.concurrency ?? 8, only: options.only, signal: options.signal });
  }
  return { status: copyStatus(problems), manifest, version: manifest?.version, problems };
}

/**
 * Fetch every file of a remote copy into `dir` (created as needed), each
 * checked against its signed size and sha256 before it is written (atomically);
 * manifest.json and manifest.sig are written last, and only when every file
 * arrived intact. Nothing is written when the signature does not verify.
 * The caller owns `dir` (use a fresh temp folder and rename it into place).
 */
export async function downloadCopy(copy: RemoteCopy, dir: string, options: Omit<RemoteCheckOptions, 'only'>): Promise<RemoteCheck> {
  const { signal } = options;
  const problems: Problem[] = [];
  const raw = new Map<string, Uint8Array>();
  const saving: CopyAccess = {
    async read(path, maxBytes, opts) {
      const bytes = await copy.read(path, maxBytes, opts);
      if (bytes) raw.set(path, bytes);
      return bytes;
    },
    // The same file check as checkRemote; a file is written only when its bytes are the signed ones.
    async digest(file, s) {
      const got = await copy.fetch(file.path, { maxBytes: file.size, expectedSize: file.size, signal: s });
      if (!got) return undefined;
      const digest = digestOf(got.body);
      if (digest.sha256 === file.sha256) await writeFileAtomic(join(dir, ...file.path.split('/')), got.body);
      return digest;
    },
  };
  const manifest = await checkManifest(saving, options.publicKey, problems, signal);
  if (manifest && problems.length === 0) {
    await checkFiles(manifest.files, saving, problems, { concurrency: options.concurrency ?? 8, signal });
    if (problems.length === 0) {
      await writeFileAtomic(join(dir, 'manifest.json'), raw.get('manifest.json')!);
      await writeFileAtomic(join(dir, 'manifest.sig'), raw.get('manifest.sig')!);
    }
  }
  return { status: copyStatus(problems), manifest, version: manifest?.version, problems };
}
