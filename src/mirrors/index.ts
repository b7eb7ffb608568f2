/**
 * mirrors: the health check. For each enabled mirror fetch /manifest.json and
 * /manifest.sig (over HTTP(S), through an IPFS gateway, through SOCKS5 for
 * onions), verify the signature with site.publicKey, compare the version with
 * the latest local build, spot-check a sample of files against their hashes:
 * fresh / stale / down / tampered (unknown when it cannot be checked). Saves
 * .newsmirror/health.json for the next render.
 */
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, describeError } from '../core/errors.ts';
import { loadMirrors, loadSite, mirrorKind, type Mirror } from '../core/config.ts';
import { saveHealth, type MirrorHealth } from '../core/health.ts';
import { silentReporter, type Reporter } from '../core/log.ts';
import { projectPaths } from '../core/project.ts';
import { loadPublishState } from '../publish/state.ts';
import { checkRemote, isOnion, ONION_NEEDS_SOCKS, openRemote, REMOTE_CODES, worstProblem, type RemoteOptions } from '../remote/index.ts';
import { parseManifest, parsePublicKey } from '../sealed/index.ts';
import { mirrorBaseUrl, sampleFiles } from './assess.ts';

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

type Verdict = Pick<MirrorHealth, 'status' | 'version' | 'detail'>;

async function localBuild(root: string): Promise<{ version?: number; cid?: string }> {
  const dist = projectPaths(root).dist;
  const manifest = await readFile(join(dist, 'manifest.json')).then((b) => parseManifest(b, 'dist/manifest.json'), () => undefined);
  const cid = await readFile(join(dist, 'cid.txt'), 'utf8').then((t) => t.trim() || undefined, () => undefined);
  return { version: manifest?.version, cid };
}

/** One mirror: the shared remote check on a sample (index.html plus `sample` random files), then the version against the local build. */
async function checkOne(base: string, key: KeyObject, latest: number | undefined, options: RemoteOptions, sample: number): Promise<Verdict> {
  const copy = openRemote(base, options);
  try {
    const result = await checkRemote(copy, { publicKey: key, only: (files) => sampleFiles(files, sample), concurrency: 4, signal: options.signal });
    const version = result.version;
    if (result.status !== 'ok') {
      const worst = worstProblem(result.problems);
      // A remote error's message names the URL already; other problems get the file's path.
      const detail = worst && (worst.code && worst.code in REMOTE_CODES ? worst.detail : `${worst.path}: ${worst.detail}`);
      return { status: result.status, version, detail };
    }
    if (version === undefined) return { status: 'down', detail: 'no manifest version' };
    if (latest !== undefined && version < latest) return { status: 'stale', version, detail: `serves version ${version}, the latest build is ${latest}` };
    const detail = latest === undefined ? 'signature ok (no local build to compare)' : version > latest ? `serves version ${version}, newer than the local build ${latest}` : 'signature and sampled files ok';
    return { status: 'fresh', version, detail };
  } finally {
    copy.close();
  }
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
  const published = await loadPublishState(root);
  const health = await Promise.all(mirrors.map(async (mirror: Mirror): Promise<MirrorHealth> => {
    // The CID an ipfs mirror last published, else the local build's.
    const cid = mirror.type === 'ipfs' ? (published[mirror.name]?.cid ?? local.cid) : undefined;
    const target = mirrorBaseUrl(mirror, cid);
    const entry = (url: string, verdict: Verdict): MirrorHealth => ({ name: mirror.name, url, kind: mirrorKind(mirror), checked: now().toISOString(), ...verdict });
    if ('unknown' in target) return entry(mirror.url ?? '', { status: 'unknown', detail: target.unknown });
    const onion = isOnion(target.url);
    if (onion && !options.socksProxy) return entry(target.url, { status: 'unknown', detail: `${ONION_NEEDS_SOCKS} to check it` });
    const timeout = AbortSignal.timeout((options.timeout ?? 60) * 1000);
    const remote: RemoteOptions = { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, socks: onion ? options.socksProxy : undefined, timeoutMs: (options.timeout ?? 60) * 1000 };
    try {
      const verdict = await checkOne(target.url, key, local.version, remote, options.sample ?? 5);
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
