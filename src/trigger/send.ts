/** The sender's side: sign one rebuild request and POST it (for `newsmirror trigger`). */
import { NewsmirrorError } from '../core/errors.ts';
import { REBUILD_PATH } from './handler.ts';
import { signBody } from './signature.ts';

export interface TriggerResponse {
  status: number;
  body: string;
}

/** The body and headers of a signed trigger for `outlet` at `now`. */
export function buildTriggerRequest(outlet: string, secret: string, now: Date): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ outlet, timestamp: Math.floor(now.getTime() / 1000) });
  return { body, headers: { 'content-type': 'application/json', 'x-newsmirror-signature': signBody(body, secret) } };
}

/** `url` may be the server's base URL or the full /-/rebuild URL. */
export function rebuildUrl(url: string): URL {
  const parsed = new URL(url);
  if (!parsed.pathname.endsWith(REBUILD_PATH)) parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}${REBUILD_PATH}`;
  return parsed;
}

export async function sendTrigger(options: { url: string; outlet: string; secret: string; now?: Date; signal?: AbortSignal }): Promise<TriggerResponse> {
  const target = rebuildUrl(options.url);
  const { body, headers } = buildTriggerRequest(options.outlet, options.secret, options.now ?? new Date());
  let response: Response;
  try {
    response = await fetch(target, { method: 'POST', body, headers, signal: options.signal ?? AbortSignal.timeout(30_000), redirect: 'error' });
  } catch (error) {
    throw new NewsmirrorError('ERR_NETWORK', `could not reach ${target.href}; is \`newsmirror serve --trigger\` running there?`, { cause: error });
  }
  return { status: response.status, body: await response.text() };
}
