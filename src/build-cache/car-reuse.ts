/**
 * The previous dist/site.car as a cache of blocks: an index CID → where the
 * frame and its bytes are, and a block is taken from it only when its frame is
 * exactly what a new CAR holds and its bytes hash to that CID. A damaged,
 * truncated or foreign CAR therefore only costs reading those files again, never
 * a wrong byte in the new CAR. The index is the one the seal that wrote the CAR
 * left in .newsmirror/cache/car-index.bin (CarIndexWriter) when the file's size,
 * mtime and inode are the ones it recorded; else the frames' heads are scanned,
 * a window of WINDOW_BYTES read at a time (the whole file: 0.3 s at 10,000
 * articles, 0.9–1.9 s at 100,000). A wrong index costs the same as a damaged CAR.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { CID } from 'multiformats/cid';
import { statKey } from '../core/fs.ts';
import { WindowedReader } from '../core/ranges.ts';
import { blockKey, blockMatches, frameHead } from '../sealed/index.ts';
import { cacheDir } from './inputs.ts';

type Index = Map<string, [number, number, number]>;

export const carIndexPath = (root: string): string => join(cacheDir(root), 'car-index.bin');

const INDEX_HEADER = 'newsmirror-car-index/1';

/**
 * The index of a CAR as it is written: each frame's CID, where its frame starts, the length of
 * its head (length varint and CID) and of its bytes. `bytes(stat)` is the cache file for the
 * written CAR: a header line naming its stat key and frame count, then per frame the CID's
 * length (1 byte), the CID, the frame's start (float64), the head's length (uint16) and the
 * bytes' length (uint32), little-endian.
 */
export class CarIndexWriter {
  private readonly frames: { cid: Uint8Array; head: number; length: number }[] = [];

  add(cid: CID, head: number, length: number): void {
    this.frames.push({ cid: cid.bytes, head, length });
  }

  /** The file's bytes, for a CAR of `carBytes` bytes (its header, then these frames) whose stat key is `stat`. */
  bytes(stat: string, carBytes: number): Buffer {
    const header = Buffer.from(`${INDEX_HEADER} ${stat} ${this.frames.length}\n`, 'latin1');
    const size = this.frames.reduce((sum, f) => sum + 15 + f.cid.length, header.length);
    const out = Buffer.alloc(size);
    header.copy(out, 0);
    let at = header.length;
    let frameStart = carBytes - this.frames.reduce((sum, f) => sum + f.head + f.length, 0);
    for (const f of this.frames) {
      out[at] = f.cid.length;
      out.set(f.cid, at + 1);
      at += 1 + f.cid.length;
      out.writeDoubleLE(frameStart, at);
      out.writeUInt16LE(f.head, at + 8);
      out.writeUInt32LE(f.length, at + 10);
      at += 14;
      frameStart += f.head + f.length;
    }
    return out;
  }
}

/** The index in a cache file written for a CAR with stat key `stat`, or undefined when it is for another file or not one. */
function readIndex(bytes: Buffer, stat: string): Index | undefined {
  const eol = bytes.indexOf(10);
  const [name, recorded, count] = eol < 0 ? [] : bytes.toString('latin1', 0, eol).split(' ');
  if (name !== INDEX_HEADER || recorded !== stat || !/^\d+$/.test(count ?? '')) return undefined;
  const index: Index = new Map();
  let at = eol + 1;
  for (let i = 0; i < Number(count); i++) {
    const length = bytes[at];
    if (length === undefined || at + 1 + length + 14 > bytes.length) return undefined;
    const key = blockKey(bytes.subarray(at + 1, at + 1 + length));
    at += 1 + length;
    const frameStart = bytes.readDoubleLE(at);
    if (!Number.isSafeInteger(frameStart) || frameStart < 0) return undefined;
    index.set(key, [frameStart, frameStart + bytes.readUInt16LE(at + 8), bytes.readUInt32LE(at + 10)]);
    at += 14;
  }
  return at === bytes.length ? index : undefined;
}

