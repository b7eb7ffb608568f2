/**
 * Large sequential file I/O for copying big unchanged stretches of an earlier
 * output (the seal's CAR and zip): reads through a window of several MiB, so
 * many nearby small ranges cost one read, and gathered writes, so many parts
 * are written without being copied together first.
 */
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** The default window: a run of small blocks or records is one read; larger fresh buffers cost more in page faults than they save in reads (measured: 2–4 MiB best, 8 MiB slower than 1 MiB). */
export const WINDOW_BYTES = 4 << 20;

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
