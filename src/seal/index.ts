/**
 * `seal`: _site/ → signed manifest (in _site/ and dist/), dist/site.car,
 * dist/cid.txt and the offline bundle dist/site.zip. The order matters: the
 * manifest is made first (it names the CID of the site without it), then the
 * CAR of everything (manifest included), then the bundle (which holds the CAR),
 * then delta bundles from recent versions and the signed release record
 * (dist/release.json + release.sig) naming the size and sha256 of each.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSite } from '../core/config.ts';
import { NewsmirrorError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { silentReporter, type Reporter } from '../core/log.ts';
import { formatPublicKey, serializeManifest, serializeRelease, signBytes, type BundleInfo, type ManifestFile, type ReleaseRecord, discardBlocks, importTree, writeCar, type DagEntry, MANIFEST_FILES, comparePaths, listSite, readInOrder, type SiteFile, ZipWriter } from '../sealed/index.ts';
import { projectPaths } from '../core/project.ts';
import { buildManifest, nextVersion, readBuildTime, readPreviousManifest } from './manifest.ts';
import { writeDeltas } from './delta.ts';
import { bundleReadme } from './readme.ts';

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
  /** Delta bundles written to dist/deltas/. */
  deltas?: number;
}

/** Size and sha256 of a file on disk, streamed. */
async function bundleInfo(path: string): Promise<BundleInfo> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
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
  let keepDeltas = 7;
  try {
    const site = await loadSite(paths.root);
    title = site.title;
    keepDeltas = site.deltas;
    if (site.publicKey && site.publicKey !== publicKey) {
      reporter.warn(`the signing key's public key ${publicKey} is not the publicKey in content/_data/site.yaml (${site.publicKey}); readers checking against the site's key will reject this build`);
    }
  } catch {
    // No or bad site.yaml: render reports that; sealing does not need it.
  }

  // 1. Hash every file once: the manifest's sha256 and the CID of the content.
  reporter.progress(`seal: hashing ${listing.files.length} files`);
  const files: ManifestFile[] = [];
  const contentCid = await importTree(dagEntries(listing.files, listing.emptyDirs, {
    signal,
    onFile: (file, bytes) => files.push({ path: file.path, size: bytes.length, sha256: sha256(bytes) }),
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
  const car = await writeCar(dagEntries(all, listing.emptyDirs, { signal, onFile: changed }), join(paths.dist, 'site.car'), signal);
  const cid = car.root.toString();
  await writeFileAtomic(join(paths.dist, 'cid.txt'), `${cid}\n`);

  // 4. The offline bundle: README, the site under site/, the CAR.
  reporter.progress('seal: writing dist/site.zip');
  const zip = await ZipWriter.create(join(paths.dist, 'site.zip'));
  try {
    await zip.addFile('README.txt', Buffer.from(bundleReadme({ title, version: manifest.version, built, cid, publicKey }), 'utf8'));
    await zip.addFile('cid.txt', Buffer.from(`${cid}\n`));
    await zip.addFiles((async function* () {
      for await (const { file, bytes } of readInOrder(all, { signal })) {
        changed(file, bytes);
        yield { name: `site/${file.path}`, bytes };
      }
    })());
    await zip.addFromDisk('site.car', join(paths.dist, 'site.car'), signal);
    await zip.close();
  } catch (error) {
    await zip.abort();
    throw error;
  }

  // 5. Delta bundles from recent versions, then the signed release record naming every bundle.
  reporter.progress('seal: writing dist/deltas/ and dist/release.json');
  const deltas = await writeDeltas({ siteDir: paths.site, distDir: paths.dist, stateDir: paths.state, manifest, manifestBytes, signature, keep: keepDeltas, signal });
  const release: ReleaseRecord = {
    format: 'newsmirror-release/1',
    version: manifest.version,
    built,
    publicKey,
    cid,
    contentCid: contentCid.toString(),
    manifestSha256: sha256(manifestBytes),
    bundles: { 'site.zip': await bundleInfo(join(paths.dist, 'site.zip')), 'site.car': await bundleInfo(join(paths.dist, 'site.car')) },
    deltas,
  };
  const releaseBytes = serializeRelease(release);
  await writeFileAtomic(join(paths.dist, 'release.json'), releaseBytes);
  await writeFileAtomic(join(paths.dist, 'release.sig'), signBytes(releaseBytes, options.key));
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  reporter.info(`sealed v${manifest.version} (${files.length} files, ${bytes} bytes): ${cid}`);
  return { version: manifest.version, built, files: files.length, bytes, cid, dist: paths.dist, deltas: deltas.length };
}
