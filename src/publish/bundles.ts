/**
 * Which bundles a target sends this run: none with `bundles: false`; the
 * deltas every run; the full site.zip, site.car and the release record naming
 * them only when `bundleRefresh` (default 24h) has passed since they were last
 * sent, so 10 new articles do not push a full-size bundle to every host. Until
 * then the target keeps the full bundle it has (consistent with its release record).
 */
import { durationMs, type Mirror } from '../core/config.ts';
import { FULL_BUNDLE } from './build.ts';
import type { BundlePlan, SealedBuild, TargetState } from './types.ts';

export const NO_BUNDLES: BundlePlan = { send: [], keep: [], full: false };

export function planBundles(mirror: Mirror, build: SealedBuild, previous: TargetState | undefined, now: Date): BundlePlan {
  if (!(mirror.type === 'dir' || mirror.type === 'git' || mirror.type === 's3' || mirror.type === 'rsync') || mirror.bundles === false || build.extras.length === 0) return NO_BUNDLES;
  const refresh = durationMs(mirror.bundleRefresh ?? '24h');
  const last = previous?.bundles ? Date.parse(previous.bundles) : Number.NaN;
  const full = !(now.getTime() - last < refresh);
  if (full) return { send: build.extras, keep: [], full };
  return { send: build.extras.filter((f) => !FULL_BUNDLE.includes(f.path)), keep: [...FULL_BUNDLE], full };
}
