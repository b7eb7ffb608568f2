/**
 * An operator folder's dist/: the live build's manifest pair (so `publish
 * --root DIR` finds it), and, from a source that offers them, the signed
 * release record with its site.zip, site.car and deltas, taken again at most
 * once a day (bundles are large; the site's files are what a sync moves).
 */
import { createHash, type KeyObject } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/fs.ts';
import { projectPaths } from '../core/project.ts';
import { DELTAS_DIR, parseRelease, verifyBytes, type ReleaseRecord } from '../sealed/index.ts';
import type { CopySource } from './source.ts';
import type { SignedManifest } from './stage.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
export const BUNDLE_REFRESH_MS = 24 * 3_600_000;

/** The source's release record, when it has one that verifies with the key. */
export async function readRelease(source: CopySource, key: KeyObject): Promise<{ record: ReleaseRecord; bytes: Uint8Array; signature: Uint8Array } | undefined> {
  try {
    const bytes = await source.readBeside('release.json', 1 << 20);
    const signature = await source.readBeside('release.sig', 1024);
    if (!bytes || !signature || !verifyBytes(bytes, signature, key)) return undefined;
    return { record: parseRelease(bytes, `${source.label} release.json`), bytes, signature };
  } catch {
    return undefined;
  }
}

/**
 * Write the manifest pair into dist/; with `bundles`, also the release record
 * and the bundles it names (each checked against its signed sha256). Returns
 * the bytes of bundles taken. A bundle that fails its check leaves dist/'s older set in place.
 */
export async function writeDist(dir: string, signed: SignedManifest, source: CopySource, key: KeyObject, bundles: boolean): Promise<number> {
  const dist = projectPaths(dir).dist;
  await mkdir(dist, { recursive: true });
  await writeFileAtomic(join(dist, 'manifest.json'), signed.bytes);
  await writeFileAtomic(join(dist, 'manifest.sig'), signed.signature);
  if (!bundles) return 0;
  const release = await readRelease(source, key);
  if (!release || release.record.version !== signed.manifest.version) return 0;
  const taken = new Map<string, Uint8Array>();
  for (const name of ['site.zip', 'site.car'] as const) {
    const want = release.record.bundles[name];
    const bytes = await source.readBeside(name, want.size).catch(() => undefined);
    if (!bytes || bytes.length !== want.size || sha256(bytes) !== want.sha256) return 0;
    taken.set(name, bytes);
  }
  for (const delta of release.record.deltas) {
    const bytes = await source.readBeside(delta.path, delta.size).catch(() => undefined);
    if (bytes && bytes.length === delta.size && sha256(bytes) === delta.sha256) taken.set(delta.path, bytes);
  }
  await rm(join(dist, DELTAS_DIR), { recursive: true, force: true });
  for (const [path, bytes] of taken) await writeFileAtomic(join(dist, ...path.split('/')), bytes);
  await writeFileAtomic(join(dist, 'cid.txt'), `${release.record.cid}\n`);
  await writeFileAtomic(join(dist, 'release.sig'), release.signature);
  await writeFileAtomic(join(dist, 'release.json'), release.bytes);
  return [...taken.values()].reduce((sum, b) => sum + b.length, 0);
}
