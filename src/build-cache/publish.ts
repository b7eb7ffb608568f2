/**
 * Publishing a reused build: a target whose last successful publish (in
 * .newsmirror/publish.json) was this very version already holds it and is
 * not sent anything; every other target (failed last time, new, re-enabled) is.
 */
import type { Mirror } from '../core/config.ts';
import { loadPublishState } from '../publish/state.ts';
import type { PublishResult } from '../publish/types.ts';

/** Names of the mirrors a publish covers: `targets` if given, else all. */
export function selectedTargets(mirrors: Mirror[], targets?: string[]): string[] {
  return mirrors.filter((m) => !targets?.length || targets.includes(m.name)).map((m) => m.name);
}

/** Results for the selected enabled targets that already hold `version` (0 files, 0 bytes sent). */
export async function targetsHolding(root: string, version: number, mirrors: Mirror[], targets?: string[]): Promise<PublishResult[]> {
  const state = await loadPublishState(root);
  const names = new Set(selectedTargets(mirrors, targets));
  return mirrors
    .filter((m) => names.has(m.name) && m.enabled && state[m.name]?.version === version && state[m.name]?.type === m.type)
    .map((m) => ({ target: m.name, type: m.type, status: 'ok', files: 0, bytes: 0, ms: 0, detail: `already holds v${version}: nothing sent`, ...(state[m.name]?.url ? { url: state[m.name]!.url } : {}) }));
}
