/**
 * The main job: ingest → build → seal → publish under the single-flight run
 * lock, with a signing key made on first use, and one summary at the end.
 * The only module besides command files that imports several stages.
 */
import type { KeyObject } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, UsageError, describeError } from '../core/errors.ts';
import { acquireLock, runLockPath } from '../core/lock.ts';
import type { Reporter } from '../core/log.ts';
import { formatPublicKey, type SignedManifest } from '../sealed/manifest.ts';
import { loadProject, projectPaths, type Project } from '../core/project.ts';
import { EXIT, partialExit, worstExit } from './exit.ts';
import { checkSiteKey } from '../seal/site-key.ts';
import { outletFailed, type OutletReport } from '../ingest/report.ts';
import type { PublishResult } from '../publish/index.ts';
import type { BuildReport } from '../render/index.ts';
import type { SealReport } from '../seal/index.ts';
import type { RebuildQueue, TriggerRequestHandler } from '../trigger/index.ts';
import { pathExists } from '../core/fs.ts';
import { inputFingerprint, recordSealed, reusableSealed } from '../build-cache/index.ts';
import { selectedTargets, targetsHolding } from '../build-cache/publish.ts';
import { recoverSite } from '../build-cache/recover.ts';
import { killPoint } from '../core/kill-point.ts';

/** The stage APIs the job calls (contracts.md); injected in tests. */
export interface Stages {
  ingest(options: { root: string; project?: Project; outlets?: string[]; signal?: AbortSignal; reporter?: Reporter; onNews?: () => void }): Promise<{ outlets: OutletReport[] }>;
  build(options: { root: string; signal?: AbortSignal; reporter?: Reporter; inputStats?: ReadonlyMap<string, string> }): Promise<BuildReport>;
  /** The report, and the manifest it wrote when it can hand that to publish (SignedManifest). */
  seal(options: { root: string; project?: Project; key: KeyObject; signal?: AbortSignal; reporter?: Reporter }): Promise<SealReport & { sealed?: SignedManifest }>;
  publish(options: { root: string; project?: Project; targets?: string[]; signal?: AbortSignal; reporter?: Reporter; env?: NodeJS.ProcessEnv; sealed?: SignedManifest }): Promise<TargetResult[]>;
  loadSigningKey(options: { keyFile?: string; env?: NodeJS.ProcessEnv }): Promise<KeyObject>;
  generateKey(outFile: string): Promise<{ path: string; publicKey: string }>;
  defaultKeyPath(env?: NodeJS.ProcessEnv): string;
  /** Start loading the code of build, seal and publish (about 1 s of modules) without waiting for it. */
  prepareBuild?(): void;
}

export type { OutletReport, SealReport };
/** One target's outcome (publish's PublishResult). */
export type TargetResult = PublishResult;

export interface RunSummary {
  /** 0 ok, 1 failed, 3 partial (EXIT). */
  exit: number;
  started: string;
  finished: string;
  outlets: OutletReport[];
  /** No outlet answered at all: the site was built from the archive alone. */
  offline: boolean;
  build?: { articles: number; pages: number; images?: { files: number; bytes: number } };
  seal?: SealReport;
  /** Nothing changed since the last sealed build: it was reused, not rebuilt. */
  reused?: boolean;
  targets: TargetResult[];
  /** Root CID of the sealed site. */
  cid?: string;
  /** Where readers can open this build: public target URLs and the offline bundle. */
  read: string[];
  /** Folders that `dir` targets wrote (what `--serve` serves). */
  localDirs: string[];
  key?: { publicKey: string; generated?: string; inSiteYaml: boolean };
  /** Stage failures (one line each). */
  errors: string[];
}

export interface RunOptions {
  root: string;
  /** The project at `root`, its configuration read once for the run (default: loaded here). */
  project?: Project;
  /** Only these outlets (ingest); all enabled ones when absent. */
  outlets?: string[];
  /** false: stop after seal (--no-publish). */
  publish?: boolean;
  targets?: string[];
  keyFile?: string;
  /** `--rekey`: make the signing key the site's publicKey when site.yaml names another (checkSiteKey). */
  rekey?: boolean;
  /** How long to wait for another run's lock, in milliseconds (default 0). */
  waitMs?: number;
  signal?: AbortSignal;
  reporter: Reporter;
  env?: NodeJS.ProcessEnv;
  stages?: Stages;
}

/**
 * The real stages, each module loaded on its first call: a run with nothing
 * new never loads Eleventy or the CAR writer, and plain `serve` none of them.
 */
