/**
 * `SHA256SUMS` and `SHA256SUMS.sig` at the site root: the route for readers with
 * only standard tools. In the folder of a copy (served and downloaded, or the
 * unzipped bundle's site/):
 *   openssl pkeyutl -verify -pubin -inkey publickey.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig
 *   sha256sum -c SHA256SUMS
 * The format itself is in sealed/sums.ts (apply makes SHA256SUMS from a delta's manifest).
 */
import type { KeyObject } from 'node:crypto';
import { formatSums, signBytes } from '../sealed/index.ts';

/** SHA256SUMS and its signature: the raw 64-byte Ed25519 signature over the file's exact bytes, as manifest.sig is over manifest.json. */
export function signedSums(files: readonly { path: string; sha256: string }[], key: KeyObject): { sums: Buffer; signature: Buffer } {
  const sums = formatSums(files);
  return { sums, signature: signBytes(sums, key) };
}
