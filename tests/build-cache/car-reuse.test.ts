/**
 * The previous CAR as a cache of whole frames: frames read one after another
 * are views of one read, next to each other (pushPart makes a copied run one
 * part, byte for byte the CAR's own); a frame whose bytes, CID or length
 * varint is not exactly what a new CAR writes is refused and counted.
 */
import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CarIndexWriter, PreviousCar } from '../../src/build-cache/car-reuse.ts';
import { statKey } from '../../src/core/fs.ts';
import { pushPart } from '../../src/core/ranges.ts';
import { carFrame, carHeader, rawCid } from '../../src/sealed/index.ts';

const blocks = ['first block', 'second block', 'third block'].map((text) => Buffer.from(text));
const cids = blocks.map((b) => rawCid(b));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'newsmirror-car-reuse-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A CAR of `frames` (each carFrame's parts, or raw bytes) under the first block's CID. */
async function carFile(frames: Buffer[][]): Promise<{ path: string; bytes: Buffer }> {
  const bytes = Buffer.concat([await carHeader(cids[0]!), ...frames.flat()]);
  const path = join(dir, 'site.car');
  await writeFile(path, bytes);
  return { path, bytes };
}

describe('PreviousCar.frame', () => {
  it('gives whole frames, next to each other in memory: a run of them is one part, the bytes of the CAR', async () => {
    const { path, bytes } = await carFile(blocks.map((b, i) => carFrame(cids[i]!, b)));
    const car = PreviousCar.open(path)!;
    const parts: Buffer[] = [];
    for (const cid of cids) pushPart(parts, car.frame(cid)!);
    car.close();
    expect(parts).toHaveLength(1);
    const header = (await carHeader(cids[0]!)).length;
    expect(parts[0]!.equals(bytes.subarray(header))).toBe(true);
    expect([car.taken, car.rejected]).toEqual([3, 0]);
  });

  it('refuses a frame whose length varint is not minimal (a new CAR would not hold those bytes)', async () => {
    const [head, data] = carFrame(cids[1]!, blocks[1]!);
    const length = head![0]!; // one byte: under 128
    const padded = Buffer.concat([Buffer.from([length | 0x80, 0x00]), head!.subarray(1)]);
    const { path } = await carFile([carFrame(cids[0]!, blocks[0]!), [padded, data!], carFrame(cids[2]!, blocks[2]!)]);
    const car = PreviousCar.open(path)!;
    expect(car.size).toBe(3);
    expect(car.frame(cids[1]!)).toBeUndefined();
    expect(car.frame(cids[2]!)?.equals(Buffer.concat(carFrame(cids[2]!, blocks[2]!)))).toBe(true);
    car.close();
    expect([car.taken, car.rejected]).toEqual([1, 1]);
  });

  it('refuses a frame whose bytes do not hash to its CID', async () => {
    const damaged = Buffer.from(blocks[0]!);
    damaged[0] = damaged[0]! ^ 0xff;
    const { path } = await carFile([carFrame(cids[0]!, damaged), carFrame(cids[1]!, blocks[1]!)]);
    const car = PreviousCar.open(path)!;
    expect(car.frame(cids[0]!)).toBeUndefined();
    expect(car.frame(cids[1]!)?.subarray(-blocks[1]!.length).equals(blocks[1]!)).toBe(true);
    car.close();
    expect([car.taken, car.rejected]).toEqual([1, 1]);
  });
});

describe('the block index a seal leaves (car-index.bin)', () => {
  /** The index CarIndexWriter makes for the CAR of carFile(frames of `blocks`), with the file's stat key. */
  async function indexed(): Promise<{ path: string; bytes: Buffer; index: Buffer }> {
    const { path, bytes } = await carFile(blocks.map((b, i) => carFrame(cids[i]!, b)));
    const writer = new CarIndexWriter();
    blocks.forEach((b, i) => writer.add(cids[i]!, carFrame(cids[i]!, b)[0]!.length, b.length));
    return { path, bytes, index: writer.bytes(statKey(await stat(path)), bytes.length) };
  }

  it('is used for the file it was written for: the same frames as a scan, no scan', async () => {
    const { path, bytes, index } = await indexed();
    const header = (await carHeader(cids[0]!)).length;
    // A header line, then per frame: CID length, CID (36 bytes), start, head length, bytes length.
    expect(index.toString('latin1', 0, index.indexOf(10))).toBe(`newsmirror-car-index/1 ${statKey(await stat(path))} 3`);
    expect(index.length).toBe(index.indexOf(10) + 1 + 3 * (1 + 36 + 14));
    const [cached, scanned] = [PreviousCar.open(path, index)!, PreviousCar.open(path)!];
    expect([cached.from, scanned.from, cached.size]).toEqual(['cache', 'scan', 3]);
    const parts: Buffer[] = [];
    for (const cid of cids) pushPart(parts, cached.frame(cid)!);
    expect(parts[0]!.equals(bytes.subarray(header))).toBe(true);
    expect(cids.map((cid) => scanned.frame(cid)!.equals(cached.frame(cid)!))).toEqual([true, true, true]);
    cached.close();
    scanned.close();
  });

  it('is not used for another file, or once the file was touched: the CAR is scanned', async () => {
    const { path, index } = await indexed();
    await utimes(path, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    const car = PreviousCar.open(path, index)!;
    expect([car.from, car.size]).toEqual(['scan', 3]);
    expect(car.frame(cids[2]!)).toBeDefined();
    car.close();
  });

  it('damaged (cut, a count too large, a negative or huge offset, foreign bytes): scanned, or its frames refused; never a throw or a wrong frame', async () => {
    const { path, index } = await indexed();
    const eol = index.indexOf(10);
    const offset = eol + 1 + 1 + 36; // the first frame's start
    const negative = Buffer.from(index);
    negative.writeDoubleLE(-5, offset);
    const huge = Buffer.from(index);
    huge.writeDoubleLE(2 ** 60, offset);
    const shifted = Buffer.from(index);
    shifted.writeDoubleLE(index.readDoubleLE(offset) + 3, offset);
    const tooMany = Buffer.concat([Buffer.from(index.toString('latin1', 0, eol).replace(/ 3$/, ' 4') + '\n', 'latin1'), index.subarray(eol + 1)]);
    for (const damaged of [index.subarray(0, index.length - 5), tooMany, negative, huge, Buffer.from('not an index\n'), Buffer.alloc(0)]) {
      const car = PreviousCar.open(path, damaged)!;
      expect(car.from).toBe('scan');
      expect(cids.map((cid) => car.frame(cid)?.subarray(-blocks[cids.indexOf(cid)]!.length).toString())).toEqual(blocks.map(String));
      car.close();
    }
    // Offsets in range but wrong (same stat key): used, and the frame it points at is refused.
    const car = PreviousCar.open(path, shifted)!;
    expect(car.from).toBe('cache');
    expect(car.frame(cids[0]!)).toBeUndefined();
    expect(car.frame(cids[1]!)?.subarray(-blocks[1]!.length).equals(blocks[1]!)).toBe(true);
    car.close();
    expect([car.taken, car.rejected]).toEqual([1, 1]);
  });
});
