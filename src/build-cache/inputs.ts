/**
 * The fingerprint of everything a build and seal read: content/ (articles,
 * _data, _includes, _pages), mirrors/, mirror health, the renderer's and
 * sealer's code (src/, the layouts and pages in content/_includes and
 * content/_pages, .eleventy.ts, package.json, Eleventy's version) and
 * whatever the caller adds (the signing key's public key). Keyed by content:
 * each file's sha256, remembered by its stat key (size, mtime, inode: statKey) in
 * .newsmirror/cache/inputs.json so an unchanged file is not read again.
 * When no input's stat changed at all (the usual run with nothing new), the
 * content digest comes from the small .newsmirror/cache/fingerprint.json and
 * the large per-file map is not even read. Deleting either file only costs
 * one full read of the inputs.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJsonFile, statKey, writeJsonFile } from '../core/fs.ts';
import { healthPath } from '../core/health.ts';
import { sha256Hex } from '../core/hash.ts';
import { projectPaths } from '../core/project.ts';

/** Bump when what goes into the fingerprint changes meaning. */
const FORMAT = 2;

/** The code folder this module belongs to (…/src/build-cache → the package root). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

type StatKey = string;
interface InputCache {
  format: number;
  /** absolute path → [stat key, sha256 hex] */
  files: Record<string, [StatKey, string]>;
}

/** The last content digest and the digest of every input's path and stat key it was computed from. */
interface Summary {
  format: number;
  stats: string;
  content: string;
  files: number;
}

export function cacheDir(root: string): string {
  return join(projectPaths(root).state, 'cache');
}

/**
 * Regular files under `dir` (absolute paths, sorted); none when it does not exist.
 * A synchronous walk: on 10,000 files it costs a fraction of readdir({ recursive: true }).
 */