export async function loadStages(): Promise<Stages> {
  const keys = await import('../seal/keys.ts');
  return {
    ingest: async (o) => (await import('../ingest/index.ts')).ingest(o),
    build: async (o) => (await import('../render/index.ts')).build(o),
    seal: async (o) => {
      const { report, sealed } = await (await import('../seal/index.ts')).sealSite(o);
      return { ...report, sealed };
    },
    loadSigningKey: keys.loadSigningKey,
    generateKey: keys.generateKey,
    defaultKeyPath: keys.defaultKeyPath,
    publish: async (o) => (await import('../publish/index.ts')).publish(o),
    prepareBuild: () => {
      // The same module instances the stages above get; a failure here shows again when the stage itself imports.
      for (const load of [() => import('../render/index.ts'), () => import('../seal/index.ts'), () => import('../publish/index.ts')]) load().catch(() => {});
    },
  };
}

/**
 * The key that signs this run; on a machine with none, make one at the default
 * place. Never in CI: a key made there would be thrown away with the runner,
 * and every run would be signed by a different key.
 */
async function signingKey(stages: Stages, options: RunOptions, env: NodeJS.ProcessEnv): Promise<{ key: KeyObject; generated?: string }> {
  if (!env.CI && !env.NEWSMIRROR_SIGNING_KEY && !options.keyFile && !(await pathExists(stages.defaultKeyPath(env)))) {
    const made = await stages.generateKey(stages.defaultKeyPath(env));
    return { key: await stages.loadSigningKey({ env }), generated: made.path };
  }
  return { key: await stages.loadSigningKey({ keyFile: options.keyFile, env }) };
}

/** An outlet that delivered nothing and failed: it could not be read at all. */
function unreachable(report: OutletReport): boolean {
  return outletFailed(report) && report.new + report.updated + report.unchanged + report.skipped === 0;
}

/** Exit code of a run: failed when nothing was built or no target took it, partial when some part failed. */
export function exitCodeFor(summary: Pick<RunSummary, 'seal' | 'targets' | 'outlets' | 'errors'>, publishing: boolean): number {
  if (!summary.seal) return EXIT.failed;
  const tried = summary.targets.filter((t) => t.status !== 'skipped');
  const failedTargets = tried.filter((t) => t.status === 'failed').length;
  const stageFailed = summary.errors.length > 0 || summary.outlets.some(outletFailed);
  // Targets: all tried failed is a failed run (when publishing); outlets and stage errors make it partial at worst.
  const targets = partialExit(tried.length, failedTargets);
  return worstExit(publishing ? targets : targets === EXIT.ok ? EXIT.ok : EXIT.partial, stageFailed ? EXIT.partial : EXIT.ok);
}

