/**
 * `clone`: make DIR an operator folder holding a verified copy of the site.
 * Everything is built in a hidden folder beside DIR and renamed into place
 * only when the signature and every file checked out: a refused source leaves nothing.
 */
import type { KeyObject } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { NewsmirrorError, UsageError, describeError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { formatPublicKey } from '../sealed/index.ts';
import { writeDist } from './dist.ts';
import { writeOperatorConfig, type OperatorConfig } from './folder.ts';
import { operatorReadme } from './readme.ts';
import { openSource, sourceCandidates, type CopySource } from './source.ts';
import { readSignedManifest, stageCopy } from './stage.ts';
import { pointAt, siblingName } from './switch.ts';

export const RELEASES = '.newsmirror/releases';

export interface CloneOptions {
  source: string;
  dir: string;
  key: KeyObject;
  gateways?: string[];
  /** host:port of a SOCKS5 proxy (tor) to read URLs through, kept for sync; needed for .onion. */
  socks?: string;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface CloneReport {
  dir: string;
  source: string;
  version: number;
  built: string;
  files: number;
  bytes: number;
  bundles: number;
}

async function emptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw new UsageError(`${dir} cannot be used: ${(error as Error).message}`, { cause: error });
  }
}

export async function clone(options: CloneOptions): Promise<CloneReport> {
  const dir = resolve(options.dir);
  if (!(await emptyOrMissing(dir))) throw new UsageError(`${dir} is not empty; clone into a new folder (to update an operator folder run \`newsmirror sync --root ${options.dir}\`)`);
  const gateways = options.gateways ?? [];
  const errors: string[] = [];
  for (const candidate of sourceCandidates(options.source, gateways)) {
    let source: CopySource | undefined;
    const staging = siblingName(dir, 'clone');
    try {
      source = await openSource(candidate, { signal: options.signal, socks: options.socks });
      const signed = await readSignedManifest(source, options.key);
      const version = signed.manifest.version;
      const release = join(staging, RELEASES, String(version));
      const staged = await stageCopy(source, signed, options.key, release, undefined, options.signal);
      await pointAt(join(staging, '_site'), release);
      const bundles = await writeDist(staging, signed, source, options.key, true);
      const config: OperatorConfig = {
        format: 'newsmirror-operator/1',
        key: formatPublicKey(options.key),
        source: options.source,
        sources: [],
        gateways,
        version,
        built: signed.manifest.built,
        ...(options.socks ? { socks: options.socks } : {}),
        ...(bundles ? { bundlesFetched: (options.now ?? (() => new Date()))().toISOString() } : {}),
      };
      await writeOperatorConfig(staging, config);
      await writeFileAtomic(join(staging, 'README.md'), operatorReadme({ dir: options.dir, source: options.source }));
      await mkdir(join(staging, 'mirrors'), { recursive: true });
      await rmdir(dir).catch(() => {});
      await rename(staging, dir);
      return { dir, source: candidate, version, built: signed.manifest.built, files: signed.manifest.files.length, bytes: staged.bytes, bundles };
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      options.signal?.throwIfAborted();
      if (error instanceof UsageError) throw error;
      // Another gateway may still hold the genuine copy: each one is verified the same way.
      errors.push(`${candidate}: ${describeError(error)}`);
    } finally {
      await source?.close();
    }
  }
  throw new NewsmirrorError('ERR_CLONE', `clone refused, nothing written to ${dir}:\n  ${errors.join('\n  ')}`);
}
