/** Results → exit code, one home (was four copies: ingest, publish, check, run). */
import { describe, expect, it } from 'vitest';
import { checkExitCode } from '../../src/cli/commands/check.ts';
import { EXIT, failure, partialExit, worstExit } from '../../src/cli/exit.ts';
import { ConfigError, NewsmirrorError, UsageError } from '../../src/core/errors.ts';

describe('exit codes', () => {
  it('partialExit: none failed 0, all tried failed 1, some 3, nothing tried 0', () => {
    expect([partialExit(0, 0), partialExit(3, 0), partialExit(3, 3), partialExit(3, 1), partialExit(1, 1)]).toEqual([0, 0, 1, 3, 1]);
  });

  it('worstExit: usage over failed over partial over ok', () => {
    expect([worstExit(), worstExit(0, 3), worstExit(3, 1, 0), worstExit(1, 2), worstExit(0, 0)]).toEqual([0, 3, 1, 2, 0]);
  });

  it('check: tampered 1 over down 3; stale and fresh are 0', () => {
    const h = (status: string) => ({ status }) as Parameters<typeof checkExitCode>[0][number];
    expect([checkExitCode([h('fresh'), h('stale')]), checkExitCode([h('down'), h('fresh')]), checkExitCode([h('down'), h('tampered')]), checkExitCode([])]).toEqual([0, 3, 1, 0]);
  });

  it('failure: usage, config and bad-input codes are 2; our other errors 1 with causes; anything else ERR_UNEXPECTED', () => {
    expect(failure(new UsageError('bad flag'))).toEqual({ exit: EXIT.usage, code: 'ERR_USAGE', message: 'bad flag' });
    expect(failure(new ConfigError('bad yaml'))).toEqual({ exit: 2, code: 'ERR_CONFIG', message: 'bad yaml' });
    for (const code of ['ERR_NO_MATCH', 'ERR_KEY_MISMATCH', 'ERR_NOT_A_PROJECT']) expect(failure(new NewsmirrorError(code, 'x')).exit).toBe(2);
    expect(failure(new NewsmirrorError('ERR_FETCH', 'mirror down', { cause: new Error('ECONNRESET') }))).toEqual({ exit: 1, code: 'ERR_FETCH', message: 'mirror down: ECONNRESET' });
    expect(failure(new TypeError('oops'))).toEqual({ exit: 1, code: 'ERR_UNEXPECTED', message: 'oops' });
  });
});
