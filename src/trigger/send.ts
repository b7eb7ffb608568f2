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

export async function sendTrigger(options: { url: string; outlet: string; secret: string; now?: Date; signal?: AbortSignal; timeoutMs?: number }): Promise<TriggerResponse> {
  const target = rebuildUrl(options.url);
  const { body, headers } = buildTriggerRequest(options.outlet, options.secret, options.now ?? new Date());
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    // Ctrl-C or the timeout, whichever comes first: a server that accepts and never answers must not hang the sender.
    const timeout = AbortSignal.timeout(timeoutMs);
    const response = await fetch(target, { method: 'POST', body, headers, signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout, redirect: 'error' });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const timedOut = (error as Error).name === 'TimeoutError';
    const what = timedOut ? `${target.href} did not answer within ${timeoutMs / 1000} s` : `could not reach ${target.href}`;
    throw new NewsmirrorError(timedOut ? 'ERR_TIMEOUT' : 'ERR_NETWORK', `${what}; is \`newsmirror serve --trigger\` running there?`, { cause: error });
  }
}
