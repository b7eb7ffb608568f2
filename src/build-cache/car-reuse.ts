/**
 * The previous dist/site.car as a cache of blocks: its frames' heads are
 * scanned (a window of WINDOW_BYTES read at a time) into an index CID → where
 * the frame and its bytes are, and a block is taken from it only when its
 * frame is exactly what a new CAR holds and its bytes hash to that CID. A damaged, truncated
 * or foreign CAR therefore only costs reading those files again, never a wrong
 * byte in the new CAR.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import type { CID } from 'multiformats/cid';
import { WindowedReader } from '../core/ranges.ts';
import { blockKey, blockMatches, frameHead } from '../sealed/index.ts';

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
  /** CID → [where its frame (length, CID, bytes) starts, where its bytes start, their length]. */
  private constructor(private readonly fd: number, private readonly index: Map<string, [number, number, number]>) {
    this.reader = new WindowedReader(fd);
  }

  /** Index `path`, or undefined when there is no such file or it is not a CAR at all. */
  static open(path: string): PreviousCar | undefined {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return undefined;
    }
    const index = new Map<string, [number, number, number]>();
    try {
      const size = fstatSync(fd).size;
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
    } catch {
      closeSync(fd);
      return undefined;
    }
    return new PreviousCar(fd, index);
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
