/**
 * The fingerprint of everything a build and seal read: content/ (articles,
 * _data, _includes, _pages), mirrors/, mirror health, the renderer's and
 * sealer's code (src/, the layouts and pages in content/_includes and
 * content/_pages, .eleventy.ts, package.json, Eleventy's version) and
 * whatever the caller adds (the signing key's public key). Keyed by content:
 * each file's sha256, remembered by (size, mtime, inode, ctime) in
 * .newsmirror/cache/inputs.json so an unchanged file is not read again.
 * Deleting that file only costs one full read of the inputs.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJsonFile, writeJsonFile } from '../core/fs.ts';
import { healthPath } from '../core/health.ts';
import { projectPaths } from '../core/project.ts';

/** Bump when what goes into the fingerprint changes meaning. */
const FORMAT = 1;

/** The code folder this module belongs to (…/src/build-cache → the package root). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

type StatKey = string;
interface InputCache {
  format: number;
  /** absolute path → [stat key, sha256 hex] */
  files: Record<string, [StatKey, string]>;
}

export function cacheDir(root: string): string {
  return join(projectPaths(root).state, 'cache');
}

function statKey(info: Stats): StatKey {
  return `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
}

/** Regular files under `dir` (absolute paths, sorted); none when it does not exist. */
async function filesUnder(dir: string, skip: (name: string) => boolean = () => false): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((e) => e.isFile() && !skip(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * The renderer's and sealer's own files: src/, the layouts and site pages every project
 * renders with, .eleventy.ts, package.json and Eleventy's version. A project's own content/
 * is an input of its own (listed by inputFingerprint).
 */
export async function codeFiles(root: string): Promise<string[]> {
  return [
    ...(await filesUnder(join(PACKAGE_ROOT, 'src'))),
    ...(resolve(root) === resolve(PACKAGE_ROOT) ? [] : [...(await filesUnder(join(PACKAGE_ROOT, 'content', '_includes'))), ...(await filesUnder(join(PACKAGE_ROOT, 'content', '_pages')))]),
    join(PACKAGE_ROOT, '.eleventy.ts'),
    join(PACKAGE_ROOT, 'package.json'),
    join(PACKAGE_ROOT, 'node_modules', '@11ty', 'eleventy', 'package.json'),
  ];
}

/** sha256 hex over the code files' names and bytes (about 150 small files: read every time, no cache). */
export async function codeDigest(root: string): Promise<string> {
  const hash = createHash('sha256').update(`newsmirror-code/${FORMAT}\n`);
  for (const abs of await codeFiles(root)) {
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
}

/**
 * Fingerprint the inputs of a build of `root`. `extra` strings (e.g. the public key)
 * are part of it. Files that vanish while being listed count as absent.
 */
export async function inputFingerprint(root: string, extra: string[] = []): Promise<Fingerprint> {
  const paths = projectPaths(root);
  const cachePath = join(cacheDir(root), 'inputs.json');
  const cached = await readJsonFile<InputCache>(cachePath, { format: FORMAT, files: {} });
  const old = cached.format === FORMAT && cached.files && typeof cached.files === 'object' ? cached.files : {};
  const next: InputCache = { format: FORMAT, files: {} };
  const isTemp = (name: string) => name.endsWith('.tmp') || name.startsWith('.#');
  const code = await codeFiles(paths.root);
  const inputs = [...(await filesUnder(paths.content, isTemp)), ...(await filesUnder(paths.mirrors, isTemp)), healthPath(root), ...code];
  const hash = createHash('sha256').update(`newsmirror-inputs/${FORMAT}\n`);
  for (const value of extra) hash.update(`extra ${value}\n`);
  let changed = false;
  let count = 0;
  for (const abs of inputs) {
    // Synchronous: thousands of small stats are several times cheaper than as many thread-pool round trips.
    const info = statSync(abs, { throwIfNoEntry: false });
    const name = abs.startsWith(paths.root) ? `project/${relative(paths.root, abs)}` : `code/${relative(PACKAGE_ROOT, abs)}`;
    if (!info?.isFile()) {
      hash.update(`absent ${name}\n`);
      continue;
    }
    const key = statKey(info);
    let sha = old[abs]?.[0] === key ? old[abs]![1] : undefined;
    if (!sha) {
      sha = createHash('sha256').update(readFileSync(abs)).digest('hex');
      changed = true;
    }
    next.files[abs] = [key, sha];
    hash.update(`file ${name} ${sha}\n`);
    count++;
  }
  if (changed || Object.keys(old).length !== count) await writeJsonFile(cachePath, next);
  return { digest: hash.digest('hex'), files: count };
}
