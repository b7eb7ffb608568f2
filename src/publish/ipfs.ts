/**
 * `ipfs` target: import dist/site.car into a Kubo node (RPC `POST
 * /api/v0/dag/import`, roots pinned) and/or pin the root CID through an IPFS
 * Pinning Service API endpoint (`POST /pins`, replacing this mirror's previous
 * pin, then polling `GET /pins/{requestid}` until pinned or failed). Prints the
 * DNSLink TXT value for the operator.
 */
import { openAsBlob } from 'node:fs';
import type { Mirror } from '../core/config.ts';
import { sleep } from '../core/sleep.ts';
import { PublishError, secretFromEnv, type Target, type TargetContext, type TargetOutcome } from './types.ts';

type IpfsMirror = Extract<Mirror, { type: 'ipfs' }>;

interface PinStatus {
  requestid: string;
  status: 'queued' | 'pinning' | 'pinned' | 'failed';
  pin: { cid: string; name?: string };
  info?: Record<string, string>;
}

/** The TXT record value that points a DNSLink name at the build. */
export function dnslinkValue(cid: string): string {
  return `dnslink=/ipfs/${cid}`;
}

/** `<gateway>/ipfs/<cid>/`: where readers open this build through a gateway. */
export function gatewayUrl(gateway: string, cid: string): string {
  return `${gateway.replace(/\/+$/, '')}/ipfs/${cid}/`;
}

async function httpFailure(response: Response, what: string, mirror: IpfsMirror): Promise<PublishError> {
  const text = (await response.text().catch(() => '')).slice(0, 300);
  let reason = text;
  try {
    const body = JSON.parse(text) as { Message?: string; error?: { reason?: string; details?: string } };
    reason = body.Message || [body.error?.reason, body.error?.details].filter(Boolean).join(': ') || text;
  } catch {
    // Not JSON: keep the text.
  }
  const auth = response.status === 401 || response.status === 403;
  return new PublishError('ERR_IPFS', `mirror "${mirror.name}": ${what} answered HTTP ${response.status}${reason ? `: ${reason}` : ''}${auth ? ' (check the token named by the mirror file)' : ''}`, {
    retryable: response.status >= 500 || response.status === 429 || response.status === 408,
  });
}

async function request(url: string, init: RequestInit, what: string, mirror: IpfsMirror): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason;
    throw new PublishError('ERR_IPFS', `mirror "${mirror.name}": ${what} (${url}) could not be reached: ${(error as Error).message}${(error as { cause?: Error }).cause ? `: ${(error as { cause: Error }).cause.message}` : ''}`, { cause: error });
  }
  if (!response.ok) throw await httpFailure(response, `${what} (${url})`, mirror);
  return response;
}

/** POST the CAR to Kubo's dag/import and check the node reports our root, pinned. */
async function importCar(ctx: TargetContext<IpfsMirror>, api: string, car: string, cid: string): Promise<number> {
  const { mirror } = ctx;
  const blob = await openAsBlob(car);
  const form = new FormData();
  form.append('file', blob, 'site.car');
  const headers: Record<string, string> = {};
  if (mirror.apiTokenEnv) headers.authorization = `Bearer ${secretFromEnv(ctx.env, mirror.apiTokenEnv, mirror, 'apiTokenEnv')}`;
  const url = `${api.replace(/\/+$/, '')}/api/v0/dag/import?pin-roots=true&stats=true`;
  const response = await request(url, { method: 'POST', body: form, headers, signal: ctx.signal }, 'Kubo dag/import', mirror);
  // One JSON object a line: {"Root":{"Cid":{"/":"…"},"PinErrorMsg":""}} then {"Stats":{…}}.
  const lines = (await response.text()).split('\n').filter((l) => l.trim());
  const roots = lines.map((l) => (JSON.parse(l) as { Root?: { Cid: { '/': string }; PinErrorMsg?: string } }).Root).filter((r) => r !== undefined);
  const root = roots.find((r) => r.Cid['/'] === cid);
  if (!root) throw new PublishError('ERR_IPFS', `mirror "${mirror.name}": Kubo imported the CAR but did not report root ${cid} (got ${roots.map((r) => r.Cid['/']).join(', ') || 'none'}); is dist/site.car from this build?`, { retryable: false });
  if (root.PinErrorMsg) throw new PublishError('ERR_IPFS', `mirror "${mirror.name}": Kubo could not pin ${cid}: ${root.PinErrorMsg}`);
  return blob.size;
}

