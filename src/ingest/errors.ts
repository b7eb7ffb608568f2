/** Typed errors of the ingest stage: one stable code per way a feed or page can fail. */
import { NewsmirrorError } from '../core/errors.ts';

export type IngestErrorCode =
  | 'ERR_BAD_URL'
  | 'ERR_PRIVATE_ADDRESS'
  | 'ERR_NETWORK'
  | 'ERR_TIMEOUT'
  | 'ERR_TOO_LARGE'
  | 'ERR_DECOMPRESSED_TOO_LARGE'
  | 'ERR_BAD_ENCODING'
  | 'ERR_TOO_MANY_REDIRECTS'
  | 'ERR_HTTP_STATUS'
  | 'ERR_RATE_LIMITED'
  | 'ERR_NOT_A_FEED'
  | 'ERR_CHALLENGE'
  | 'ERR_BAD_FEED'
  | 'ERR_UNSAFE_XML'
  | 'ERR_UNSUPPORTED_FORMAT'
  | 'ERR_FULLTEXT'
  | 'ERR_IMAGE'
  | 'ERR_BAD_ITEM'
  | 'ERR_ABORTED';

/** A feed or article page could not be fetched or understood; names the URL. */
export class IngestError extends NewsmirrorError {
  readonly url: string;
  /** For ERR_RATE_LIMITED: the server asked us not to come back before this time. */
  readonly retryAfter?: Date;
  /** For ERR_HTTP_STATUS: the status code. */
  readonly status?: number;

  constructor(code: IngestErrorCode, url: string, message: string, options: { cause?: unknown; retryAfter?: Date; status?: number } = {}) {
    super(code, message, { cause: options.cause });
    this.url = url;
    if (options.retryAfter) this.retryAfter = options.retryAfter;
    if (options.status !== undefined) this.status = options.status;
  }
}
