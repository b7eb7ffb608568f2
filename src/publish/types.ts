/** The one small interface every publish target implements, and what it is given. */
import type { KeyObject } from 'node:crypto';
import type { Mirror, MirrorType } from '../core/config.ts';
import { NewsmirrorError } from '../core/errors.ts';
import type { Reporter } from '../core/log.ts';
import type { Manifest } from '../sealed/index.ts';

/** The outcome of one target (contracts.md). `files`/`bytes` count what was sent (or would be, on dry-run). */
export interface PublishResult {
  target: string;
  type: string;
  status: 'ok' | 'failed' | 'skipped';
  reason?: string;
  url?: string;
  files: number;
  bytes: number;
  ms: number;
  /** What the target did or, on dry-run, would do (one line). */
  detail?: string;
}

/** A file of the sealed build: site-relative path, absolute source path, size and sha256. */
export interface BuildFile {
  path: string;
  abs: string;
  size: number;
  sha256: string;
}

/** The sealed build publish reads: `_site/` + `dist/`, checked once before any target runs. */
export interface SealedBuild {
  siteDir: string;
  distDir: string;
  manifest: Manifest;
  manifestBytes: Buffer;
  signature: Buffer;
  /** Every file to publish: the manifest's files, then manifest.json and manifest.sig. */
  files: BuildFile[];
  /** Root CID of the whole site (dist/cid.txt), if seal wrote one. */
  cid?: string;
  /** dist/site.car, if present. */
  car?: string;
  publicKey?: KeyObject;
  /**
   * What every copy carries beside the site when its target has bundles on:
   * release.json, release.sig, site.zip, site.car (from dist/) and deltas/*.zip,
   * paths relative to the copy's root. Empty when dist/ has no release record for this build.
   */
  extras: BuildFile[];
}

/** Of the extras, the ones sent this run, and the paths a target must leave in place (yesterday's full bundle). */
export interface BundlePlan {
  send: BuildFile[];
  keep: string[];
  /** Whether the full bundle (site.zip, site.car, release record) goes out this run. */
  full: boolean;
}

/** What one attempt of one target gets. */
export interface TargetContext<M extends Mirror = Mirror> {
  root: string;
  mirror: M;
  /** All mirrors (onion needs the one it serves). */
  mirrors: Mirror[];
  build: SealedBuild;
  dryRun: boolean;
  /** Aborted on timeout of this attempt, or when the whole publish is interrupted. */
  signal: AbortSignal;
  reporter: Reporter;
  env: NodeJS.ProcessEnv;
  /** Last state this target saved (see state.ts), e.g. a pin request id. */
  previous?: TargetState;
  /** Bundles to send beside the site, and bundle files to keep (see planBundles). */
  bundles: BundlePlan;
}

/** What a target remembers between runs in .newsmirror/publish.json. */
export interface TargetState {
  type: string;
  version: number;
  published: string;
  cid?: string;
  url?: string;
  requestid?: string;
  /** When the full site.zip and site.car were last sent (ISO UTC). */
  bundles?: string;
}

/** What one successful attempt reports. */
export interface TargetOutcome {
  files: number;
  bytes: number;
  url?: string;
  detail?: string;
  state?: Partial<TargetState>;
}

export interface Target<M extends Mirror = Mirror> {
  type: MirrorType;
  publish(ctx: TargetContext<M>): Promise<TargetOutcome>;
}

/** A target failed. `retryable: false` for problems another attempt cannot fix (config, missing secret, refusal). */
export class PublishError extends NewsmirrorError {
  readonly retryable: boolean;

  constructor(code: string, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(code, message, options);
    this.retryable = options?.retryable ?? true;
  }
}

/** A secret named by a mirror file, from the environment; a clear non-retryable error when unset. */
export function secretFromEnv(env: NodeJS.ProcessEnv, name: string, mirror: Mirror, setting: string): string {
  const value = env[name];
  if (!value) {
    throw new PublishError('ERR_SECRET_MISSING', `mirror "${mirror.name}": environment variable ${name} (named by ${setting} in its mirror file) is not set; export it before publishing`, { retryable: false });
  }
  return value;
}
