/**
 * The operator folder `clone` makes and `sync`, `serve --root` and
 * `publish --root` work on:
 *
 *   README.md        what is here, the cron line, how to add a target (kk/ru/en)
 *   operator.json    the pinned key, the sources, the gateways, the SOCKS5 proxy if any, the version held
 *   mirrors/         the operator's own publish targets (*.yaml)
 *   _site            → .newsmirror/releases/<version>: the verified copy (switched atomically)
 *   dist/            manifest.json, manifest.sig, cid.txt, release.json, release.sig, site.car, site.zip, deltas/
 *   .newsmirror/     releases/, the lock
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NewsmirrorError } from '../core/errors.ts';
import { writeJsonFile } from '../core/fs.ts';

export const OPERATOR_FILE = 'operator.json';

export interface OperatorConfig {
  format: 'newsmirror-operator/1';
  /** The outlet's public key, pinned at clone time: `ed25519:<base64url>`. */
  key: string;
  /** Where the copy came from (a URL, ipfs://<cid>, a path), tried first by sync. */
  source: string;
  /** Extra mirror URLs to try (the copy's own mirrors.json is read on every sync too). */
  sources: string[];
  /** IPFS gateways for ipfs:// sources, in order (none unless the operator lists some). */
  gateways: string[];
  /** The version and build time held: sync never goes below them. */
  version: number;
  built: string;
  /** When the full site.zip/site.car in dist/ were last fetched (ISO UTC). */
  bundlesFetched?: string;
  /** host:port of the SOCKS5 proxy (tor) every URL is read through, given to clone or sync with --socks; onion mirrors are tried only with it. */
  socks?: string;
}

export async function readOperatorConfig(dir: string): Promise<OperatorConfig | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, OPERATOR_FILE), 'utf8');
  } catch {
    return undefined;
  }
  let value: Partial<OperatorConfig>;
  try {
    value = JSON.parse(text) as Partial<OperatorConfig>;
  } catch (error) {
    throw new NewsmirrorError('ERR_CONFIG', `${join(dir, OPERATOR_FILE)} is not JSON; restore it (it holds the pinned key) or clone again`, { cause: error });
  }
  if (value.format !== 'newsmirror-operator/1' || typeof value.key !== 'string' || typeof value.source !== 'string' || typeof value.version !== 'number') {
    throw new NewsmirrorError('ERR_CONFIG', `${join(dir, OPERATOR_FILE)} is not an operator file (format newsmirror-operator/1 with key, source, version); clone again`);
  }
  if (value.socks !== undefined && typeof value.socks !== 'string') throw new NewsmirrorError('ERR_CONFIG', `${join(dir, OPERATOR_FILE)}: "socks" must be host:port of a SOCKS5 proxy, e.g. "127.0.0.1:9050"`);
  return { sources: [], gateways: [], built: '', ...value } as OperatorConfig;
}

export async function writeOperatorConfig(dir: string, config: OperatorConfig): Promise<void> {
  await writeJsonFile(join(dir, OPERATOR_FILE), config);
}
