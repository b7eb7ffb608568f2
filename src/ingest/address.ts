/**
 * Where an untrusted URL may lead. A feed's item links are written by whoever controls
 * the feed; fetching them for full text must not reach this machine or its network
 * (loopback, private ranges, link-local cloud metadata at 169.254.169.254, ...).
 * The check runs in the socket's own DNS lookup, so a name that re-resolves between
 * check and connect (DNS rebinding) is caught too.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { Outlet } from '../core/config.ts';

const nonPublic = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) nonPublic.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) nonPublic.addSubnet(net, bits, 'ipv6');

/** Whether an IP address is on the public internet (IPv4-mapped IPv6 judged as IPv4). */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  const family = isIP(address);
  if (family === 0) return false;
  return !nonPublic.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The host of a URL as an IP literal (brackets removed), or undefined for a name. */
export function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return isIP(bare) ? bare : undefined;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that fails with EADDRNOTPUBLIC when a name resolves to any non-public address. */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (blocked) {
      const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${blocked.address}, which is not a public address`);
      refused.code = 'EADDRNOTPUBLIC';
      return callback(refused, []);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

/**
 * Whether `url` is on a host outlets.yaml names for the outlet (homepage, feeds, sitemaps): the
 * operator vouches for those. Any other host (an item link, a sitemap entry, an image) must be public.
 */
export function onTrustedHost(outlet: Pick<Outlet, 'homepage' | 'feeds' | 'sitemaps'>, url: string): boolean {
  const host = new URL(url).hostname;
  return [outlet.homepage, ...outlet.feeds, ...(outlet.sitemaps ?? [])].some((u) => new URL(u).hostname === host);
}
