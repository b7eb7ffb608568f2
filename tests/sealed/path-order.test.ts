/** The order of paths in manifests, SHA256SUMS and folders: UTF-8 byte order (Kubo's), also for characters beyond U+FFFF. */
import { describe, expect, it } from 'vitest';
import { comparePaths, sortByPath } from '../../src/sealed/index.ts';

const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('path order', () => {
  // U+FF01 sorts after U+1F600 in UTF-16 units (0xFF01 > 0xD83D) but before it in UTF-8 bytes (EF BC 81 < F0 9F 98 80).
  const tricky = ['a', 'a/b', 'a-b', 'ab', 'Z', 'é', 'ж/статья.html', '\uFF01', '\u{1F600}', 'x\u{1F600}y', 'x\uFF01', 'x', '', 'x\uE000', 'x\u{10000}', 'жж'];

  it('compares two paths as their UTF-8 bytes, whatever characters they hold', () => {
    for (const a of tricky) for (const b of tricky) expect([a, b, Math.sign(comparePaths(a, b))]).toEqual([a, b, Math.sign(bytes(a, b))]);
    expect(comparePaths('x\uFF01', 'x\u{1F600}y')).toBe(-1);
    expect('x\uFF01' < 'x\u{1F600}y').toBe(false); // JavaScript's own order differs here
  });

  it('sorts as UTF-8 bytes, with and without characters beyond U+FFFF among the paths', () => {
    const plain = tricky.filter((p) => !/[\uD800-\uDFFF]/.test(p));
    for (const list of [tricky, plain]) {
      const want = [...list].sort(bytes);
      expect(sortByPath([...list].reverse(), (p) => p)).toEqual(want);
      expect(sortByPath(list.map((path) => ({ path })), (f) => f.path).map((f) => f.path)).toEqual(want);
    }
    expect(sortByPath(['x\u{1F600}y', 'x\uFF01'], (p) => p)).toEqual(['x\uFF01', 'x\u{1F600}y']);
  });
});