/** Ask the pinning service to pin `cid` (replacing our previous pin), then wait until pinned or failed. */
async function pin(ctx: TargetContext<IpfsMirror>, endpoint: string, tokenEnv: string, cid: string): Promise<PinStatus> {
  const { mirror } = ctx;
  const base = endpoint.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${secretFromEnv(ctx.env, tokenEnv, mirror, 'pinning.tokenEnv')}`, 'content-type': 'application/json', accept: 'application/json' };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await request(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: ctx.signal }, `pinning service ${method} ${path.split('?')[0]}`, mirror);
    return response.json() as Promise<unknown>;
  };
  const existing = (await call('GET', `/pins?cid=${encodeURIComponent(cid)}&status=queued,pinning,pinned`)) as { results?: PinStatus[] };
  let status = existing.results?.find((r) => r.pin.cid === cid);
  const body = { cid, name: `newsmirror-${mirror.name}-${ctx.build.manifest.version}`, meta: { app: 'newsmirror', version: String(ctx.build.manifest.version) } };
  if (!status && ctx.previous?.requestid && ctx.previous.cid !== cid) {
    status = (await call('POST', `/pins/${encodeURIComponent(ctx.previous.requestid)}`, body).catch((error: unknown) => {
      if ((error as Error).message.includes('HTTP 404')) return undefined;
      throw error;
    })) as PinStatus | undefined;
  }
  status ??= (await call('POST', '/pins', body)) as PinStatus;
  for (let delay = 250; status.status === 'queued' || status.status === 'pinning'; delay = Math.min(delay * 2, 5_000)) {
    ctx.reporter.progress(`${mirror.name}: pin ${status.status}`);
    await sleep(delay, ctx.signal);
    status = (await call('GET', `/pins/${encodeURIComponent(status.requestid)}`)) as PinStatus;
  }
  if (status.status !== 'pinned') {
    throw new PublishError('ERR_IPFS', `mirror "${mirror.name}": the pinning service reports ${cid} as ${status.status}${status.info ? ` (${Object.values(status.info).join('; ')})` : ''}`);
  }
  return status;
}

export const ipfsTarget: Target<IpfsMirror> = {
  type: 'ipfs',
  async publish(ctx: TargetContext<IpfsMirror>): Promise<TargetOutcome> {
    const { mirror, build } = ctx;
    const cid = build.cid;
    if (!cid) throw new PublishError('ERR_NO_BUILD', `mirror "${mirror.name}": dist/cid.txt is missing; run \`newsmirror seal\` first`, { retryable: false });
    if (!mirror.api && !mirror.pinning) throw new PublishError('ERR_CONFIG', `mirror "${mirror.name}": set "api" (a Kubo RPC URL) and/or "pinning" (endpoint + tokenEnv)`, { retryable: false });
    if (mirror.api && !build.car) throw new PublishError('ERR_NO_BUILD', `mirror "${mirror.name}": dist/site.car is missing; run \`newsmirror seal\` first`, { retryable: false });
    const url = mirror.gateway ? gatewayUrl(mirror.gateway, cid) : mirror.url;
    const txt = dnslinkValue(cid);
    const dns = mirror.dnslink ? `_dnslink.${mirror.dnslink} TXT "${txt}"` : `TXT "${txt}"`;
    const steps = [mirror.api ? `import dist/site.car into ${mirror.api}` : '', mirror.pinning ? `pin ${cid} at ${mirror.pinning.endpoint}` : ''].filter(Boolean).join(' and ');
    if (ctx.dryRun) return { files: mirror.api ? 1 : 0, bytes: 0, url, detail: `would ${steps}; DNSLink ${dns}` };
    let bytes = 0;
    if (mirror.api && build.car) bytes = await importCar(ctx, mirror.api, build.car, cid);
    let requestid: string | undefined;
    if (mirror.pinning) requestid = (await pin(ctx, mirror.pinning.endpoint, mirror.pinning.tokenEnv, cid)).requestid;
    ctx.reporter.info(`${mirror.name}: DNSLink ${dns}`);
    return { files: mirror.api ? 1 : 0, bytes, url, detail: `${steps.replace(/^import/, 'imported').replace(' pin ', ' pinned ').replace(/^pin /, 'pinned ')}; DNSLink ${dns}`, state: { cid, requestid, url } };
  },
};
