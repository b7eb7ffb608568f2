/**
 * `SHA256SUMS` and `SHA256SUMS.sig` at the site root: the route for readers with
 * only standard tools. In the folder of a copy (served and downloaded, or the
 * unzipped bundle's site/):
 *   openssl pkeyutl -verify -pubin -inkey publickey.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig
 *   sha256sum -c SHA256SUMS
 * The list names every file of the site except itself, its signature and the
 * manifest pair (which covers SHA256SUMS in turn: a file cannot list its own hash).
 */
import { createHash, type KeyObject } from 'node:crypto';
import { signBytes } from '../sealed/index.ts';
import { comparePaths } from '../sealed/index.ts';

export const SUMS_FILE = 'SHA256SUMS';
export const SUMS_SIG_FILE = 'SHA256SUMS.sig';
/** The two files SHA256SUMS cannot list. */
export const SUMS_FILES = new Set([SUMS_FILE, SUMS_SIG_FILE]);

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * One coreutils line: `<hex>  <path>`. A path holding a backslash or a newline
 * is escaped the way `sha256sum` writes it (a leading backslash on the line,
 * then `\\` and `\n` in the name), so `sha256sum -c` reads every name back.
 */
export function sumsLine(path: string, sha256: string): string {
  if (!/[\\\n]/.test(path)) return `${sha256}  ${path}\n`;
  const escaped = path.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return `\\${sha256}  ${escaped}\n`;
}

/** The bytes of SHA256SUMS: one line a file, sorted by path (UTF-8 byte order), "  " between hash and name (binary and text mode alike). */
export function formatSums(files: readonly { path: string; sha256: string }[]): Buffer {
  const sorted = files.filter((f) => !SUMS_FILES.has(f.path)).sort((a, b) => comparePaths(a.path, b.path));
  return Buffer.from(sorted.map((f) => sumsLine(f.path, f.sha256)).join(''), 'utf8');
}

/** SHA256SUMS and its signature: the raw 64-byte Ed25519 signature over the file's exact bytes, as manifest.sig is over manifest.json. */
export function signedSums(files: readonly { path: string; sha256: string }[], key: KeyObject): { sums: Buffer; signature: Buffer } {
  const sums = formatSums(files);
  return { sums, signature: signBytes(sums, key) };
}
