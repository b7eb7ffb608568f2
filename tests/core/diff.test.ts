// unifiedDiff against GNU diff -u (the format `outlets check --fix` prints).
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/core/diff.ts';

function gnuDiff(dir: string): string {
  try {
    execFileSync('diff', ['-u', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
    return '';
  } catch (error) {
    // diff exits 1 when the files differ; drop its two header lines (paths and times).
    return (error as { stdout: string }).stdout.split('\n').slice(2).join('\n');
  }
}

describe('unifiedDiff', () => {
  it('prints the same hunks as diff -u: replaced, removed and added lines, near and far apart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'newsmirror-diff-'));
    try {
      const a = `${Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n')}\n`;
      const cases = [
        a.replace('line 3\n', 'line three\n').replace('line 20\n', '').replace('line 25\n', 'line 25\nnew\n'),
        a.replace('line 0\n', '').replace('line 39\n', 'last\n'),
        a.replace('line 10\nline 11\n', 'ten\neleven\ntwelve?\n'),
      ];
      for (const b of cases) {
        await writeFile(join(dir, 'a'), a);
        await writeFile(join(dir, 'b'), b);
        expect(unifiedDiff(a, b, 'outlets.yaml')).toBe(`--- outlets.yaml\n+++ outlets.yaml\n${gnuDiff(dir)}`);
      }
      expect(unifiedDiff(a, a, 'x')).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
