/**
 * The bytes of `SHA256SUMS` (the route for readers with only standard tools), a
 * function of the signed manifest's entries alone: seal writes it, and `apply`
 * makes it again from a delta's new manifest instead of carrying it (at 100,000
 * articles it is 23 MB, 8.8 MB deflated, in every delta).
 * The list names every file of the site except itself, its signature and the
 * manifest pair (which covers SHA256SUMS in turn: a file cannot list its own hash).
 */
import { sortByPath } from './walk.ts';

export const SUMS_FILE = 'SHA256SUMS';
export const SUMS_SIG_FILE = 'SHA256SUMS.sig';
/** The two files SHA256SUMS cannot list. */
export const SUMS_FILES = new Set([SUMS_FILE, SUMS_SIG_FILE]);

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
  const sorted = sortByPath(files.filter((f) => !SUMS_FILES.has(f.path)), (f) => f.path);
  return Buffer.from(sorted.map((f) => sumsLine(f.path, f.sha256)).join(''), 'utf8');
}
