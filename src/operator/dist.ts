/**
 * An operator folder's dist/: the live build's manifest pair (so `publish
 * --root DIR` finds it), and, from a source that offers them, the signed
 * release record with its site.zip, site.car and deltas, taken again at most
 * once a day (bundles are large; the site's files are what a sync moves).
 */
import type { KeyObject } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../core/fs.ts';
import { projectPaths } from '../core/project.ts';
import { DELTAS_DIR, parseRelease, verifyBytes, type ReleaseRecord } from '../sealed/index.ts';
import type { CopySource } from './source.ts';
import type { SignedManifest } from '../sealed/index.ts';

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
  // Bundles go to files beside dist/'s own, checked there, then moved into place: a bundle of a large
  // site is gigabytes, more than an operator's machine may hold in memory. One name, so what a killed
  // sync left there goes with the next one.
  const incoming = join(dist, '.incoming');
  await rm(incoming, { recursive: true, force: true });
  await mkdir(incoming);
  try {
    const taken: { path: string; file: string; size: number }[] = [];
    const take = async (path: string, want: { size: number; sha256: string }) => {
      const file = join(incoming, String(taken.length));
      const got = await source.saveBeside(path, want.size, file).catch(() => undefined);
      if (got?.size !== want.size || got.sha256 !== want.sha256) return false;
      taken.push({ path, file, size: want.size });
      return true;
    };
    for (const name of ['site.zip', 'site.car'] as const) if (!(await take(name, release.record.bundles[name]))) return 0;
    for (const delta of release.record.deltas) await take(delta.path, delta);
    await rm(join(dist, DELTAS_DIR), { recursive: true, force: true });
    for (const { path, file } of taken) {
      const to = join(dist, ...path.split('/'));
      await mkdir(dirname(to), { recursive: true });
      await rename(file, to);
    }
    await writeFileAtomic(join(dist, 'cid.txt'), `${release.record.cid}\n`);
    await writeFileAtomic(join(dist, 'release.sig'), release.signature);
    await writeFileAtomic(join(dist, 'release.json'), release.bytes);
    return taken.reduce((sum, t) => sum + t.size, 0);
  } finally {
    await rm(incoming, { recursive: true, force: true });
  }
}