/** Run the whole job once. Throws only for config errors and a held lock; stage failures land in the summary. */
export async function runPipeline(options: RunOptions): Promise<RunSummary> {
  const { root, reporter, signal } = options;
  const env = options.env ?? process.env;
  const publishing = options.publish !== false;
  const lock = await acquireLock(runLockPath(root), { waitMs: options.waitMs ?? 0, signal });
  const summary: RunSummary = { exit: EXIT.failed, started: new Date().toISOString(), finished: '', outlets: [], offline: false, targets: [], read: [], localDirs: [], errors: [] };
  try {
    // A run killed in the middle of build's _site swap left no _site/: put the previous complete one back.
    const recovered = await recoverSite(root);
    if (recovered === 'restored') reporter.warn('_site/ was missing after an interrupted build; the previous complete site is back in place');
    if (recovered === 'finished') reporter.warn('a build was interrupted while putting its pages into _site/; that was finished first');
    const stages = options.stages ?? (await loadStages());
    const project = options.project ?? loadProject(root);
    // A bad site.yaml fails now, before anything is fetched.
    await project.site();
    // A mistyped --target fails now, not after ingest, build and seal have run.
    const mirrors = await project.mirrors();
    const unknown = publishing ? (options.targets ?? []).filter((name) => !mirrors.some((m) => m.name === name)) : [];
    if (unknown.length) throw new ConfigError(`no mirror named ${unknown.map((n) => `"${n}"`).join(', ')} in mirrors/*.yaml (known: ${mirrors.map((m) => m.name).join(', ') || 'none'}); nothing was run`);
    const { key, generated } = await signingKey(stages, options, env);
    const publicKey = formatPublicKey(key);
    if (generated) reporter.info(`No signing key was found, so a new one was made at ${generated} (keep it secret, keep a backup).`);
    // A key that is not site.yaml's publicKey stops the run before anything is fetched or written.
    const keyState = await checkSiteKey({ root, key, rekey: options.rekey, reporter });
    summary.key = { publicKey, inSiteYaml: keyState !== 'absent', ...(generated ? { generated } : {}) };
    if (keyState === 'absent') reporter.warn(`content/_data/site.yaml has no publicKey, so readers cannot check this copy. Put this line into content/_data/site.yaml:\n  publicKey: ${publicKey}`);

    reporter.progress('ingest: fetching feeds…');
    try {
      // News from one outlet: the build will run, so its code loads while the other feeds are still fetched.
      let preparing = false;
      const onNews = () => {
        if (!preparing) stages.prepareBuild?.();
        preparing = true;
      };
      summary.outlets = (await stages.ingest({ root, project, outlets: options.outlets, signal, reporter, onNews })).outlets;
    } catch (error) {
      if (error instanceof ConfigError || error instanceof UsageError || signal?.aborted) throw error;
      summary.errors.push(`ingest: ${describeError(error)}`);
      reporter.warn(`ingest failed: ${describeError(error)}; building from the archive`);
    }
    killPoint('run:after-ingest');
    summary.offline = summary.outlets.length > 0 && summary.outlets.every(unreachable);
    if (summary.offline) reporter.warn('no outlet could be reached (is this machine offline?); building, sealing and publishing from the archive in content/');

    // The manifest this run's seal wrote, handed to publish so it need not read and check the site again.
    let sealed: SignedManifest | undefined;
    try {
      // build-cache hook: nothing changed since the last sealed build → reuse it (same bytes, same CID).
      const fingerprint = await inputFingerprint(root, [publicKey]);
      const reused = await reusableSealed(root, fingerprint.digest);
      if (reused) {
        summary.build = reused.build;
        summary.seal = reused.seal;
        summary.reused = true;
        reporter.info(`nothing changed since v${reused.seal.version} (${fingerprint.files} input files): build and seal skipped`);
      } else {
        reporter.progress('build: rendering the site…');
        const built = await stages.build({ root, signal, reporter, inputStats: fingerprint.stats });
        summary.build = { articles: built.articles, pages: built.pages, ...(built.images ? { images: built.images } : {}) };
        killPoint('run:after-build');
        reporter.progress('seal: signing and packing…');
        const { sealed: justSealed, ...report } = await stages.seal({ root, project, key, signal, reporter });
        summary.seal = report;
        sealed = justSealed;
        killPoint('run:after-seal');
        // An input edited while the build ran has another stat key next time, so the next run builds again.
        await recordSealed(root, fingerprint.digest, summary.build, summary.seal);
      }
      summary.cid = summary.seal.cid;
    } catch (error) {
      if (signal?.aborted) throw error;
      summary.errors.push(describeError(error));
      reporter.warn(`${describeError(error)}; nothing was published`);
    }

    if (summary.seal && publishing) {
      reporter.progress('publish: sending to every target…');
      try {
        // A reused build goes only to targets that do not hold it yet (failed last time, new, re-enabled).
        const upToDate = summary.reused ? await targetsHolding(root, summary.seal.version, mirrors, options.targets) : [];
        const pending = selectedTargets(mirrors, options.targets).filter((name) => !upToDate.some((t) => t.target === name));
        const sent = pending.length === 0 ? [] : await stages.publish({ root, project, targets: upToDate.length ? pending : options.targets, signal, reporter, env, ...(sealed ? { sealed } : {}) });
        summary.targets = [...upToDate, ...sent];
      } catch (error) {
        if (error instanceof ConfigError || signal?.aborted) throw error;
        summary.targets = [{ target: '(publish)', type: '-', status: 'failed', reason: describeError(error), files: 0, bytes: 0, ms: 0 }];
      }
      if (summary.targets.length === 0) reporter.warn('no enabled publish target in mirrors/; the site is only in _site/ and dist/');
    }
    if (summary.seal) {
      for (const t of summary.targets) {
        if (t.status !== 'ok') continue;
        const mirror = mirrors.find((m) => m.name === t.target);
        if (mirror?.type === 'dir') summary.localDirs.push(resolve(root, mirror.path));
        else if (t.url) summary.read.push(t.url);
      }
      summary.read.push(join(summary.seal.dist, 'site.zip'));
    }
    summary.exit = exitCodeFor(summary, publishing);
    return summary;
  } finally {
    summary.finished = new Date().toISOString();
    await lock.release();
  }
}

/**
 * The rebuild trigger wired to this job: a RequestHandler for serve's
 * startServer({ handlers }) whose accepted requests run the pipeline for
 * their outlets, one run at a time, coalescing requests that arrive during a run.
 */
