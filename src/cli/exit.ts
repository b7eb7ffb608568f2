/**
 * Exit codes, one home: 0 ok, 1 failed, 2 bad usage or config, 3 partial
 * (DESIGN.md, CLI contract). Every command maps its results here.
 */
import { ConfigError, NewsmirrorError, UsageError, describeError } from '../core/errors.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2, partial: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Of several parts: ok when none failed, failed when every part tried failed, partial in between. Nothing tried is ok. */
export function partialExit(tried: number, failed: number): ExitCode {
  if (failed === 0) return EXIT.ok;
  return failed >= tried ? EXIT.failed : EXIT.partial;
}

/** The most severe of several exit codes: usage (2), then failed (1), then partial (3), then ok (0). */
export function worstExit(...codes: ExitCode[]): ExitCode {
  const rank: Record<ExitCode, number> = { 0: 0, 3: 1, 1: 2, 2: 3 };
  return codes.reduce<ExitCode>((worst, code) => (rank[code] > rank[worst] ? code : worst), EXIT.ok);
}

/** Codes of errors that mean "the input is wrong, fix it" (exit 2), thrown as plain NewsmirrorErrors by stages. */
const USAGE_CODES = new Set(['ERR_USAGE', 'ERR_CONFIG', 'ERR_NO_MATCH', 'ERR_KEY_MISMATCH', 'ERR_NOT_A_PROJECT']);

/** Exit code, stable code and one-line message of anything a command threw. */
export function failure(error: unknown): { exit: ExitCode; code: string; message: string } {
  if (error instanceof UsageError || error instanceof ConfigError || (error instanceof NewsmirrorError && USAGE_CODES.has(error.code))) {
    return { exit: EXIT.usage, code: (error as NewsmirrorError).code, message: (error as NewsmirrorError).message };
  }
  if (error instanceof NewsmirrorError) return { exit: EXIT.failed, code: error.code, message: describeError(error) };
  return { exit: EXIT.failed, code: 'ERR_UNEXPECTED', message: describeError(error) };
}
