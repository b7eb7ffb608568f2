/**
 * The previous CAR as a cache of whole frames: frames read one after another
 * are views of one read, next to each other (pushPart makes a copied run one
 * part, byte for byte the CAR's own); a frame whose bytes, CID or length
 * varint is not exactly what a new CAR writes is refused and counted.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PreviousCar } from '../../src/build-cache/car-reuse.ts';
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
