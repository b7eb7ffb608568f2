/**
 * mirrors: the health check. For each enabled mirror fetch /manifest.json and
 * /manifest.sig (over HTTP(S), through an IPFS gateway, through SOCKS5 for
 * onions), verify the signature with site.publicKey, compare the version with
 * the latest local build, spot-check a sample of files against their hashes:
 * fresh / stale / down / tampered (unknown when it cannot be checked). Saves
 * .newsmirror/health.json for the next render.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, describeError } from '../core/errors.ts';
import { loadMirrors, loadSite, mirrorKind, type Mirror } from '../core/config.ts';
import { saveHealth, type MirrorHealth } from '../core/health.ts';
import { silentReporter, type Reporter } from '../core/log.ts';
import { parseManifest, parsePublicKey, verifyBytes, type Manifest } from '../sealed/index.ts';
import { projectPaths } from '../core/project.ts';
import { readJsonFile } from '../core/fs.ts';
import { isOnion, mirrorBaseUrl, pathUrl, sampleFiles } from './assess.ts';
import { fetchBytes, FetchError, type FetchOptions } from './fetch.ts';

export { formatHealth } from './assess.ts';

export interface CheckOptions {
  root: string;
  /** host:port of a SOCKS5 proxy (tor) for .onion mirrors. */
  socksProxy?: string;
  signal?: AbortSignal;
  reporter?: Reporter;
  env?: NodeJS.ProcessEnv;
  /** Files spot-checked per mirror besides index.html (default 5). */
  sample?: number;
  /** Seconds for each mirror (default 60). */
  timeout?: number;
  now?: () => Date;
}

const MAX_MANIFEST = 64 * 1024 * 1024;
const MAX_FILE = 256 * 1024 * 1024;

type Verdict = Pick<MirrorHealth, 'status' | 'version' | 'detail'>;

async function localBuild(root: string): Promise<{ version?: number; cid?: string }> {
  const dist = projectPaths(root).dist;
  const manifest = await readFile(join(dist, 'manifest.json')).then((b) => parseManifest(b, 'dist/manifest.json'), () => undefined);
  const cid = await readFile(join(dist, 'cid.txt'), 'utf8').then((t) => t.trim() || undefined, () => undefined);
  return { version: manifest?.version, cid };
}

/** The CID an ipfs mirror last published (publish.json), else the local build's. */
async function publishedCid(root: string, name: string, fallback: string | undefined): Promise<string | undefined> {
  const state = await readJsonFile<Record<string, { cid?: string }>>(join(projectPaths(root).state, 'publish.json'), {});
  return state[name]?.cid ?? fallback;
}

async function checkOne(base: string, key: KeyObject, latest: number | undefined, options: FetchOptions, sample: number): Promise<Verdict> {
  const get = (path: string, maxBytes: number) => fetchBytes(pathUrl(base, path), { ...options, maxBytes });
  let manifestBytes: Buffer;
  let signature: Buffer;
  try {
    const [m, s] = await Promise.all([get('manifest.json', MAX_MANIFEST), get('manifest.sig', 1024)]);
    for (const [name, r] of [['manifest.json', m], ['manifest.sig', s]] as const) {
      if (r.status !== 200) return { status: 'down', detail: `${name}: HTTP ${r.status}` };
    }
    manifestBytes = m.body;
    signature = s.body;
  } catch (error) {
    if (error instanceof FetchError) return { status: 'down', detail: error.message };
    throw error;
  }
  if (!verifyBytes(manifestBytes, signature, key)) return { status: 'tampered', detail: 'manifest.sig does not verify with the site key: the manifest was altered or signed by someone else' };
  let manifest: Manifest;
  try {
    manifest = parseManifest(manifestBytes, 'manifest.json');
  } catch (error) {
    return { status: 'tampered', detail: describeError(error) };
  }
  const version = manifest.version;
  for (const file of sampleFiles(manifest.files, sample)) {
    let got;
    try {
      got = await get(file.path, Math.max(file.size + 1, 1024));
    } catch (error) {
      if (error instanceof FetchError) return { status: 'down', version, detail: `${file.path}: ${error.message}` };
      throw error;
    }
    if (got.status !== 200) return { status: 'tampered', version, detail: `${file.path} is listed in the signed manifest but the mirror answers HTTP ${got.status}` };
    const sha = createHash('sha256').update(got.body).digest('hex');
    if (sha !== file.sha256) return { status: 'tampered', version, detail: `${file.path} differs from its signed hash (${got.body.length} bytes, sha256 ${sha.slice(0, 12)}…, expected ${file.size} bytes, ${file.sha256.slice(0, 12)}…)` };
  }
  if (latest !== undefined && version < latest) return { status: 'stale', version, detail: `serves version ${version}, the latest build is ${latest}` };
  const detail = latest === undefined ? 'signature ok (no local build to compare)' : version > latest ? `serves version ${version}, newer than the local build ${latest}` : 'signature and sampled files ok';
  return { status: 'fresh', version, detail };
}

/** Check every enabled mirror (in parallel) and save health.json. */
export async function check(options: CheckOptions): Promise<MirrorHealth[]> {
  const { root, signal } = options;
  const reporter = options.reporter ?? silentReporter;
  const now = options.now ?? (() => new Date());
  const site = await loadSite(root);
  if (!site.publicKey) throw new ConfigError('content/_data/site.yaml has no publicKey, so mirrors cannot be verified; add the key printed by `newsmirror keygen`');
  const key = parsePublicKey(site.publicKey);
  const mirrors = (await loadMirrors(root)).filter((m) => m.enabled);
  const local = await localBuild(root);
  const health = await Promise.all(mirrors.map(async (mirror: Mirror): Promise<MirrorHealth> => {
    const cid = mirror.type === 'ipfs' ? await publishedCid(root, mirror.name, local.cid) : undefined;
    const target = mirrorBaseUrl(mirror, cid);
    const entry = (url: string, verdict: Verdict): MirrorHealth => ({ name: mirror.name, url, kind: mirrorKind(mirror), checked: now().toISOString(), ...verdict });
    if ('unknown' in target) return entry(mirror.url ?? '', { status: 'unknown', detail: target.unknown });
    const onion = isOnion(target.url);
    if (onion && !options.socksProxy) return entry(target.url, { status: 'unknown', detail: 'an onion address: give --socks HOST:PORT (tor, e.g. 127.0.0.1:9050) to check it' });
    const timeout = AbortSignal.timeout((options.timeout ?? 60) * 1000);
    const fetchOptions: FetchOptions = { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, socks: onion ? options.socksProxy : undefined, maxBytes: MAX_FILE };
    try {
      const verdict = await checkOne(target.url, key, local.version, fetchOptions, options.sample ?? 5);
      reporter.progress(`check: ${mirror.name} ${verdict.status}`);
      return entry(target.url, verdict);
    } catch (error) {
      signal?.throwIfAborted();
      const reason = timeout.aborted ? `no complete answer within ${options.timeout ?? 60} s` : describeError(error);
      return entry(target.url, { status: 'down', detail: reason });
    }
  }));
  await saveHealth(root, health);
  return health;
}
