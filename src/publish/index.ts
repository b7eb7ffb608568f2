/**
 * publish: send the sealed build to every target in mirrors/*.yaml, all in
 * parallel, each isolated (its own retries with backoff, timeout and result),
 * so one failing host never stops the others.
 */
import type { Mirror, MirrorType } from '../core/config.ts';
import { loadMirrors } from '../core/config.ts';
import type { Project } from '../core/project.ts';
import { ConfigError, describeError } from '../core/errors.ts';
import { silentReporter, type Reporter } from '../core/log.ts';
import { loadSealedBuild } from './build.ts';
import { planBundles } from './bundles.ts';
import { dirTarget } from './dir.ts';
import { gitTarget } from './git.ts';
import { ipfsTarget } from './ipfs.ts';
import { onionTarget } from './onion.ts';
import { withRetries } from './retry.ts';
import { rsyncTarget } from './rsync.ts';
import { s3Target } from './s3.ts';
import { loadPublishState, recordPublishedUrls, savePublishState } from './state.ts';
import { PublishError, type PublishResult, type SealedBuild, type Target, type TargetContext, type TargetState } from './types.ts';
import { recoverSeal } from '../seal/commit.ts';
import type { SignedManifest } from '../sealed/index.ts';

export type { PublishResult, SealedBuild, Target, TargetContext } from './types.ts';
export { PublishError } from './types.ts';
export { loadSealedBuild } from './build.ts';
export { loadPublishState } from './state.ts';
export { dnslinkValue, gatewayUrl } from './ipfs.ts';

type TargetFor<K extends MirrorType> = Target<Extract<Mirror, { type: K }>>;

/** One implementation per mirror type we publish to (`external` copies are someone else's: never published to). */
export const TARGETS: { [K in Exclude<MirrorType, 'external'>]: TargetFor<K> } = {
  dir: dirTarget,
  git: gitTarget,
  s3: s3Target,
  rsync: rsyncTarget,
  ipfs: ipfsTarget,
  onion: onionTarget,
};

export interface PublishOptions {
  root: string;
  /** The project at `root` (mirrors/*.yaml read once for the run); default: read here. */
  project?: Project;
  /** Mirror names to publish to (default: all enabled). */
  targets?: string[];
  /** Say what each target would do; change nothing. */
  dryRun?: boolean;
  signal?: AbortSignal;
  reporter?: Reporter;
  /** Where secrets named by mirror files are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Clock for state timestamps (tests). */
  now?: () => Date;
  /** What a seal in this process just wrote (the main job): see loadSealedBuild. */
  sealed?: SignedManifest;
}

function retryable(error: unknown): boolean {
  if (error instanceof ConfigError) return false;
  return !(error instanceof PublishError) || error.retryable;
}

async function runTarget(mirror: Mirror, base: Omit<TargetContext, 'mirror' | 'signal' | 'previous' | 'bundles'>, previous: TargetState | undefined, signal: AbortSignal | undefined, now: Date): Promise<{ result: PublishResult; state?: Partial<TargetState> }> {
  const started = performance.now();
  const result = (status: PublishResult['status'], extra: Partial<PublishResult> = {}): PublishResult => ({
    target: mirror.name,
    type: mirror.type,
    status,
    files: 0,
    bytes: 0,
    ms: Math.round(performance.now() - started),
    ...extra,
  });
  if (!mirror.enabled) return { result: result('skipped', { reason: 'disabled (enabled: false in its mirror file)' }) };
  if (mirror.type === 'external') return { result: result('skipped', { reason: `external: a copy someone else runs at ${mirror.url}; publish never sends to it, check watches it` }) };
  const target = TARGETS[mirror.type] as Target;
  const { reporter } = base;
  const bundles = planBundles(mirror, base.build, previous, now);
  try {
    const outcome = await withRetries((attemptSignal) => target.publish({ ...base, mirror, previous, bundles, signal: attemptSignal }), {
      retries: base.dryRun ? 0 : mirror.retries,
      timeoutMs: mirror.timeout * 1000,
      baseDelayMs: mirror.retryDelay * 1000,
      signal,
      retryable,
      label: `mirror "${mirror.name}" (${mirror.type})`,
      onRetry: (error, attempt, delay) => reporter.warn(`${mirror.name}: attempt ${attempt} of ${mirror.retries + 1} failed (${describeError(error)}); retrying in ${(delay / 1000).toFixed(1)} s`),
    });
    const state = bundles.full && bundles.send.length ? { ...outcome.state, bundles: now.toISOString() } : outcome.state;
    return { result: result('ok', { files: outcome.files, bytes: outcome.bytes, url: outcome.url, detail: outcome.detail }), state };
  } catch (error) {
    return { result: result('failed', { reason: describeError(error) }) };
  }
}

/** Publish the sealed build to the selected targets; never throws for a target's failure (see each result). */
export async function publish(options: PublishOptions): Promise<PublishResult[]> {
  const { root, signal } = options;
  const reporter = options.reporter ?? silentReporter;
  const now = options.now ?? (() => new Date());
  const mirrors = await (options.project?.mirrors() ?? loadMirrors(root));
  let selected = mirrors;
  if (options.targets?.length) {
    const unknown = options.targets.filter((name) => !mirrors.some((m) => m.name === name));
    if (unknown.length) throw new ConfigError(`no mirror named ${unknown.map((n) => `"${n}"`).join(', ')} in mirrors/*.yaml (known: ${mirrors.map((m) => m.name).join(', ') || 'none'})`);
    selected = mirrors.filter((m) => options.targets?.includes(m.name));
  }
  // A seal cut short while moving its outputs into place (a crash, a kill) is finished first: dist/ and _site/ are then one sealed build.
  if ((await recoverSeal(root)) === 'forward') reporter.warn('an interrupted seal was finished before publishing (its outputs were all written; only moving them into place was cut short)');
  const build: SealedBuild = await loadSealedBuild(root, { sealed: options.sealed });
  const state = await loadPublishState(root);
  const base = { root, mirrors, build, dryRun: options.dryRun ?? false, reporter, env: options.env ?? process.env };
  const runs = await Promise.all(selected.map(async (mirror) => {
    const run = await runTarget(mirror, base, state[mirror.name], signal, now());
    // Reported as each target finishes: a slow host does not hide the others' results.
    const r = run.result;
    if (r.status === 'ok') reporter.info(`${r.target} (${r.type}): ${r.detail ?? 'ok'}`);
    else if (r.status === 'failed') reporter.warn(`${r.target} (${r.type}) failed: ${r.reason}`);
    return run;
  }));
  const results = runs.map((r) => r.result);
  if (!options.dryRun) {
    const published: Parameters<typeof recordPublishedUrls>[1] = [];
    for (const [i, run] of runs.entries()) {
      const mirror = selected[i] as Mirror;
      if (run.result.status !== 'ok') continue;
      state[mirror.name] = { ...state[mirror.name], ...run.state, type: mirror.type, version: build.manifest.version, published: now().toISOString(), url: run.state?.url ?? run.result.url };
      if (mirror.type === 'ipfs' && run.state?.url) published.push({ name: mirror.name, kind: mirror.type, url: run.state.url, version: build.manifest.version });
    }
    await savePublishState(root, state);
    await recordPublishedUrls(root, published, now());
  }
  return results;
}
