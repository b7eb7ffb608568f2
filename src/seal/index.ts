/**
 * `seal`: _site/ → signed SHA256SUMS and manifest (in _site/ and dist/),
 * dist/site.car, dist/cid.txt, the offline bundle dist/site.zip, delta
 * bundles and the signed release record (dist/release.json + release.sig).
 * The order matters: SHA256SUMS first (the manifest covers it), the manifest
 * next (it names the CID of the site without it), then the CAR of everything
 * (manifest included) and the bundle (which holds the CAR), then the deltas
 * and the release record naming the size and sha256 of each.
 *
 * It costs what changed: a file whose (size, mtime, inode) is the one the
 * last seal hashed keeps its sha256 (build-cache/site-hashes.ts); the CAR is
 * planned from the hashes and takes unchanged blocks from the previous
 * site.car (build-cache/car-reuse.ts); the bundle copies unchanged records and
 * CAR pieces from the previous site.zip (build-cache/zip-reuse.ts). Every
 * output is staged and moved into place together (commit.ts). The result is
 * byte for byte what a seal with no caches and no dist/ writes.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { loadSite } from '../core/config.ts';
import { silentReporter, type Reporter } from '../core/log.ts';
import { addToRoot, CHUNK_SIZE, comparePaths, formatPublicKey, listSite, MANIFEST_FILES, parseManifest, planTree, serializeManifest, serializeRelease, signBytes, SUMS_FILE, SUMS_FILES, SUMS_SIG_FILE, verifyBytes, type Manifest, type ManifestFile, type PlanFile, type ReleaseRecord, type SignedManifest } from '../sealed/index.ts';
import { projectPaths, type Project } from '../core/project.ts';
import { buildManifest, nextVersion, readBuildTime, readPreviousManifest } from './manifest.ts';
import { createProgress } from '../core/progress.ts';
import { hashSiteFiles, loadSiteHashes, serializeSiteHashes, siteHashesPath } from '../build-cache/site-hashes.ts';
import { openPreviousZip, zipStamp, zipStampPath } from '../build-cache/zip-reuse.ts';
import { carIndexPath } from '../build-cache/car-reuse.ts';
import { readRange, siteChanged, writeBundle, type BundleResult, type SiteBytes } from './bundle.ts';
import { killPoint } from '../core/kill-point.ts';
import { SealStaging } from './commit.ts';
import { recoverSite } from '../build-cache/recover.ts';
import { writeDeltas } from './delta.ts';
import { bundleReadme } from './readme.ts';
import { signedSums } from './sha256sums.ts';
import { checkSiteKey } from './site-key.ts';
import { sha256Hex } from '../core/hash.ts';

export { defaultKeyPath, generateKey, keySource, loadSigningKey, KEY_ENV } from './keys.ts';
export { checkSiteKey, KeyMismatchError, type SiteKeyState } from './site-key.ts';
export { recoverSeal } from './commit.ts';

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

/** The manifest in dist/ with its exact bytes, if its signature verifies with `key` (only then may caches keyed by it be trusted). */
async function verifiedPrevious(distDir: string, key: KeyObject): Promise<{ manifest: Manifest; bytes: Buffer } | undefined> {
  try {
    const bytes = await readFile(join(distDir, 'manifest.json'));
    const signature = await readFile(join(distDir, 'manifest.sig'));
    if (!verifyBytes(bytes, signature, createPublicKey(key))) return undefined;
    return { manifest: parseManifest(bytes, 'dist/manifest.json'), bytes };
  } catch {
    return undefined;
  }
}

/** `items` (sorted by path) with `extra` merged in at their places. */
function mergeSorted<T extends { path: string }>(items: T[], extra: T[]): T[] {
  const out = items.slice();
  for (const item of extra) {
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comparePaths(out[mid]!.path, item.path) < 0) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, item);
  }
  return out;
}

export async function seal(options: SealOptions): Promise<SealReport> {
  return (await sealSite(options)).report;
}

