/**
 * The rebuild trigger's request check, as pure functions: body shape, HMAC
 * signature (timing-safe, with a dummy secret for unknown outlets so timing
 * and answer never reveal which outlet ids exist) and timestamp window.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-newsmirror-signature';

export interface TriggerBody {
  outlet: string;
  /** Unix seconds when the request was signed. */
  timestamp: number;
}

export interface VerifyOptions {
  /** The raw request body, exactly as received. */
  body: Uint8Array;
  /** The X-Newsmirror-Signature header value, if any. */
  signature: string | undefined;
  /** The outlet's trigger secret, or undefined for an unknown outlet. */
  secretFor: (outlet: string) => string | undefined;
  /** Now, in unix seconds. */
  now: number;
  /** Oldest accepted timestamp, seconds before now (default 300). */
  maxAgeSeconds?: number;
  /** Latest accepted timestamp, seconds after now (default 60). */
  maxFutureSeconds?: number;
}

/** Why a request was refused: `status` and `error` go to the client, `reason` to the log only. */
export interface Rejection {
  ok: false;
  status: number;
  error: string;
  reason: string;
}

/** `signature` is the header in canonical form (lowercase hex): the key for replay checks. */
export type Verdict = { ok: true; outlet: string; timestamp: number; signature: string } | Rejection;

/** Secret used for outlets without one, so an unknown id costs the same HMAC as a known one. */
const DUMMY_SECRET = randomBytes(32).toString('hex');

/** `sha256=<hex HMAC-SHA256 of body>`: the header value a sender puts on the request. */
export function signBody(body: Uint8Array | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Parse the body: `{"outlet": "<id>", "timestamp": <unix seconds>}`, nothing else required. */
export function parseTriggerBody(body: Uint8Array): TriggerBody | string {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return 'body is not JSON';
  }
  const v = value as Partial<TriggerBody> | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'body is not a JSON object';
  if (typeof v.outlet !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(v.outlet)) return 'body.outlet must be an outlet id';
  if (typeof v.timestamp !== 'number' || !Number.isInteger(v.timestamp)) return 'body.timestamp must be unix seconds (an integer)';
  return { outlet: v.outlet, timestamp: v.timestamp };
}

/** Timing-safe comparison of a `sha256=<hex>` header against the expected one. */
export function signatureMatches(header: string, expected: string): boolean {
  const a = Buffer.from(header, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // timingSafeEqual needs equal lengths; compare against itself to spend the same time.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

const reject = (status: number, error: string, reason: string): Rejection => ({ ok: false, status, error, reason });

/** Check one trigger request. Unknown outlet and wrong signature give the same answer. */
export function verifyTrigger(options: VerifyOptions): Verdict {
  const { body, signature, secretFor, now, maxAgeSeconds = 300, maxFutureSeconds = 60 } = options;
  if (!signature) return reject(401, 'missing signature', `no ${SIGNATURE_HEADER} header`);
  // Hex is hex in either case (some HMAC libraries print uppercase); compared, and remembered, in lowercase.
  const hex = /^sha256=([0-9a-fA-F]{64})$/.exec(signature)?.[1];
  if (!hex) return reject(401, 'invalid signature', 'signature header is not sha256=<64 hex>');
  const canonical = `sha256=${hex.toLowerCase()}`;
  const parsed = parseTriggerBody(body);
  if (typeof parsed === 'string') return reject(400, 'bad request body', parsed);
  const secret = secretFor(parsed.outlet);
  const matches = signatureMatches(canonical, signBody(body, secret ?? DUMMY_SECRET));
  if (secret === undefined) return reject(401, 'invalid signature', `unknown outlet "${parsed.outlet}" (no trigger secret)`);
  if (!matches) return reject(401, 'invalid signature', `signature does not match outlet "${parsed.outlet}"'s secret`);
  const age = now - parsed.timestamp;
  if (age > maxAgeSeconds) return reject(401, 'timestamp outside the allowed window', `timestamp ${parsed.timestamp} is ${age} s old (replay?)`);
  if (-age > maxFutureSeconds) return reject(401, 'timestamp outside the allowed window', `timestamp ${parsed.timestamp} is ${-age} s in the future`);
  return { ok: true, outlet: parsed.outlet, timestamp: parsed.timestamp, signature: canonical };
}
