/**
 * Mirror health, written by `check` to .newsmirror/health.json and read by the
 * next render (mirrors page, /mirrors.json, footer list). Missing file = unknown.
 */
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from './fs.ts';
import { projectPaths } from './project.ts';

export type MirrorStatus = 'fresh' | 'stale' | 'down' | 'tampered' | 'unknown';

export interface MirrorHealth {
  name: string;
  url: string;
  /** The mirror's type (dir, git, s3, rsync, ipfs, onion). */
  kind: string;
  status: MirrorStatus;
  /** When it was last checked, ISO 8601 UTC. */
  checked: string;
  /** The manifest version the mirror serves, if it answered. */
  version?: number;
  detail?: string;
}

export function healthPath(root: string): string {
  return join(projectPaths(root).state, 'health.json');
}

export async function loadHealth(root: string): Promise<MirrorHealth[]> {
  return readJsonFile<MirrorHealth[]>(healthPath(root), []);
}

export async function saveHealth(root: string, health: MirrorHealth[]): Promise<void> {
  await writeJsonFile(healthPath(root), health);
}
