/** Load and check the sealed build (`_site/` + `dist/`) once, before any target runs. */
import { statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSite } from '../core/config.ts';
import { NewsmirrorError } from '../core/errors.ts';
import { DELTAS_DIR, MIRROR_MARKER, RELEASE_FILES, parseManifest, parsePublicKey, parseRelease, verifyBytes, type Manifest, type SignedManifest } from '../sealed/index.ts';
import type { KeyObject } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { projectPaths } from '../core/project.ts';
import { readOperatorConfig } from '../operator/folder.ts';
import { mapLimit } from '../core/pool.ts';
import type { BuildFile, SealedBuild } from './types.ts';
import { pathExists, sha256File, statKey } from '../core/fs.ts';
import { loadSiteHashes } from '../build-cache/site-hashes.ts';
import { sha256Hex } from '../core/hash.ts';

export class BuildError extends NewsmirrorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_NO_BUILD', message, options);
  }
}

async function readOrFail(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new BuildError(`${what} (${path}) is missing: run \`newsmirror build\` and \`newsmirror seal\` first`, { cause: error });
  }
}

/** A manifest path must stay inside the site: no "..", no absolute paths, no backslashes. */
export function isSafeSitePath(path: string): boolean {
  return path.length > 0 && !path.startsWith('/') && !/[\\\0\n\r]/.test(path) && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/**
 * Read dist/manifest.json + manifest.sig, check that _site/ holds the same
 * manifest, that the signature verifies (against site.publicKey when set, else
 * the manifest's own key) and that every listed file exists with its size and sha256.
 * `sealed`: what a seal in this process just wrote. When dist/ and _site/ still hold
 * exactly those bytes, its parsed manifest is used and the files it hashed are not
 * stat'ed or hashed again (the signature is still checked against the site's key).
 */
export async function loadSealedBuild(root: string, options: { sealed?: SignedManifest } = {}): Promise<SealedBuild> {
  const paths = projectPaths(root);
  const manifestBytes = await readOrFail(join(paths.dist, 'manifest.json'), 'dist/manifest.json');
  const signature = await readOrFail(join(paths.dist, 'manifest.sig'), 'dist/manifest.sig');
  const handedOver = options.sealed && options.sealed.bytes.equals(manifestBytes) && options.sealed.signature.equals(signature) ? options.sealed : undefined;
  const manifest = handedOver?.manifest ?? parseManifest(manifestBytes, 'dist/manifest.json');
  const siteManifest = await readOrFail(join(paths.site, 'manifest.json'), '_site/manifest.json');
  const siteSig = await readOrFail(join(paths.site, 'manifest.sig'), '_site/manifest.sig');
  if (!siteManifest.equals(manifestBytes) || !siteSig.equals(signature)) {
    throw new BuildError('_site/manifest.json or manifest.sig differs from dist/: the site was rebuilt after sealing; run `newsmirror seal` again');
  }
  let keyText = manifest.publicKey;
  try {
    keyText = (await loadSite(root)).publicKey ?? keyText;
  } catch {
    // No site.yaml: an operator folder's pinned key, else (a bare publish folder) the manifest's own key.
    keyText = (await readOperatorConfig(root))?.key ?? keyText;
  }
  const publicKey = parsePublicKey(keyText);
  if (!verifyBytes(manifestBytes, signature, publicKey)) {
    throw new BuildError(`dist/manifest.sig does not verify with ${keyText}: refusing to publish; run \`newsmirror seal\` with the site's key`);
  }
  for (const file of manifest.files) {
    if (!isSafeSitePath(file.path)) throw new BuildError(`dist/manifest.json lists an unsafe path "${file.path}"; refusing to publish`);
  }
  const files: BuildFile[] = manifest.files.map((f) => ({ path: f.path, abs: join(paths.site, ...f.path.split('/')), size: f.size, sha256: f.sha256 }));
  if (!handedOver) await checkSiteFiles(root, { manifest, bytes: manifestBytes }, files);
  files.push({ path: 'manifest.json', abs: join(paths.site, 'manifest.json'), size: manifestBytes.length, sha256: sha256Hex(manifestBytes) });
  files.push({ path: 'manifest.sig', abs: join(paths.site, 'manifest.sig'), size: signature.length, sha256: sha256Hex(signature) });
  const extras = await releaseFiles(paths.dist, manifest, publicKey);
  const cidText = await readFile(join(paths.dist, 'cid.txt'), 'utf8').catch(() => undefined);
  const car = join(paths.dist, 'site.car');
  return {
    siteDir: paths.site,
    distDir: paths.dist,
    manifest,
    manifestBytes,
    signature,
    files,
    cid: cidText?.trim() || undefined,
    car: (await pathExists(car)) ? car : undefined,
    publicKey,
    extras,
  };
}

/**
 * Check `files` (the manifest's, in its order) on disk, size and sha256: a page edited in _site/
 * after sealing (even to the same length) is never sent out under the signature. A file whose stat
 * key is the one the seal hashed it with (build-cache/site-hashes.ts, written with this very
 * manifest) is not read again.
 */
async function checkSiteFiles(root: string, signed: { manifest: Manifest; bytes: Buffer }, files: BuildFile[]): Promise<void> {
  const trusted = await loadSiteHashes(root, signed);
  const unhashed: BuildFile[] = [];
  for (const file of files) {
    let info: Stats;
    try {
      info = statSync(file.abs);
    } catch (error) {
      throw new BuildError(`_site/${file.path} is listed in the manifest but missing: run \`newsmirror build\` and \`seal\` again`, { cause: error });
    }
    if (info.size !== file.size) throw new BuildError(`_site/${file.path} has ${info.size} bytes, the manifest says ${file.size}: run \`newsmirror seal\` again`);
    if (trusted.get(file.path)?.[0] !== statKey(info)) unhashed.push(file);
  }
  await mapLimit(unhashed, 8, async (file) => {
    if ((await sha256File(file.abs)) !== file.sha256) {
      throw new BuildError(`_site/${file.path} does not match its sha256 in the signed manifest (changed after sealing): run \`newsmirror build\` and \`newsmirror seal\` again`);
    }
  });
}

/**
 * dist/'s release record, bundles and deltas, when release.sig verifies and
 * the record is of this build (an older seal's record is not sent with a newer site).
 */
async function releaseFiles(dist: string, manifest: Manifest, key: KeyObject): Promise<BuildFile[]> {
  const bytes = await readFile(join(dist, 'release.json')).catch(() => undefined);
  const signature = await readFile(join(dist, 'release.sig')).catch(() => undefined);
  if (!bytes || !signature) return [];
  if (!verifyBytes(bytes, signature, key)) throw new BuildError('dist/release.sig does not verify with the site key: run `newsmirror seal` again');
  const release = parseRelease(bytes, 'dist/release.json');
  // An older record with its own bundles is still a consistent, signed set (an operator refreshes bundles daily); a newer one is not of this build.
  if (release.version > manifest.version) return [];
  const files: BuildFile[] = [
    { path: 'release.json', abs: join(dist, 'release.json'), size: bytes.length, sha256: sha256Hex(bytes) },
    { path: 'release.sig', abs: join(dist, 'release.sig'), size: signature.length, sha256: sha256Hex(signature) },
  ];
  for (const name of ['site.zip', 'site.car'] as const) {
    const abs = join(dist, name);
    const size = await stat(abs).then((s) => s.size, () => -1);
    if (size !== release.bundles[name].size) throw new BuildError(`dist/${name} is not the one release.json names (${size} bytes, expected ${release.bundles[name].size}): run \`newsmirror seal\` again`);
    files.push({ path: name, abs, size, sha256: release.bundles[name].sha256 });
  }
  const present = new Set(await readdir(join(dist, DELTAS_DIR)).catch(() => [] as string[]));
  for (const delta of release.version === manifest.version ? release.deltas : []) {
    if (present.has(delta.path.slice(DELTAS_DIR.length + 1))) files.push({ path: delta.path, abs: join(dist, ...delta.path.split('/')), size: delta.size, sha256: delta.sha256 });
  }
  return files;
}

/** The full-bundle files among the extras (refreshed at most every bundleRefresh); the rest are deltas. */
export const FULL_BUNDLE: readonly string[] = RELEASE_FILES;

/** Written first into a destination publish creates (see MIRROR_MARKER); never listed in the manifest, never deleted. */
export const MARKER = MIRROR_MARKER;
export const MARKER_TEXT = 'This folder is a newsmirror mirror: `newsmirror publish` replaces its files.\n';

/** The paths written last, in this order, so readers never see a manifest before its files. */
export const LAST_FILES = ['index.html', 'SHA256SUMS.sig', 'SHA256SUMS', 'manifest.sig', 'manifest.json'];

export function isLastFile(file: { path: string }): boolean {
  return LAST_FILES.includes(file.path);
}

/** Files in upload order: everything else first, then LAST_FILES. */
export function uploadOrder(files: BuildFile[]): BuildFile[] {
  const rank = (path: string) => LAST_FILES.indexOf(path);
  return [...files].sort((a, b) => rank(a.path) - rank(b.path));
}
