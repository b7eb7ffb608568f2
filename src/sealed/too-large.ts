/** The error a reader of a sealed copy throws when a file holds more bytes than the caller allows (a tampered size, a bomb). */
import { NewsmirrorError } from '../core/errors.ts';

export class TooLargeError extends NewsmirrorError {
  constructor(what: string, maxBytes: number) {
    super('ERR_TOO_LARGE', `${what} holds more than ${maxBytes} bytes`);
  }
}
