/**
 * The last sealed build and the input fingerprint it was made from
 * (.newsmirror/cache/sealed.json). When ingest wrote nothing and the inputs
 * still have that fingerprint, build and seal would reproduce the same bytes
 * and CID: the run reuses _site/ and dist/ instead, provided they are still
 * exactly what that seal left (each output's size and mtime, and the CID).
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from '../core/fs.ts';
import { projectPaths } from '../core/project.ts';
import { cacheDir } from './inputs.ts';

/** Outputs whose (size, mtime) must be unchanged for a sealed build to be reused. */
const OUTPUTS = ['dist/manifest.json', 'dist/manifest.sig', 'dist/cid.txt', 'dist/site.car', 'dist/site.zip', 'dist/release.json', 'dist/release.sig', '_site/manifest.json', '_site/manifest.sig', '_site/index.html', '_site/SHA256SUMS', '_site/SHA256SUMS.sig'];

export interface SealedRecord {
  fingerprint: string;
  build: { articles: number; pages: number };
  seal: { version: number; built: string; files: number; bytes: number; cid: string; dist: string };
  /** path → "size:mtimeMs" of OUTPUTS when the record was made. */
  outputs: Record<string, string>;
}

function recordPath(root: string): string {
  return join(cacheDir(root), 'sealed.json');
}

async function stamps(root: string): Promise<Record<string, string> | undefined> {
  const out: Record<string, string> = {};
  for (const rel of OUTPUTS) {
    const info = await stat(join(projectPaths(root).root, rel)).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    out[rel] = `${info.size}:${info.mtimeMs}`;
  }
  return out;
}

/** Remember that the build now in _site/ and dist/ was made from inputs with `fingerprint`. */
export async function recordSealed(root: string, fingerprint: string, build: SealedRecord['build'], seal: SealedRecord['seal']): Promise<void> {
  const outputs = await stamps(root);
  if (!outputs) return;
  await writeJsonFile(recordPath(root), { fingerprint, build, seal, outputs } satisfies SealedRecord);
}

/** The last sealed build, if it was made from inputs with `fingerprint` and its outputs are untouched since. */
export async function reusableSealed(root: string, fingerprint: string): Promise<SealedRecord | undefined> {
  const record = await readJsonFile<SealedRecord | null>(recordPath(root), null);
  if (!record || record.fingerprint !== fingerprint || !record.outputs || !record.seal) return undefined;
  const now = await stamps(root);
  if (!now || OUTPUTS.some((rel) => now[rel] !== record.outputs[rel])) return undefined;
  const cid = await readFile(join(projectPaths(root).dist, 'cid.txt'), 'utf8').catch(() => '');
  if (cid.trim() !== record.seal.cid) return undefined;
  return record;
}

/** Forget the record (a build or seal that is about to replace the outputs). */
export async function forgetSealed(root: string): Promise<void> {
  await rm(recordPath(root), { force: true });
}
