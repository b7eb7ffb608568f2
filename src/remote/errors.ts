/**
 * Every way reading a remote copy can fail, as one error class with a stable
 * code and the mirror status it means: `down` (the copy cannot be read from
 * there right now) or `tampered` (it answered, with bytes that are not what
 * was signed).
 */
import { NewsmirrorError } from '../core/errors.ts';

/** code → the status a failure means. */
export const REMOTE_CODES = {
  /** Connection refused, no such host, TLS failure, the SOCKS proxy could not connect. */
  ERR_REMOTE_UNREACHABLE: 'down',
  /** No complete answer within the total time, or no byte for the idle time. */
  ERR_REMOTE_TIMEOUT: 'down',
  /** An HTTP status other than 200, 404 and 410. */
  ERR_REMOTE_HTTP: 'down',
  /** Too many redirects, to another host, to a scheme other than http(s), or to something that is not a URL. */
  ERR_REMOTE_REDIRECT: 'down',
  /** HTML (a login page, a block page, a single-page-app fallback) where JSON was expected. */
  ERR_REMOTE_WRONG_TYPE: 'down',
  /** The connection closed before the body was complete (reset, or fewer bytes than Content-Length said). */
  ERR_REMOTE_RESET: 'down',
  /** A Content-Encoding that is not gzip, deflate or br, or compressed bytes that do not decompress. */
  ERR_REMOTE_ENCODING: 'down',
  /** More bytes than the cap for a file with no signed size (manifest.json), decompressed or not. */
  ERR_REMOTE_TOO_LARGE: 'down',
  /** More bytes than the file's signed size (an appended script, an endless body, a gzip bomb). */
  ERR_REMOTE_LONGER: 'tampered',
  /** A complete answer with fewer bytes than the file's signed size. */
  ERR_REMOTE_TRUNCATED: 'tampered',
} as const;

export type RemoteCode = keyof typeof REMOTE_CODES;
export type RemoteStatus = (typeof REMOTE_CODES)[RemoteCode];

export class RemoteError extends NewsmirrorError {
  declare readonly code: RemoteCode;
  /** What the failure says about the copy. */
  readonly status: RemoteStatus;
  /** The URL that failed (after redirects). */
  readonly url: string;

  constructor(code: RemoteCode, url: string, message: string, options?: { cause?: unknown }) {
    super(code, `${url}: ${message}`, options);
    this.status = REMOTE_CODES[code];
    this.url = url;
  }
}
