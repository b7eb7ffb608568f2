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
  /** Someone else's copy (`type: external`): listed on the mirrors page, never among the chosen copies. */
  external?: true;
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
    if (mirror.type === 'external') entry.external = true;
    entries.push(entry);
  }
  return entries;
}

/** An IPv4 address in a range no reader elsewhere can reach: this host, private networks (RFC 1918), link-local, carrier-grade NAT. */
function isPrivateIPv4(host: string): boolean {
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (!m) return false;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a === 0 || a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

/**
 * Whether a URL is no use to a reader elsewhere: loopback (localhost, 127.0.0.0/8, ::1), a
 * private or link-local network, a local-only name (.local, .internal, .lan, .home.arpa), or
 * not a URL at all. Such addresses never appear on a page or in mirrorSites.json.
 */
export function isPrivateUrl(url: string): boolean {
  const host = hostOf(url).replace(/^\[|\]$/g, '').toLowerCase();
  if (!host) return true;
  if (host === 'localhost' || /\.(localhost|local|internal|lan|home\.arpa)$/.test(host)) return true;
  if (host.includes(':')) return host === '::1' || host === '::' || /^(f[cd]|fe[89ab])/.test(host) || host.startsWith('::ffff:');
  return isPrivateIPv4(host);
}

/** Mirrors worth offering a reader, best first: never down or tampered ones, never a loopback or private address. */
export function usableMirrors(entries: readonly MirrorEntry[]): MirrorEntry[] {
  return entries.filter((e) => RANK[e.status] < RANK.down && !isPrivateUrl(e.url)).sort((a, b) => RANK[a.status] - RANK[b.status]);
}

/** How a reader reaches a mirror: a web address, an IPFS gateway, a Tor onion service. */
export type Reach = 'web' | 'ipfs' | 'onion';

export function reachOf(entry: Pick<MirrorEntry, 'kind' | 'url'>): Reach {
  const host = hostOf(entry.url);
  if (host.endsWith('.onion')) return 'onion';
  if (entry.kind === 'ipfs' || ipfsCid(entry.url)) return 'ipfs';
  return 'web';
}

/** The CID in a gateway URL (path /ipfs/<cid>/ or subdomain <cid>.ipfs.<host>), or "" when there is none. */
export function ipfsCid(url: string): string {
  const path = /\/ipfs\/([A-Za-z0-9]{10,})(?:[/?#]|$)/.exec(url);
  if (path) return path[1]!;
  const sub = /^([a-z0-9]{10,})\.ipfs\./.exec(hostOf(url));
  return sub ? sub[1]! : '';
}

/** Copies a reader can be pointed at on a page: any status but tampered, never a private address; registry order. */
export function listedCopies(entries: readonly MirrorEntry[]): MirrorEntry[] {
  return entries.filter((e) => e.status !== 'tampered' && !isPrivateUrl(e.url));
}

/** Copies offered on every article and in every footer. */
export const CHOSEN_COPIES = 3;

/**
 * The 2–3 copies named at the top of every article and in every footer: our own mirrors
 * (not someone else's external copy, never a tampered one or a private address), in registry
 * order, one of them on IPFS or Tor when there is one. Health never changes the choice, only
 * the mirror list does (and a copy found tampered): whether a copy answers lives on the
 * mirrors page alone, so a health check re-renders a few pages, not every article.
 */
export function chosenCopies(entries: readonly MirrorEntry[], max = CHOSEN_COPIES): MirrorEntry[] {
  const answered = entries.filter((e) => !e.external && e.status !== 'tampered' && !isPrivateUrl(e.url));
  const special = answered.find((e) => reachOf(e) !== 'web');
  const chosen = answered.slice(0, max);
  if (special && !chosen.includes(special)) chosen[chosen.length - 1] = special;
  return answered.filter((e) => chosen.includes(e));
}

/** A short label for a copy's link: its host and path without the scheme ("cdn.example", "gw.example/ipfs/bafy…"). */
export function copyLabel(entry: Pick<MirrorEntry, 'kind' | 'url'>): string {
  const cid = ipfsCid(entry.url);
  const bare = entry.url.replace(/^[a-z]+:\/\//i, '').replace(/\/$/, '');
  if (cid) return `${hostOf(entry.url).replace(`${cid}.`, '')} (IPFS)`;
  if (reachOf(entry) === 'onion') return `${bare.slice(0, 12)}….onion (Tor)`;
  return bare;
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
