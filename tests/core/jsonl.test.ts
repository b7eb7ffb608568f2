/** core/jsonl.ts: a map kept as JSON lines, saved by appending what changed. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyJsonl, parseJsonl, saveJsonl, setEntry } from '../../src/core/jsonl.ts';

const HEADER = '{"format":"test","version":2}';
const OLD = '{"format":"test","version":1}';
const isNumber = (value: unknown): value is number => typeof value === 'number';

describe('JSON lines map', () => {
  let dir: string;
  let file: string;
  const load = async () => parseJsonl(await readFile(file), HEADER, isNumber, [OLD]);
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newsmirror-jsonl-'));
    file = join(dir, 'map.jsonl');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes a new map whole, then appends only what changed; a later line replaces an earlier one, [key] removes', async () => {
    const map = emptyJsonl<number>();
    for (const [k, v] of [['a', 1], ['b', 2], ['c', 3]] as const) setEntry(map, k, v);
    await saveJsonl(file, HEADER, map);
    const whole = `${HEADER}\n["a",1]\n["b",2]\n["c",3]\n`;
    expect(await readFile(file, 'utf8')).toBe(whole);
    const again = (await load())!;
    expect(again.appendable).toBe(true);
    setEntry(again, 'b', 20);
    setEntry(again, 'c', undefined);
    setEntry(again, 'd', 4);
    await saveJsonl(file, HEADER, again);
    expect(await readFile(file, 'utf8')).toBe(`${whole}["b",20]\n["c"]\n["d",4]\n`);
    expect([...(await load())!.entries]).toEqual([['a', 1], ['b', 20], ['d', 4]]);
    // Nothing changed: nothing written.
    await saveJsonl(file, HEADER, again);
    expect(await readFile(file, 'utf8')).toBe(`${whole}["b",20]\n["c"]\n["d",4]\n`);
  });

  it('writes the file afresh once it would hold more lines than twice its entries', async () => {
    const map = emptyJsonl<number>();
    setEntry(map, 'a', 1);
    setEntry(map, 'b', 2);
    await saveJsonl(file, HEADER, map);
    setEntry(map, 'a', 10);
    setEntry(map, 'b', 20);
    await saveJsonl(file, HEADER, map);
    expect(await readFile(file, 'utf8')).toBe(`${HEADER}\n["a",1]\n["b",2]\n["a",10]\n["b",20]\n`);
    setEntry(map, 'a', 100);
    await saveJsonl(file, HEADER, map);
    expect(await readFile(file, 'utf8')).toBe(`${HEADER}\n["a",100]\n["b",20]\n`);
  });

  it('keeps the entries before a last line cut short (a save killed while appending) and writes the file afresh next time', async () => {
    await writeFile(file, `${HEADER}\n["a",1]\n["b",2]\n["c",`);
    const map = (await load())!;
    expect([...map.entries]).toEqual([['a', 1], ['b', 2]]);
    expect(map.appendable).toBe(false);
    setEntry(map, 'c', 3);
    await saveJsonl(file, HEADER, map);
    expect(await readFile(file, 'utf8')).toBe(`${HEADER}\n["a",1]\n["b",2]\n["c",3]\n`);
  });

  it('reads an older header the same way and writes the file afresh under the new one', async () => {
    await writeFile(file, `${OLD}\n["a",1]\n`);
    const map = (await load())!;
    expect(map.appendable).toBe(false);
    setEntry(map, 'b', 2);
    await saveJsonl(file, HEADER, map);
    expect(await readFile(file, 'utf8')).toBe(`${HEADER}\n["a",1]\n["b",2]\n`);
  });

  it('writes afresh, header first, when the file was removed since it was read', async () => {
    await writeFile(file, `${HEADER}\n["a",1]\n`);
    const map = (await load())!;
    await rm(file);
    setEntry(map, 'b', 2);
    await saveJsonl(file, HEADER, map);
    expect(await readFile(file, 'utf8')).toBe(`${HEADER}\n["a",1]\n["b",2]\n`);
  });

  for (const [name, text] of [
    ['another header', '{"format":"other"}\n["a",1]\n'],
    ['no header line', ''],
    ['a damaged line', `${HEADER}\n["a",1]\n["b",2\n["c",3]\n`],
    ['a line that is not [key, value]', `${HEADER}\n{"a":1}\n`],
    ['a key that is not a string', `${HEADER}\n[1,1]\n`],
    ['a value that is not valid', `${HEADER}\n["a","one"]\n`],
    ['three items', `${HEADER}\n["a",1,2]\n`],
  ] as const) {
    it(`reads ${name} as no map`, async () => {
      await writeFile(file, text);
      expect(await load()).toBeUndefined();
    });
  }
});
