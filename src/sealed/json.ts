/** JSON of the sealed formats (manifest, release record, delta header): bytes in, or one typed error. */
import { NewsmirrorError } from '../core/errors.ts';

/** Parse UTF-8 JSON bytes; bytes that are not JSON throw a NewsmirrorError with `code` and `message` (the parse error as cause). */
export function parseJsonBytes(bytes: Uint8Array, code: string, message: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new NewsmirrorError(code, message, { cause: error });
  }
}