export async function createPipelineTrigger(options: Omit<RunOptions, 'outlets'> & { secretsFile?: string }): Promise<{ handler: TriggerRequestHandler; queue: RebuildQueue }> {
  const file = options.secretsFile ?? (options.env ?? process.env).NEWSMIRROR_SECRETS;
  if (file) {
    const abs = resolve(file);
    const paths = projectPaths(options.root);
    const inside = (dir: string) => abs === dir || abs.startsWith(`${dir}/`);
    if ([paths.content, paths.site, paths.dist, paths.mirrors].some(inside)) {
      throw new ConfigError(`the secrets file ${abs} is inside a folder that is published or committed; move it outside the project (e.g. /etc/newsmirror/secrets.yaml, mode 0600)`);
    }
    const mode = await stat(abs).then((st) => st.mode & 0o077, () => 0);
    if (mode) options.reporter.warn(`the secrets file ${abs} can be read by other users; run: chmod 600 ${abs}`);
    if (inside(paths.root)) options.reporter.warn(`the secrets file ${abs} is inside the project folder; make sure it is never committed (better: keep it outside, e.g. /etc/newsmirror/secrets.yaml)`);
  }
  // Loaded here, not at the top: a plain run never needs the trigger.
  const { createRebuildQueue, createTriggerHandler, loadTriggerSecrets } = await import('../trigger/index.ts');
  const secrets = await loadTriggerSecrets({ file, env: options.env });
  if (secrets.outlets.length === 0) {
    options.reporter.warn('no trigger secrets are set, so every rebuild request will be refused: put triggers: { <outlet>: <secret> } in a file named by --secrets or $NEWSMIRROR_SECRETS, or set NEWSMIRROR_TRIGGER_SECRET_<OUTLET>');
  } else {
    options.reporter.info(`rebuild trigger: secrets for ${secrets.outlets.join(', ')}`);
  }
  const queue = createRebuildQueue({
    signal: options.signal,
    run: async (outlets) => {
      options.reporter.info(`rebuild triggered for ${outlets.join(', ')}`);
      const summary = await runPipeline({ ...options, outlets, waitMs: options.waitMs ?? 600_000 });
      options.reporter.info(formatSummary(summary).trimEnd());
      const state = summary.exit === EXIT.ok ? 'ok' : summary.exit === EXIT.partial ? 'partial' : 'failed';
      const counts = summary.outlets.map((o) => `${o.outlet} ${o.new} new/${o.updated} updated/${o.failed.length} failed`).join('; ');
      return { state, detail: `${counts}${summary.cid ? `; root CID ${summary.cid}` : ''}${summary.errors.length ? `; ${summary.errors.join('; ')}` : ''}` };
    },
  });
  return { handler: createTriggerHandler({ secrets, queue, reporter: options.reporter }), queue };
}

/**
 * Run `fn` with anything written to stdout sent to stderr instead, so that
 * with --json stdout carries only the result even if a library logs there.
 */
export async function withStdoutOnStderr<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

/** The human summary printed at the end of `run`. */
export function formatSummary(summary: RunSummary): string {
  const lines: string[] = [];
  const verdict = summary.exit === EXIT.ok ? 'done' : summary.exit === EXIT.partial ? 'done, with failures' : 'FAILED';
  lines.push(`newsmirror run: ${verdict}`);
  if (summary.outlets.length) {
    lines.push('  outlets:');
    for (const o of summary.outlets) lines.push(`    ${o.outlet.padEnd(24)} ${o.new} new, ${o.updated} updated, ${o.failed.length} failed`);
  }
  if (summary.offline) lines.push('  no outlet could be reached: this build comes from the archive only');
  if (summary.build) lines.push(`  site: ${summary.build.articles} articles, ${summary.build.pages} pages${summary.build.images?.files ? `, ${summary.build.images.files} photos (${Math.round(summary.build.images.bytes / 1024)} KB)` : ''}`);
  if (summary.offline && summary.build?.articles === 0) lines.push('  the archive is empty: `npm run demo` shows a full mirror built offline from sample feeds');
  if (summary.targets.length) {
    lines.push('  targets:');
    const disabled = summary.targets.filter((t) => t.status === 'skipped' && /^disabled/.test(t.reason ?? ''));
    for (const t of summary.targets) if (!disabled.includes(t)) lines.push(`    ${t.target.padEnd(24)} ${t.status}${t.reason ? `: ${t.reason}` : ''}`);
    if (disabled.length) lines.push(`    (disabled in mirrors/: ${disabled.map((t) => t.target).join(', ')})`);
  }
  for (const e of summary.errors) lines.push(`  error: ${e}`);
  if (summary.cid) lines.push(`  root CID: ${summary.cid}`);
  if (summary.read.length || summary.localDirs.length) {
    lines.push('  read the site at:');
    for (const r of summary.read) lines.push(`    ${r}${r.endsWith('.zip') ? ' (offline copy: unzip and open index.html, or pass it on)' : ''}`);
    for (const d of summary.localDirs) lines.push(`    ${d}/index.html (a folder; \`npx newsmirror serve ${d}\` serves it over HTTP)`);
  }
  if (summary.seal) lines.push('  check a copy (in its folder; key.pem and what it proves: verify.html):\n    openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig\n    sha256sum -c SHA256SUMS');
  if (summary.key && !summary.key.inSiteYaml) lines.push(`  next: put this line into content/_data/site.yaml so readers can verify copies:\n    publicKey: ${summary.key.publicKey}`);
  return `${lines.join('\n')}\n`;
}
