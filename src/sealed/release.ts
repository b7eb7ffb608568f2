/**
 * The signed release record every published copy carries beside the site
 * (`release.json` + `release.sig`, outside the CAR and the manifest, which
 * cannot name their own bundle): version, root CID, content CID, and the size
 * and sha256 of `site.zip`, `site.car` and each delta bundle. Signed like the
 * manifest: `release.sig` is the raw Ed25519 signature over the exact bytes.
 */
import { NewsmirrorError } from '../core/errors.ts';
import { parseJsonBytes } from './json.ts';

export interface BundleInfo {
  size: number;
  /** sha256, lowercase hex. */
  sha256: string;
}

export interface DeltaInfo extends BundleInfo {
  /** The version this delta starts from. */
  from: number;
  /** Path beside the site, `deltas/<from>-<to>.zip`. */
  path: string;
}

export interface ReleaseRecord {
  format: 'newsmirror-release/1';
  version: number;
  built: string;
  publicKey: string;
  /** Root CID of the whole site (manifest included), as in cid.txt. */
  cid: string;
  /** CID of the site without manifest.json and manifest.sig, as in the manifest. */
  contentCid: string;
  /** sha256 of the exact manifest.json bytes of this version. */
  manifestSha256: string;
  bundles: { 'site.zip': BundleInfo; 'site.car': BundleInfo };
  deltas: DeltaInfo[];
}

/** The files a copy carries beside the site; never in the manifest or the CAR. */
export const RELEASE_FILES = ['release.json', 'release.sig', 'site.zip', 'site.car'] as const;
export const DELTAS_DIR = 'deltas';

/** `deltas/<from>-<to>.zip` */
export function deltaPath(from: number, to: number): string {
  return `${DELTAS_DIR}/${from}-${to}.zip`;
}

export function serializeRelease(record: ReleaseRecord): Buffer {
  return Buffer.from(`${JSON.stringify(record, null, 2)}\n`, 'utf8');
}

const SHA = /^[0-9a-f]{64}$/;
const isBundle = (b: unknown): b is BundleInfo => typeof b === 'object' && b !== null && Number.isSafeInteger((b as BundleInfo).size) && (b as BundleInfo).size >= 0 && SHA.test(String((b as BundleInfo).sha256));

/** Parse release.json bytes (only after its signature verified); a NewsmirrorError naming `label` when it is not one. */
export function parseRelease(bytes: Uint8Array, label: string): ReleaseRecord {
  const value = parseJsonBytes(bytes, 'ERR_RELEASE', `${label} is not JSON`);
  const r = value as Partial<ReleaseRecord>;
  const ok = r?.format === 'newsmirror-release/1' && Number.isSafeInteger(r.version) && typeof r.cid === 'string' && typeof r.contentCid === 'string'
    && SHA.test(String(r.manifestSha256)) && isBundle(r.bundles?.['site.zip']) && isBundle(r.bundles?.['site.car']) && Array.isArray(r.deltas)
    && r.deltas.every((d) => isBundle(d) && Number.isSafeInteger(d.from) && d.path === deltaPath(d.from, r.version as number));
  if (!ok) throw new NewsmirrorError('ERR_RELEASE', `${label} is not a newsmirror release record (format newsmirror-release/1)`);
  return r as ReleaseRecord;
}