/** seal, also giving the manifest it wrote (for a publish in the same process: loadSealedBuild's `sealed`). */
export async function sealSite(options: SealOptions): Promise<{ report: SealReport; sealed: SignedManifest }> {
  const paths = projectPaths(options.root);
  // A build cut short while committing in place is finished first: the seal reads _site/.
  await recoverSite(paths.root);
  // A seal cut short before (a crash, a kill) is finished or undone first.
  const stage = await SealStaging.begin(paths.root, options.reporter);
  try {
    const { report, sealed } = await sealInto(stage, options);
    killPoint('staged');
    await stage.commit();
    (options.reporter ?? silentReporter).info(`sealed v${report.version} (${report.files} files, ${report.bytes} bytes): ${report.cid}`);
    return { report, sealed };
  } catch (error) {
    await stage.abort();
    throw error;
  }
}

async function sealInto(stage: SealStaging, options: SealOptions): Promise<{ report: SealReport; sealed: SignedManifest }> {
  const { signal } = options;
  const reporter = options.reporter ?? silentReporter;
  const paths = projectPaths(options.root);
  const rel = (abs: string) => relative(paths.root, abs).split(sep).join('/');
  const built = await readBuildTime(paths.site);
  const isSealOutput = (path: string) => MANIFEST_FILES.has(path) || SUMS_FILES.has(path);
  const listing = await listSite(paths.site, { exclude: isSealOutput, signal });
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
  // One parse of the previous manifest (30 MB at 100,000 articles) serves the version, the hashes and the newest delta.
  const trusted = await verifiedPrevious(paths.dist, options.key);
  const previous = trusted?.manifest ?? (await readPreviousManifest(paths.dist));

  // 1. The sha256 of every rendered file: read only where the stat key is not the one the last seal hashed.
  const hashing = createProgress(reporter, 'seal: hashing', listing.files.length, { unit: 'files' });
  let read = 0;
  const hashed = hashSiteFiles(listing.files, await loadSiteHashes(paths.root, trusted), { signal, onFile: (_file, wasRead) => (read += wasRead ? 1 : 0, hashing.tick()) });
  reporter.progress(`seal: ${read} of ${hashed.length} files read and hashed, the others unchanged since the last seal`);
  killPoint('hashed');

  // 2. SHA256SUMS and its signature (in memory until the commit), then the manifest, which names the content CID.
  const { sums, signature: sumsSignature } = signedSums(hashed, options.key);
  const memory = new Map<string, Buffer>([[SUMS_FILE, sums], [SUMS_SIG_FILE, sumsSignature]]);
  const byPath = new Map(hashed.map((f) => [f.path, f]));
  const files: ManifestFile[] = mergeSorted(
    hashed.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })),
    [...memory].map(([path, bytes]) => ({ path, size: bytes.length, sha256: sha256Hex(bytes) })),
  );
  const expected = new Map(files.map((f) => [f.path, f.sha256]));
  const abs = (path: string) => byPath.get(path)?.abs ?? join(paths.site, ...path.split('/'));
  const siteBytes: SiteBytes = {
    files: [],
    read(path) {
      const bytes = memory.get(path) ?? readFileSync(abs(path));
      const want = expected.get(path);
      if (want !== undefined && sha256Hex(bytes) !== want) throw siteChanged(path);
      return bytes;
    },
    readRange: (path, offset, length) => memory.get(path)?.subarray(offset, offset + length) ?? readRange(abs(path), offset, length),
  };
  const planFile = (f: { path: string; size: number; sha256: string }): PlanFile => ({
    ...f,
    chunks: async function* () {
      const hash = createHash('sha256');
      for (let at = 0; at < f.size; at += CHUNK_SIZE) {
        const chunk = siteBytes.readRange(f.path, at, Math.min(CHUNK_SIZE, f.size - at));
        hash.update(chunk);
        yield chunk;
      }
      if (hash.digest('hex') !== f.sha256) throw siteChanged(f.path);
    },
  });
  const emptyDirs = listing.emptyDirs.map((path) => ({ path }));
  reporter.progress('seal: planning dist/site.car');
  const contentPlan = await planTree([...emptyDirs, ...files.map(planFile)], { blocks: true, signal });
  const contentCid = contentPlan.root;
  const manifest = buildManifest({ version: nextVersion(built, files, previous), built, publicKey, contentCid: contentCid.toString(), files });
  const manifestBytes = serializeManifest(manifest);
  const signature = signBytes(manifestBytes, options.key);
  memory.set('manifest.json', manifestBytes);
  memory.set('manifest.sig', signature);
  for (const dir of [paths.site, paths.dist]) {
    await stage.write(rel(join(dir, 'manifest.json')), manifestBytes);
    await stage.write(rel(join(dir, 'manifest.sig')), signature);
  }
  await stage.write(rel(join(paths.site, SUMS_FILE)), sums);
  await stage.write(rel(join(paths.site, SUMS_SIG_FILE)), sumsSignature);
  killPoint('manifest');

  // 3. The CAR of the whole site (manifest included) and the offline bundle that holds it.
  const all = mergeSorted(files, ['manifest.json', 'manifest.sig'].map((path) => ({ path, size: memory.get(path)!.length, sha256: sha256Hex(memory.get(path)!) })));
  for (const f of all) expected.set(f.path, f.sha256);
  siteBytes.files = all;
  // The root folder again with the manifest pair (or, for a sharded root, the whole tree planned again).
  const pair = ['manifest.json', 'manifest.sig'].map((path) => planFile({ path, size: memory.get(path)!.length, sha256: expected.get(path)! }));
  const plan = (await addToRoot(contentPlan, pair)) ?? (await planTree([...emptyDirs, ...all.map(planFile)], { blocks: true, signal }));
  const cid = plan.root.toString();
  const zipPath = join(paths.dist, 'site.zip');
  const before = await openPreviousZip(paths.root, zipPath, trusted);
  const zipOut = stage.file(rel(zipPath));
  let bundle: BundleResult;
  try {
    bundle = await writeBundle({
      plan,
      site: siteBytes,
      head: [
        { name: 'README.txt', bytes: Buffer.from(bundleReadme({ title, version: manifest.version, built, cid, publicKey }), 'utf8') },
        { name: 'cid.txt', bytes: Buffer.from(`${cid}\n`) },
      ],
      carOut: stage.file(rel(join(paths.dist, 'site.car'))),
      zipOut,
      previousCar: join(paths.dist, 'site.car'),
      previousCarIndex: await readFile(carIndexPath(paths.root)).catch(() => undefined),
      before,
      reporter,
      signal,
    });
  } finally {
    await before?.close();
  }
  if (before) {
    reporter.info(`seal: ${bundle.zip.reused} of ${all.length} files in site.zip reused from the previous bundle`);
    reporter.info(`seal: ${bundle.zip.piecesReused} of ${bundle.zip.pieces} pieces of site.car in site.zip reused from the previous bundle`);
  }
  reporter.info(`seal: ${bundle.car.fromPrevious} of ${bundle.car.blocks} blocks of site.car taken from the previous one`);
  await stage.write(rel(zipStampPath(paths.root)), await zipStamp(zipOut, bundle.pieces, bundle.zip.sha256));
  await stage.write(rel(carIndexPath(paths.root)), bundle.carIndex);
  await stage.write(rel(join(paths.dist, 'cid.txt')), Buffer.from(`${cid}\n`));
  killPoint('bundle');

  // 4. Delta bundles from recent versions, then the signed release record naming every bundle.
  reporter.progress('seal: writing dist/deltas/ and dist/release.json');
  const deltas = await writeDeltas({ read: (path) => siteBytes.read(path), root: paths.root, stage, distDir: paths.dist, stateDir: paths.state, manifest, manifestBytes, signature, keep: keepDeltas, signal, ...(trusted ? { previous: trusted } : {}) });
  const release: ReleaseRecord = {
    format: 'newsmirror-release/1',
    version: manifest.version,
    built,
    publicKey,
    cid,
    contentCid: contentCid.toString(),
    manifestSha256: sha256Hex(manifestBytes),
    bundles: { 'site.zip': { size: bundle.zip.bytes, sha256: bundle.zip.sha256 }, 'site.car': { size: bundle.car.bytes, sha256: bundle.car.sha256 } },
    deltas,
  };
  const releaseBytes = serializeRelease(release);
  await stage.write(rel(join(paths.dist, 'release.json')), releaseBytes);
  await stage.write(rel(join(paths.dist, 'release.sig')), signBytes(releaseBytes, options.key));
  // The hashes this seal used, for the next one (moved into place with the rest).
  await stage.write(rel(siteHashesPath(paths.root)), serializeSiteHashes(manifestBytes, manifest.files, hashed));
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  return { report: { version: manifest.version, built, files: files.length, bytes, cid, dist: paths.dist, deltas: deltas.length }, sealed: { manifest, bytes: manifestBytes, signature } };
}
