/**
 * DDoS-protection challenge pages: what Cloudflare, DDoS-Guard, Qrator, StormWall, Variti and
 * similar services answer instead of the feed when they want a browser to run JavaScript or
 * solve a captcha. Recognised by the service's headers and page markers, on the statuses they
 * use (403, 503, 429, 401, and 200 for an HTML page where a feed was asked for), so the
 * operator is told the site is behind a challenge instead of "HTTP 403" or "not a feed".
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Statuses whose body is read (capped) to look for a challenge. */
export const CHALLENGE_STATUSES = new Set([200, 401, 403, 429, 503]);

/** Bytes of a non-200 answer kept to look for markers. */
export const CHALLENGE_BODY_MAX = 256 * 1024;

interface Service {
  name: string;
  /** A response header that alone proves a challenge (Cloudflare's cf-mitigated). */
  header?: (headers: IncomingHttpHeaders) => boolean;
  /** The `server` header of the service: with an HTML error page (401/403/429/503) it is the service's block page. */
  server?: RegExp;
  /** Markup only a challenge page carries: enough on any status, 200 included. */
  strong: RegExp;
  /** Markup the service also puts in ordinary pages (scripts, footers): enough only on an error status. */
  weak?: RegExp;
}

const SERVICES: Service[] = [
  {
    name: 'Cloudflare',
    header: (h) => String(h['cf-mitigated'] ?? '').toLowerCase() === 'challenge',
    server: /cloudflare/i,
    strong: /cf-browser-verification|cf_chl_opt|__cf_chl_|<title>\s*(Just a moment\.\.\.|Attention Required! \| Cloudflare)/i,
    weak: /challenge-platform|cloudflare/i,
  },
  { name: 'DDoS-Guard', server: /ddos-guard/i, strong: /check\.ddos-guard\.net|<title>\s*DDoS-Guard\s*<\/title>|ddos-guard\/js-challenge/i, weak: /ddos-guard|__ddg[0-9_]/i },
  { name: 'Qrator', server: /qrator/i, strong: /__qrator|qrator[^"'<>]*challenge/i, weak: /qrator/i },
  { name: 'StormWall', server: /stormwall/i, strong: /stormwall[^"'<>]*(challenge|captcha)/i, weak: /stormwall/i },
  { name: 'Variti', server: /variti/i, strong: /variti[^"'<>]*(challenge|captcha)/i, weak: /variti/i },
  { name: 'ServicePipe', server: /servicepipe/i, strong: /servicepipe[^"'<>]*(challenge|captcha)/i, weak: /servicepipe/i },
  { name: 'Sucuri', server: /sucuri/i, strong: /sucuri website firewall|sucuri_cloudproxy_js/i, weak: /sucuri/i },
  // Any other service: the words such pages say.
  {
    name: 'a DDoS-protection service',
    strong: /checking your browser before accessing|ddos protection by|please enable (javascript and )?cookies to continue|please turn javascript on and reload the page|проверка (вашего )?браузера|enable javascript to continue/i,
  },
];

const HTML_START = /^\s*(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html|head|body|script|meta|title)\b/i;

function headerText(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/**
 * The name of the service whose challenge page this answer is, or undefined. A 200 counts only
 * with an HTML page and a challenge's own markup (ordinary pages behind these services carry
 * their scripts and footers too, and a feed that mentions Cloudflare is still a feed).
 */
export function challengeService(status: number, headers: IncomingHttpHeaders, body: Uint8Array): string | undefined {
  if (!CHALLENGE_STATUSES.has(status)) return undefined;
  for (const service of SERVICES) if (service.header?.(headers)) return service.name;
  const type = headerText(headers, 'content-type').toLowerCase();
  // Only an HTML page is looked into (a feed of any size is never decoded twice here).
  if (!type.includes('html') && !HTML_START.test(Buffer.from(body.subarray(0, 4096)).toString('latin1'))) return undefined;
  const head = Buffer.from(body.subarray(0, CHALLENGE_BODY_MAX)).toString('utf8');
  const server = headerText(headers, 'server');
  const strong = SERVICES.find((service) => service.strong.test(head));
  if (strong || status === 200) return strong?.name;
  return SERVICES.find((service) => service.weak?.test(head) || service.server?.test(server))?.name;
}
