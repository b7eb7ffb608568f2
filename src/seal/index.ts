/**
 * `seal`: _site/ → signed manifest (in _site/ and dist/), dist/site.car,
 * dist/cid.txt and the offline bundle dist/site.zip. The order matters: the
 * manifest is made first (it names the CID of the site without it), then the
 * CAR of everything (manifest included), then the bundle (which holds the CAR).
 */
import { createHash, type KeyObject } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSite } from '../core/config.ts';
import { NewsmirrorError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { silentReporter, type Reporter } from '../core/log.ts';
import { formatPublicKey, serializeManifest, signBytes, type ManifestFile } from '../core/manifest.ts';
import { projectPaths } from '../core/project.ts';
import { createProgress } from '../core/progress.ts';
import { openPreviousZip, rememberZip } from '../build-cache/zip-reuse.ts';
import { discardBlocks, importTree, writeCar, type DagEntry } from './car.ts';
import { MANIFEST_FILES, buildManifest, nextVersion, readBuildTime, readPreviousManifest } from './manifest.ts';
import { bundleReadme } from './readme.ts';
import { comparePaths, listSite, readInOrder, type SiteFile } from './walk.ts';
import { ZipWriter } from './zip.ts';

export { defaultKeyPath, generateKey, loadSigningKey, KEY_ENV } from './keys.ts';

export interface SealOptions {
  root: string;
  key: KeyObject;
  signal?: AbortSignal;
  reporter?: Reporter;
}

export interface SealReport {
  version: number;
  built: string;
  files: number;
  bytes: number;
  cid: string;
  dist: string;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Files as DAG entries (folders with nothing in them first); `onFile` sees each file's bytes on the way. */
async function* dagEntries(files: SiteFile[], emptyDirs: string[], options: { signal?: AbortSignal; onFile?: (file: SiteFile, bytes: Buffer) => void }): AsyncGenerator<DagEntry> {
  for (const path of emptyDirs) yield { path };
  for await (const { file, bytes } of readInOrder(files, { signal: options.signal })) {
    options.onFile?.(file, bytes);
    yield { path: file.path, content: bytes };
  }
}

export async function seal(options: SealOptions): Promise<SealReport> {
  const { signal } = options;
  const reporter = options.reporter ?? silentReporter;
  const paths = projectPaths(options.root);
  const built = await readBuildTime(paths.site);
  const isManifest = (path: string) => MANIFEST_FILES.has(path);
  const listing = await listSite(paths.site, { exclude: isManifest, signal });
  const publicKey = formatPublicKey(options.key);
  let title = 'newsmirror';
  try {
    const site = await loadSite(paths.root);
    title = site.title;
    if (site.publicKey && site.publicKey !== publicKey) {
      reporter.warn(`the signing key's public key ${publicKey} is not the publicKey in content/_data/site.yaml (${site.publicKey}); readers checking against the site's key will reject this build`);
    }
  } catch {
    // No or bad site.yaml: render reports that; sealing does not need it.
  }

  // 1. Hash every file once: the manifest's sha256 and the CID of the content.
  reporter.progress(`seal: hashing ${listing.files.length} files`);
  const files: ManifestFile[] = [];
  const hashing = createProgress(reporter, 'seal: hashing', listing.files.length, { unit: 'files' });
  const contentCid = await importTree(dagEntries(listing.files, listing.emptyDirs, {
    signal,
    onFile: (file, bytes) => {
      files.push({ path: file.path, size: bytes.length, sha256: sha256(bytes) });
      hashing.tick();
    },
  }), discardBlocks, signal);

  // 2. Manifest and signature, into the site and dist/.
  const previous = await readPreviousManifest(paths.dist);
  const manifest = buildManifest({ version: nextVersion(built, files, previous), built, publicKey, contentCid: contentCid.toString(), files });
  const manifestBytes = serializeManifest(manifest);
  const signature = signBytes(manifestBytes, options.key);
  await mkdir(paths.dist, { recursive: true });
  for (const dir of [paths.site, paths.dist]) {
    await writeFileAtomic(join(dir, 'manifest.json'), manifestBytes);
    await writeFileAtomic(join(dir, 'manifest.sig'), signature);
  }

  // 3. The CAR of the whole site, manifest included; every file re-checked against the manifest.
  reporter.progress('seal: writing dist/site.car');
  const all = [...listing.files, ...['manifest.json', 'manifest.sig'].map((path) => ({ path, abs: join(paths.site, path) }))].sort((a, b) => comparePaths(a.path, b.path));
  const expected = new Map(files.map((f) => [f.path, f.sha256]));
  const changed = (file: SiteFile, bytes: Buffer) => {
    const want = expected.get(file.path);
    if (want !== undefined && want !== sha256(bytes)) {
      throw new NewsmirrorError('ERR_SITE_CHANGED', `${file.abs} changed while sealing; wait for the build to finish and run seal again`);
    }
  };
  const carring = createProgress(reporter, 'seal: writing dist/site.car', all.length, { unit: 'files' });
  const car = await writeCar(dagEntries(all, listing.emptyDirs, { signal, onFile: (file, bytes) => (changed(file, bytes), carring.tick()) }), join(paths.dist, 'site.car'), signal);
  const cid = car.root.toString();
  await writeFileAtomic(join(paths.dist, 'cid.txt'), `${cid}\n`);

  // 4. The offline bundle: README, the site under site/, the CAR.
  reporter.progress('seal: writing dist/site.zip');
  // build-cache hook: entries of files unchanged since the previous bundle keep their compressed bytes.
  const zipPath = join(paths.dist, 'site.zip');
  const before = await openPreviousZip(paths.root, zipPath, previous);
  const zip = await ZipWriter.create(zipPath);
  try {
    await zip.addFile('README.txt', Buffer.from(bundleReadme({ title, version: manifest.version, built, cid, publicKey }), 'utf8'));
    await zip.addFile('cid.txt', Buffer.from(`${cid}\n`));
    const zipping = createProgress(reporter, 'seal: writing dist/site.zip', all.length, { unit: 'files' });
    await zip.addFiles((async function* () {
      for await (const { file, bytes } of readInOrder(all, { signal })) {
        changed(file, bytes);
        zipping.tick();
        const want = expected.get(file.path);
        yield { name: `site/${file.path}`, bytes, reuse: want === undefined ? undefined : await before?.reuse(file.path, want) };
      }
    })());
    await zip.addFromDisk('site.car', join(paths.dist, 'site.car'), signal);
    await zip.close();
  } catch (error) {
    await zip.abort();
    throw error;
  } finally {
    await before?.close();
  }
  await rememberZip(paths.root, zipPath);
  if (before) reporter.info(`seal: ${before.reused} of ${all.length} files in site.zip reused from the previous bundle`);
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  reporter.info(`sealed v${manifest.version} (${files.length} files, ${bytes} bytes): ${cid}`);
  return { version: manifest.version, built, files: files.length, bytes, cid, dist: paths.dist };
}
