/**
 * `seal`: _site/ → signed SHA256SUMS (in _site/), signed manifest (in _site/
 * and dist/), dist/site.car, dist/cid.txt and the offline bundle dist/site.zip.
 * The order matters: SHA256SUMS first (the manifest covers it), the manifest
 * next (it names the CID of the site without it), then the CAR of everything
 * (manifest included), then the bundle (which holds the CAR), then delta
 * bundles from recent versions and the signed release record
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
import { projectPaths, type Project } from '../core/project.ts';
import { buildManifest, nextVersion, readBuildTime, readPreviousManifest } from './manifest.ts';
import { createProgress } from '../core/progress.ts';
import { openPreviousZip, rememberZip } from '../build-cache/zip-reuse.ts';
import { writeDeltas } from './delta.ts';
import { bundleReadme } from './readme.ts';
import { SUMS_FILE, SUMS_FILES, SUMS_SIG_FILE, sha256Hex, signedSums } from './sha256sums.ts';
import { checkSiteKey } from './site-key.ts';

export { defaultKeyPath, generateKey, keySource, loadSigningKey, KEY_ENV } from './keys.ts';
export { checkSiteKey, KeyMismatchError, type SiteKeyState } from './site-key.ts';

export interface SealOptions {
  root: string;
  /** The project at `root` (site.yaml read once for the run); default: read here. */
  project?: Project;
  key: KeyObject;
  /** Make this key the site's publicKey in site.yaml if it differs (`--rekey`); without it a different key is refused. */
  rekey?: boolean;
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

const sha256 = sha256Hex;

/** Files as DAG entries (folders with nothing in them first); `onFile` sees each file's bytes on the way. */
async function* dagEntries(files: SiteFile[], emptyDirs: string[], options: { signal?: AbortSignal; onFile?: (file: SiteFile, bytes: Buffer) => void }): AsyncGenerator<DagEntry> {
  for (const path of emptyDirs) yield { path };
  for await (const { file, bytes } of readInOrder(files, { signal: options.signal })) {
    options.onFile?.(file, bytes);
    yield { path: file.path, content: bytes };
  }
}

const siteChanged = (file: SiteFile) => new NewsmirrorError('ERR_SITE_CHANGED', `${file.abs} changed while sealing; wait for the build to finish and run seal again`);

export async function seal(options: SealOptions): Promise<SealReport> {
  const { signal } = options;
  const reporter = options.reporter ?? silentReporter;
  const paths = projectPaths(options.root);
  const built = await readBuildTime(paths.site);
  const isManifest = (path: string) => MANIFEST_FILES.has(path);
  const isSealOutput = (path: string) => isManifest(path) || SUMS_FILES.has(path);
  const files0 = await listSite(paths.site, { exclude: isSealOutput, signal });
  const publicKey = formatPublicKey(options.key);
  // A key that is not site.yaml's publicKey is refused before anything is written.
  await checkSiteKey({ root: paths.root, key: options.key, rekey: options.rekey, reporter });
  let title = 'newsmirror';
  let keepDeltas = 7;
  try {
    const site = await (options.project?.site() ?? loadSite(paths.root));
    title = site.title;
    keepDeltas = site.deltas;
  } catch {
    // No or bad site.yaml: render reports that; sealing does not need it.
  }

  // 1. SHA256SUMS of the rendered files and its signature, into the site (so the manifest, CAR and zip cover them).
  reporter.progress(`seal: hashing ${files0.files.length} files`);
  const rendered: { path: string; sha256: string }[] = [];
  for await (const { file, bytes } of readInOrder(files0.files, { signal })) rendered.push({ path: file.path, sha256: sha256(bytes) });
  const { sums, signature: sumsSignature } = signedSums(rendered, options.key);
  await writeFileAtomic(join(paths.site, SUMS_FILE), sums);
  await writeFileAtomic(join(paths.site, SUMS_SIG_FILE), sumsSignature);
  const listing = await listSite(paths.site, { exclude: isManifest, signal });

  // 2. The manifest's sha256 and the CID of the content; a file that changed since SHA256SUMS stops the seal.
  const summed = new Map(rendered.map((f) => [f.path, f.sha256]));
  const files: ManifestFile[] = [];
  const hashing = createProgress(reporter, 'seal: hashing', listing.files.length, { unit: 'files' });
  const contentCid = await importTree(dagEntries(listing.files, listing.emptyDirs, {
    signal,
    onFile: (file, bytes) => {
      const hash = sha256(bytes);
      if (!SUMS_FILES.has(file.path) && summed.get(file.path) !== hash) throw siteChanged(file);
      files.push({ path: file.path, size: bytes.length, sha256: hash });
      hashing.tick();
    },
  }), discardBlocks, signal);

  // 3. Manifest and signature, into the site and dist/.
  const previous = await readPreviousManifest(paths.dist);
  const manifest = buildManifest({ version: nextVersion(built, files, previous), built, publicKey, contentCid: contentCid.toString(), files });
  const manifestBytes = serializeManifest(manifest);
  const signature = signBytes(manifestBytes, options.key);
  await mkdir(paths.dist, { recursive: true });
  for (const dir of [paths.site, paths.dist]) {
    await writeFileAtomic(join(dir, 'manifest.json'), manifestBytes);
    await writeFileAtomic(join(dir, 'manifest.sig'), signature);
  }

  // 4. The CAR of the whole site, manifest included; every file re-checked against the manifest.
  reporter.progress('seal: writing dist/site.car');
  const all = [...listing.files, ...['manifest.json', 'manifest.sig'].map((path) => ({ path, abs: join(paths.site, path) }))].sort((a, b) => comparePaths(a.path, b.path));
  const expected = new Map(files.map((f) => [f.path, f.sha256]));
  const changed = (file: SiteFile, bytes: Buffer) => {
    const want = expected.get(file.path);
    if (want !== undefined && want !== sha256(bytes)) throw siteChanged(file);
  };
  const carring = createProgress(reporter, 'seal: writing dist/site.car', all.length, { unit: 'files' });
  const car = await writeCar(dagEntries(all, listing.emptyDirs, { signal, onFile: (file, bytes) => (changed(file, bytes), carring.tick()) }), join(paths.dist, 'site.car'), signal);
  const cid = car.root.toString();
  await writeFileAtomic(join(paths.dist, 'cid.txt'), `${cid}\n`);

  // 5. The offline bundle: README, the site under site/, the CAR.
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
