import { describe, expect, it } from 'vitest';
import { createReporter } from '../../src/core/log.ts';

describe('createReporter', () => {
  it('hostile text (ESC sequences, CR, BEL from a feed or server error) is printed as \\xNN, never as terminal control', () => {
    const written: string[] = [];
    const stream = { isTTY: false, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    const reporter = createReporter({ stream });
    reporter.warn('steppe-herald: HTTP 500 \x1b[2J\x1b]0;pwned\x07 fake\rok\tnext\nline two\x9b');
    reporter.info('plain: Қазақша, русский, emoji 🎉');
    expect(written).toEqual([
      'warning: steppe-herald: HTTP 500 \\x1b[2J\\x1b]0;pwned\\x07 fake\\x0dok\tnext\nline two\\x9b\n',
      'plain: Қазақша, русский, emoji 🎉\n',
    ]);
  });
});
