/**
 * Large sequential file I/O for copying big unchanged stretches of an earlier
 * output (the seal's CAR and zip): reads through a window (WINDOW_BYTES), so
 * many nearby small ranges cost one read, and gathered writes, so many parts
 * are written without being copied together first.
 */
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/**
 * The default window: a run of small blocks or records is one read. Each
 * window is a fresh buffer; past 1 MiB those cost more in page faults than
 * larger reads save (measured on the realistic bench site, 2 runs each: CAR
 * phase 2.4-2.6 s with 1 MiB, 3.2-3.6 s with 4 MiB; zip records 0.56-0.61 s
 * and 0.75-0.83 s).
 */
export const WINDOW_BYTES = 1 << 20;

/**
 * Ranges of one open file, read `windowBytes` at a time. Each window is a
 * fresh buffer, so what an earlier call returned stays valid (and is never
 * written to: callers must not write to it either).
 */
export class WindowedReader {
  private start = 0;
  private bytes: Buffer = Buffer.alloc(0);

  constructor(private readonly fd: number, private readonly windowBytes = WINDOW_BYTES) {}

  /** `length` bytes at `at`; fewer where the file ends before. */
  read(at: number, length: number): Buffer {
    if (at < this.start || at + length > this.start + this.bytes.length) {
      const bytes = Buffer.allocUnsafe(Math.max(length, this.windowBytes));
      let got = 0;
      while (got < bytes.length) {
        const n = readSync(this.fd, bytes, got, bytes.length - got, at + got);
        if (n === 0) break;
        got += n;
      }
      this.start = at;
      this.bytes = bytes.subarray(0, got);
    }
    const from = at - this.start;
    return this.bytes.subarray(from, Math.min(from + length, this.bytes.length));
  }
}

/** Write `parts` back to back at `position` in one gathered write (again for whatever a short write left). */
export async function writeAll(handle: FileHandle, parts: Uint8Array[], position: number): Promise<number> {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  let written = (await handle.writev(parts, position)).bytesWritten;
  if (written < length) {
    const rest = Buffer.concat(parts, length);
    while (written < length) written += (await handle.write(rest, written, length - written, position + written)).bytesWritten;
  }
  return length;
}

/** Append `part` to `parts`, joined with the last one when it follows it in the same memory (one part for a copied run). */
export function pushPart(parts: Buffer[], part: Buffer): void {
  const last = parts[parts.length - 1];
  if (last && last.buffer === part.buffer && last.byteOffset + last.length === part.byteOffset) {
    parts[parts.length - 1] = Buffer.from(last.buffer, last.byteOffset, last.length + part.length);
  } else {
    parts.push(part);
  }
}
