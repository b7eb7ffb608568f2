/** The manifest seal writes: build time from `_site/build.json`, a monotonic version, every file's sha256. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NewsmirrorError } from '../core/errors.ts';
import { parseManifest, type Manifest, type ManifestFile } from '../sealed/index.ts';

/** `built` from render's `_site/build.json`: the time of the content, not the clock. */
export async function readBuildTime(siteDir: string): Promise<string> {
  const path = join(siteDir, 'build.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new NewsmirrorError('ERR_NO_BUILD', `${path} is missing; run \`newsmirror build\` before sealing`, { cause: error });
  }
  let built: unknown;
  try {
    built = (JSON.parse(text) as { built?: unknown }).built;
  } catch (error) {
    throw new NewsmirrorError('ERR_NO_BUILD', `${path} is not JSON; run \`newsmirror build\` again`, { cause: error });
  }
  if (typeof built !== 'string' || Number.isNaN(Date.parse(built))) {
    throw new NewsmirrorError('ERR_NO_BUILD', `${path} has no valid "built" time (ISO 8601 UTC expected, e.g. "2026-01-31T12:00:00Z"); run \`newsmirror build\` again`);
  }
  return new Date(built).toISOString();
}

/** The manifest a previous seal left in dist/, if any and readable. */
export async function readPreviousManifest(distDir: string): Promise<Manifest | undefined> {
  try {
    return parseManifest(await readFile(join(distDir, 'manifest.json')), 'dist/manifest.json');
  } catch {
    return undefined;
  }
}

function sameFiles(a: ManifestFile[], b: ManifestFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f.path === b[i]!.path && f.sha256 === b[i]!.sha256 && f.size === b[i]!.size);
}

/**
 * Unix seconds of `built`; but when the files changed since the previous
 * manifest, never at or below its version (so mirrors can always tell newer
 * from older), and when nothing changed, the previous version (so re-sealing
 * gives the same bytes).
 */
export function nextVersion(built: string, files: ManifestFile[], previous: Manifest | undefined): number {
  const fromBuilt = Math.floor(Date.parse(built) / 1000);
  if (!previous) return fromBuilt;
  if (sameFiles(files, previous.files)) return previous.version;
  return Math.max(fromBuilt, previous.version + 1);
}

export function buildManifest(fields: { version: number; built: string; publicKey: string; contentCid: string; files: ManifestFile[] }): Manifest {
  return {
    format: 'newsmirror-manifest/1',
    version: fields.version,
    built: fields.built,
    publicKey: fields.publicKey,
    contentCid: fields.contentCid,
    files: fields.files,
  };
}
