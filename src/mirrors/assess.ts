/** Pure parts of the health check: which URL to check, which files to sample, and the table. */
import { randomInt } from 'node:crypto';
import type { Mirror } from '../core/config.ts';
import type { MirrorHealth } from '../core/health.ts';
import type { ManifestFile } from '../sealed/index.ts';

/** The base URL (ending in "/") readers use for this mirror, or why it cannot be checked. */
export function mirrorBaseUrl(mirror: Mirror, cid: string | undefined): { url: string } | { unknown: string } {
  let url: string | undefined = mirror.url;
  if (mirror.type === 'ipfs' && mirror.gateway) {
    if (!cid) return { unknown: 'no CID published yet (run `newsmirror publish`)' };
    url = `${mirror.gateway.replace(/\/+$/, '')}/ipfs/${cid}/`;
  }
  if (mirror.type === 'onion' && !url && mirror.hostname) url = `http://${mirror.hostname}/`;
  if (!url) return { unknown: mirror.type === 'ipfs' ? 'no "gateway" (or "url") in its mirror file' : 'no public "url" in its mirror file' };
  return { url: url.endsWith('/') ? url : `${url}/` };
}

/** index.html (when listed) plus `count` files drawn at random, so a mirror cannot guess which files are looked at. */
export function sampleFiles(files: ManifestFile[], count: number, pick: (n: number) => number = randomInt): ManifestFile[] {
  const chosen = new Map<string, ManifestFile>();
  const index = files.find((f) => f.path === 'index.html');
  if (index) chosen.set(index.path, index);
  const pool = files.filter((f) => f.path !== 'index.html');
  for (let left = Math.min(count, pool.length); left > 0; left--) {
    const [file] = pool.splice(pick(pool.length), 1);
    if (file) chosen.set(file.path, file);
  }
  return [...chosen.values()];
}

/** Terminal table: name, kind, status, version, URL, detail. */
export function formatHealth(health: MirrorHealth[]): string {
  const rows = [['MIRROR', 'KIND', 'STATUS', 'VERSION', 'URL', 'DETAIL'], ...health.map((h) => [h.name, h.kind, h.status, h.version === undefined ? '-' : String(h.version), h.url || '-', h.detail ?? ''])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (i === 5 ? 0 : (r[i] ?? '').length))));
  return rows.map((r) => r.map((cell, i) => (i === 5 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}