function filesUnder(dir: string, skip: (name: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (folder: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      // Absent, or removed while being listed: its files count as absent.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) walk(join(folder, entry.name));
      else if (entry.isFile() && !skip(entry.name)) out.push(join(folder, entry.name));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * The renderer's and sealer's own files: src/, the layouts and site pages every project
 * renders with, .eleventy.ts, package.json and Eleventy's version. A project's own content/
 * is an input of its own (listed by inputFingerprint).
 */
export function codeFiles(root: string): string[] {
  return [
    ...filesUnder(join(PACKAGE_ROOT, 'src')),
    ...(resolve(root) === resolve(PACKAGE_ROOT) ? [] : [...filesUnder(join(PACKAGE_ROOT, 'content', '_includes')), ...filesUnder(join(PACKAGE_ROOT, 'content', '_pages'))]),
    join(PACKAGE_ROOT, '.eleventy.ts'),
    join(PACKAGE_ROOT, 'package.json'),
    join(PACKAGE_ROOT, 'node_modules', '@11ty', 'eleventy', 'package.json'),
  ];
}

/** Relative module specifiers a TypeScript or JavaScript file imports (static, dynamic, re-exports, side effects). */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/**
 * Modules a build runs whose code cannot change a page's bytes: finishing an interrupted build
 * or seal, the kill points of the crash tests, logging and progress, and this fingerprint (whose
 * own changes change the digest it makes). renderCodeFiles neither counts nor follows them, so
 * an edit there renders nothing again (at 100,000 articles a full render takes 8 minutes).
 */
export const NOT_RENDERING: readonly string[] = ['src/build-cache/inputs.ts', 'src/build-cache/recover.ts', 'src/core/kill-point.ts', 'src/core/log.ts', 'src/core/progress.ts', 'src/seal/commit.ts'];

/**
 * The code that renders pages: every file of src/render/, .eleventy.ts, the layouts and site
 * pages, and every module they import, followed through relative imports, except NOT_RENDERING.
 * A change to the sealer, the publisher or the ingester is not in it, so it does not render the site again.
 */
export function renderCodeFiles(root: string): string[] {
  const start = codeFiles(root).filter((abs) => !abs.startsWith(join(PACKAGE_ROOT, 'src')) || abs.startsWith(join(PACKAGE_ROOT, 'src', 'render')));
  const seen = new Set<string>();
  const skipped = new Set(NOT_RENDERING.map((file) => join(PACKAGE_ROOT, file)));
  const queue = [...start, ...filesUnder(join(PACKAGE_ROOT, 'src', 'render'))];
  while (queue.length > 0) {
    const abs = queue.pop()!;
    if (seen.has(abs) || skipped.has(abs)) continue;
    seen.add(abs);
    if (!/\.(ts|js|mjs)$/.test(abs)) continue;
    // Type-only imports are erased: the code they name does not run when pages render.
    const code = readFileSync(abs, 'utf8').replace(/^(import|export) type [^;]*;/gm, '');
    for (const m of code.matchAll(IMPORT)) {
      const target = resolve(abs, '..', m[1]!);
      if (!seen.has(target) && statSync(target, { throwIfNoEntry: false })?.isFile()) queue.push(target);
    }
  }
  return [...seen].sort();
}

/** sha256 hex over the names and bytes of the code that renders pages (renderCodeFiles: about 100 small files, read every time, no cache). */
export async function codeDigest(root: string): Promise<string> {
  const hash = createHash('sha256').update(`newsmirror-code/${FORMAT}\n`);
  for (const abs of renderCodeFiles(root)) {
    const bytes = readFileSync(abs, { flag: 'r' });
    hash.update(`${relative(PACKAGE_ROOT, abs)} ${bytes.length}\n`).update(bytes);
  }
  return hash.digest('hex');
}

export interface Fingerprint {
  /** sha256 hex over every input's path and content. */
  digest: string;
  /** How many input files it covers. */
  files: number;
  /** The stat key (statKey) of every input file that exists, by absolute path: a build in the same run plans with them instead of listing and stating content/ again. */
  stats: ReadonlyMap<string, string>;
}

/**
 * Fingerprint the inputs of a build of `root`. `extra` strings (e.g. the public key)
 * are part of it. Files that vanish while being listed count as absent.
 */
export async function inputFingerprint(root: string, extra: string[] = []): Promise<Fingerprint> {
  const paths = projectPaths(root);
  const cachePath = join(cacheDir(root), 'inputs.json');
  const summaryPath = join(cacheDir(root), 'fingerprint.json');
  const isTemp = (name: string) => name.endsWith('.tmp') || name.startsWith('.#');
  const code = codeFiles(paths.root);
  const inputs = [...filesUnder(paths.content, isTemp), ...filesUnder(paths.mirrors, isTemp), healthPath(root), ...code];
  const nameOf = (abs: string) => (abs.startsWith(paths.root) ? `project/${relative(paths.root, abs)}` : `code/${relative(PACKAGE_ROOT, abs)}`);
  // Synchronous: thousands of small stats are several times cheaper than as many thread-pool round trips.
  // Each Stats object dies at once (only its key is kept): 100,000 of them held for the pass took 0.6 s of GC.
  const keys = inputs.map((abs) => {
    const info = statSync(abs, { throwIfNoEntry: false });
    return info?.isFile() ? statKey(info) : undefined;
  });
  const statHash = createHash('sha256').update(`newsmirror-input-stats/${FORMAT}\n`);
  for (const [i, abs] of inputs.entries()) statHash.update(`${abs}\0${keys[i] ?? 'absent'}\n`);
  const stats = statHash.digest('hex');
  const summary = await readJsonFile<Partial<Summary> | null>(summaryPath, null);
  let content: string;
  let count: number;
  if (summary?.format === FORMAT && summary.stats === stats && typeof summary.content === 'string' && typeof summary.files === 'number') {
    content = summary.content;
    count = summary.files;
  } else {
    const cached = await readJsonFile<InputCache>(cachePath, { format: FORMAT, files: {} });
    const old = cached.format === FORMAT && cached.files && typeof cached.files === 'object' ? cached.files : {};
    const next: InputCache = { format: FORMAT, files: {} };
    const hash = createHash('sha256').update(`newsmirror-inputs/${FORMAT}\n`);
    let changed = false;
    count = 0;
    for (const [i, abs] of inputs.entries()) {
      const key = keys[i];
      if (key === undefined) {
        hash.update(`absent ${nameOf(abs)}\n`);
        continue;
      }
      let sha = old[abs]?.[0] === key ? old[abs]![1] : undefined;
      if (!sha) {
        sha = sha256Hex(readFileSync(abs));
        changed = true;
      }
      next.files[abs] = [key, sha];
      hash.update(`file ${nameOf(abs)} ${sha}\n`);
      count++;
    }
    content = hash.digest('hex');
    if (changed || Object.keys(old).length !== count) await writeJsonFile(cachePath, next);
    await writeJsonFile(summaryPath, { format: FORMAT, stats, content, files: count } satisfies Summary);
  }
  const digest = createHash('sha256').update(`newsmirror-fingerprint/${FORMAT}\n${content}\n`);
  for (const value of extra) digest.update(`extra ${value}\n`);
  const byPath = new Map<string, string>();
  for (const [i, abs] of inputs.entries()) if (keys[i] !== undefined) byPath.set(abs, keys[i]!);
  return { digest: digest.digest('hex'), files: count, stats: byPath };
}
