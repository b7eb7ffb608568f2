/**
 * What publish remembers between runs (.newsmirror/publish.json: per target the
 * last version, CID, URL, pin request id) and what it tells the next render
 * through health.json (an ipfs mirror's URL is the gateway URL of the last CID).
 */
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from '../core/fs.ts';
import { loadHealth, saveHealth, type MirrorHealth } from '../core/health.ts';
import { projectPaths } from '../core/project.ts';
import type { TargetState } from './types.ts';

export type PublishState = Record<string, TargetState>;

export function publishStatePath(root: string): string {
  return join(projectPaths(root).state, 'publish.json');
}

export async function loadPublishState(root: string): Promise<PublishState> {
  return readJsonFile<PublishState>(publishStatePath(root), {});
}

export async function savePublishState(root: string, state: PublishState): Promise<void> {
  await writeJsonFile(publishStatePath(root), state);
}

/**
 * Point the health entries of freshly published mirrors at their new URL (the
 * IPFS gateway URL of the new CID). The status stays "unknown" until `check`.
 */
export async function recordPublishedUrls(root: string, published: { name: string; kind: string; url: string; version: number }[], now: Date): Promise<void> {
  if (published.length === 0) return;
  const health = await loadHealth(root);
  for (const entry of published) {
    const index = health.findIndex((h) => h.name === entry.name);
    const old = health[index];
    if (old && old.url === entry.url) continue;
    const next: MirrorHealth = { name: entry.name, url: entry.url, kind: entry.kind, status: 'unknown', checked: now.toISOString(), version: entry.version, detail: 'published, not checked yet' };
    if (index >= 0) health[index] = next;
    else health.push(next);
  }
  await saveHealth(root, health);
}