/** Index `fd` by scanning its frames' heads (see the top); the frames before a damaged one are kept. */
function scanIndex(fd: number, size: number): Index {
  const index: Index = new Map();
  // The frames' heads, read a window at a time (one read for hundreds of small blocks, not one each).
  const scan = new WindowedReader(fd);
  let head = scan.read(0, 16);
  const header = readVarint(head, 0, head.length);
  if (!header) throw new Error('no header');
  let at = header[1] + header[0];
  while (at < size) {
    head = scan.read(at, 128);
    const length = readVarint(head, 0, head.length);
    if (!length || length[0] === 0) break;
    const start = at + length[1];
    const end = start + length[0];
    if (end > size) break; // cut short: the blocks before it are still usable
    const cidBytes = cidLength(head, length[1], head.length);
    if (cidBytes === undefined || cidBytes > length[0] || length[1] + cidBytes > head.length) break;
    index.set(blockKey(head.subarray(length[1], length[1] + cidBytes)), [at, start + cidBytes, length[0] - cidBytes]);
    at = end;
  }
  return index;
}

/** Read one unsigned LEB128 varint at `at` of `buf`: [value, bytes used], or undefined past the end. */
function readVarint(buf: Buffer, at: number, end: number): [number, number] | undefined {
  let value = 0;
  let shift = 0;
  for (let i = at; i < end && i < at + 8; i++) {
    const byte = buf[i]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, i - at + 1];
    shift += 7;
  }
  return undefined;
}

/** The length of the CID at `at` (v0, or v1: version, codec, multihash code and length, digest), or undefined if it is not one. */
function cidLength(buf: Buffer, at: number, end: number): number | undefined {
  if (buf[at] === 0x12 && buf[at + 1] === 0x20) return 34;
  let p = at;
  const fields: number[] = [];
  for (let i = 0; i < 4; i++) {
    const v = readVarint(buf, p, end);
    if (!v) return undefined;
    fields.push(v[0]);
    p += v[1];
  }
  return fields[0] === 1 ? p - at + fields[3]! : undefined;
}


export class PreviousCar {
  /** Blocks taken from the file (their bytes checked), and blocks it had but failed their check. */
  taken = 0;
  rejected = 0;
  /** Reads WINDOW_BYTES at a time: the blocks of an unchanged stretch of the site are next to each other. */
  private readonly reader: WindowedReader;
  /** CID → [where its frame (length, CID, bytes) starts, where its bytes start, their length]; `from`: the cache file or a scan of the CAR. */
  private constructor(private readonly fd: number, private readonly index: Index, readonly from: 'cache' | 'scan') {
    this.reader = new WindowedReader(fd);
  }

  /**
   * Index `path`, or undefined when there is no such file or it is not a CAR at all.
   * `cached`: the bytes of car-index.bin, used when written for this very file.
   */
  static open(path: string, cached?: Buffer): PreviousCar | undefined {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return undefined;
    }
    try {
      const info = fstatSync(fd);
      const fromCache = cached ? readIndex(cached, statKey(info)) : undefined;
      return new PreviousCar(fd, fromCache ?? scanIndex(fd, info.size), fromCache ? 'cache' : 'scan');
    } catch {
      closeSync(fd);
      return undefined;
    }
  }

  get size(): number {
    return this.index.size;
  }

  /**
   * Block `cid` as the previous CAR holds it (its length, its CID and its
   * bytes, which a new CAR holds the same), if intact: the CID in the frame
   * is `cid` and the bytes hash to it. Frames read one after another are
   * views of one buffer, next to each other.
   */
  frame(cid: CID): Buffer | undefined {
    const at = this.index.get(blockKey(cid.bytes));
    if (!at) return undefined;
    const [frameStart, dataStart, length] = at;
    const frame = this.reader.read(frameStart, dataStart - frameStart + length);
    const bytes = frame.subarray(dataStart - frameStart);
    // The frame's head must be exactly what a new CAR writes for this block: the length as a minimal varint, then the CID.
    const head = frame.subarray(0, dataStart - frameStart);
    if (bytes.length !== length || !head.equals(frameHead(cid, length)) || blockMatches(cid, bytes) !== true) {
      this.rejected++;
      return undefined;
    }
    this.taken++;
    return frame;
  }

  close(): void {
    closeSync(this.fd);
  }
}
