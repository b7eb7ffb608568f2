/** The mirror list every build carries: registry (mirrors/*.yaml) + last health check → page, footer, /mirrors.json, /mirrorSites.json. */
import { mirrorKind, type Mirror, type Outlet } from '../core/config.ts';
import type { MirrorHealth, MirrorStatus } from '../core/health.ts';
import { hostOf } from './filters.ts';

/** One address readers can open. */
export interface MirrorEntry {
  name: string;
  kind: string;
  url: string;
  status: MirrorStatus;
  /** Last check, ISO UTC, or null when never checked. */
  checked: string | null;
  version?: number;
}

const RANK: Record<MirrorStatus, number> = { fresh: 0, unknown: 1, stale: 2, down: 3, tampered: 4 };

function configUrl(mirror: Mirror): string | undefined {
  if (mirror.url) return mirror.url;
  if (mirror.type === 'onion' && mirror.hostname) return `http://${mirror.hostname}/`;
  return undefined;
}

/**
 * Enabled mirrors that have a URL; a health entry's url overrides the config's (e.g. a gateway URL with the last CID).
 * An external copy (someone else's) is listed only while its last check found it fresh or stale.
 */
export function mirrorEntries(mirrors: readonly Mirror[], health: readonly MirrorHealth[]): MirrorEntry[] {
  const byName = new Map(health.map((h) => [h.name, h]));
  const entries: MirrorEntry[] = [];
  for (const mirror of mirrors) {
    if (!mirror.enabled) continue;
    const h = byName.get(mirror.name);
    const url = h?.url || configUrl(mirror);
    if (!url) continue;
    if (mirror.type === 'external' && h?.status !== 'fresh' && h?.status !== 'stale') continue;
    const entry: MirrorEntry = { name: mirror.name, kind: mirrorKind(mirror), url, status: h?.status ?? 'unknown', checked: h?.checked ?? null };
    if (h?.version !== undefined) entry.version = h.version;
    entries.push(entry);
  }
  return entries;
}

/** Whether a URL points at the machine that opens it (localhost, 127.0.0.0/8, ::1): no use to a reader elsewhere. */
function isLoopbackUrl(url: string): boolean {
  const host = hostOf(url).replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1';
}

/** Mirrors worth offering a reader, best first: never down or tampered ones, never a loopback address. */
export function usableMirrors(entries: readonly MirrorEntry[]): MirrorEntry[] {
  return entries.filter((e) => RANK[e.status] < RANK.down && !isLoopbackUrl(e.url)).sort((a, b) => RANK[a.status] - RANK[b.status]);
}

/** /mirrors.json: our own list. */
export function mirrorsJson(entries: readonly MirrorEntry[]): string {
  const mirrors = entries.map((e) => ({ name: e.name, url: e.url, kind: e.kind, status: e.status, checked: e.checked, ...(e.version === undefined ? {} : { version: e.version }) }));
  return `${JSON.stringify({ mirrors }, null, 2)}\n`;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * /mirrorSites.json in the Bypass Censorship v2 format: one site per outlet (its
 * domain, as the extension looks it up), the alternatives being this mirror's
 * copies of that outlet's page.
 */
export function mirrorSitesJson(entries: readonly MirrorEntry[], outlets: readonly Outlet[], built: string): string {
  const usable = usableMirrors(entries);
  const sites = outlets
    .filter((o) => hostOf(o.homepage))
    .map((outlet) => ({
      main_domain: hostOf(outlet.homepage),
      available_alternatives: usable.map((m) => {
        const onion = /\.onion(:\d+)?\//.test(withSlash(m.url));
        return {
          proto: onion ? 'tor' : m.url.startsWith('https:') ? 'https' : 'http',
          type: onion ? 'tor' : m.kind === 'ipfs' ? 'ipfs' : 'mirror',
          url: `${withSlash(m.url)}${outlet.id}/index.html`,
          created_at: m.checked ?? built,
          updated_at: m.checked ?? built,
        };
      }),
    }));
  return `${JSON.stringify({ version: '2.0', sites }, null, 2)}\n`;
}
