/**
 * Deterministic ZIP files (fixed 1980-01-01 times, entries in the order
 * given, deflate level 6, UTF-8 names, ZIP64 end records when there are
 * more than 65,535 entries) and a bounded reader for them.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { promisify } from 'node:util';
import { constants, crc32, createInflateRaw, deflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import { NewsmirrorError } from '../core/errors.ts';
import { WINDOW_BYTES, WindowedReader, writeAll } from '../core/ranges.ts';
import { TooLargeError } from './too-large.ts';

const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const DOS_TIME = 0;
const UTF8 = 0x0800;
const DESCRIPTOR = 0x0008;
const MAX32 = 0xffffffff;

interface Written {
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  csize: number;
  size: number;
  offset: number;
}

/** The fields local and central headers share: flags, method, time, date, CRC, sizes, name length. */
function writeCommon(h: Buffer, at: number, e: Omit<Written, 'offset'>): void {
  h.writeUInt16LE(e.flags, at);
  h.writeUInt16LE(e.method, at + 2);
  h.writeUInt16LE(DOS_TIME, at + 4);
  h.writeUInt16LE(DOS_DATE, at + 6);
  h.writeUInt32LE(e.crc, at + 8);
  h.writeUInt32LE(e.csize, at + 12);
  h.writeUInt32LE(e.size, at + 16);
  h.writeUInt16LE(e.name.length, at + 20);
}

/** Types whose bytes are already compressed: stored as they are. */
const STORED = /\.(png|jpe?g|gif|webp|avif|woff2?|gz|br|zip|mp[34]|webm|ogg|pdf)$/i;

interface Prepared {
  entry: Omit<Written, 'offset'>;
  data: Uint8Array;
}

const deflateAsync = promisify(deflateRaw);

/**
 * Bytes deflated before, by identity: the same manifest and SHA256SUMS, and
 * each changed file (writeDeltas reads it once), go into several delta
 * bundles of one seal; the delta from the oldest version carries the changes
 * of every later one, so without this a file is deflated once per delta.
 */
const deflatedBefore = new WeakMap<Uint8Array, Promise<Buffer>>();

function deflateOnce(bytes: Uint8Array): Promise<Buffer> {
  let deflated = deflatedBefore.get(bytes);
  if (!deflated) {
    // Small files deflate faster here than the round trip to zlib's thread pool.
    deflated = bytes.length < 4096 ? Promise.resolve(deflateRawSync(bytes, { level: 6 })) : deflateAsync(bytes, { level: 6 });
    deflatedBefore.set(bytes, deflated);
  }
  return deflated;
}

async function prepare(name: string, bytes: Uint8Array): Promise<Prepared> {
  const deflated = STORED.test(name) ? undefined : await deflateOnce(bytes);
  const data = deflated && deflated.length < bytes.length ? deflated : bytes;
  return { entry: { name: Buffer.from(name, 'utf8'), flags: UTF8, method: data === bytes ? 0 : 8, crc: crc32(bytes), csize: data.length, size: bytes.length }, data };
}

/**
 * One piece of a deflate stream made of independent pieces: each is deflated
 * on its own and ends in a full flush (byte-aligned, no history carried over),
 * so the same bytes always give the same piece, whatever came before; the
 * pieces followed by DEFLATE_END form one valid stream.
 */
export async function deflatePiece(bytes: Uint8Array): Promise<Buffer> {
  return deflateAsync(bytes, { level: 6, finishFlush: constants.Z_FULL_FLUSH });
}

/** The empty final block that ends a stream of deflatePiece() pieces. */
export const DEFLATE_END: Buffer = deflateRawSync(new Uint8Array(0), { level: 6 });

function localHeader(entry: Omit<Written, 'offset'>): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  writeCommon(h, 6, entry);
  return Buffer.concat([h, entry.name]);
}

/** An entry of an earlier bundle whose local record (header, name, data) is copied as it is. */
export interface CopiedRecord {
  name: string;
  method: number;
  crc: number;
  csize: number;
  size: number;
}

const recordEntry = (r: CopiedRecord): Omit<Written, 'offset'> => ({ name: Buffer.from(r.name, 'utf8'), flags: UTF8, method: r.method, crc: r.crc, csize: r.csize, size: r.size });

/** Whether `bytes` is exactly these records back to back, each header byte for byte what this writer writes for it. */
export function copiedRecordsMatch(bytes: Buffer, records: CopiedRecord[]): boolean {
  let at = 0;
  for (const record of records) {
    if (record.method !== 0 && record.method !== 8) return false;
    const header = localHeader(recordEntry(record));
    if (at + header.length + record.csize > bytes.length || !bytes.subarray(at, at + header.length).equals(header)) return false;
    at += header.length + record.csize;
  }
  return at === bytes.length;
}

export class ZipWriter {
  private readonly entries: Written[] = [];
  private offset = 0;
  /** sha256 of every byte written, in order (the bundle's hash without reading it again). */
  private readonly hash = createHash('sha256');
  private digest: string | undefined;
  private constructor(private readonly handle: FileHandle, private readonly tmp: string, private readonly outFile: string) {}

  /** Start writing `outFile` (it appears atomically on close). */
  static async create(outFile: string): Promise<ZipWriter> {
    const tmp = `${outFile}.${process.pid}.tmp`;
    return new ZipWriter(await open(tmp, 'w'), tmp, outFile);
  }

  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  /** Append at the end, in gathered writes of WINDOW_BYTES. */
  private async write(bytes: Uint8Array): Promise<void> {
    this.pending.push(bytes);
    this.hash.update(bytes);
    this.pendingBytes += bytes.length;
    this.offset += bytes.length;
    if (this.pendingBytes >= WINDOW_BYTES) await this.flush();
  }

  /** Write what is pending in one gathered write (copied runs are not copied again). */
  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const parts = this.pending;
    const at = this.offset - this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    await writeAll(this.handle, parts, at);
  }

  private localHeader(entry: Omit<Written, 'offset'>): Buffer {
    return localHeader(entry);
  }

  private checkOffset(name: string): void {
    if (this.offset >= MAX32) throw new NewsmirrorError('ERR_ZIP_TOO_LARGE', `the bundle grew past 4 GiB before ${name}; ZIP64 entries are not supported`);
  }

  private async writePrepared(prepared: Prepared): Promise<void> {
    this.checkOffset(prepared.entry.name.toString('utf8'));
    const offset = this.offset;
    await this.write(this.localHeader(prepared.entry));
    await this.write(prepared.data);
    this.entries.push({ ...prepared.entry, offset });
  }

  /** Add a file from memory, deflated unless its type is already compressed. */
  async addFile(name: string, bytes: Uint8Array): Promise<void> {
    await this.writePrepared(await prepare(name, bytes));
  }

  /**
   * Add many files in order, deflating up to `ahead` of them at once (zlib's
   * threads use the other cores). An item may instead be records copied from an
   * earlier bundle (checked with copiedRecordsMatch first).
   */
  async addFiles(files: AsyncIterable<{ name: string; bytes: Uint8Array } | { copied: Buffer; records: CopiedRecord[] }>, ahead = 8): Promise<void> {
    const pending: Promise<Prepared | { copied: Buffer; records: CopiedRecord[] }>[] = [];
    const put = async (item: Prepared | { copied: Buffer; records: CopiedRecord[] }) => {
      if ('copied' in item) await this.addCopied(item.copied, item.records);
      else await this.writePrepared(item);
    };
    for await (const file of files) {
      const next = 'copied' in file ? Promise.resolve(file) : prepare(file.name, file.bytes);
      next.catch(() => {});
      pending.push(next);
      if (pending.length >= ahead) await put(await pending.shift()!);
    }
    while (pending.length > 0) await put(await pending.shift()!);
  }

  /** Append records copied from an earlier bundle (`bytes`: their local headers, names and data back to back; see copiedRecordsMatch). */
  async addCopied(bytes: Buffer, records: CopiedRecord[]): Promise<void> {
    if (!copiedRecordsMatch(bytes, records)) throw new NewsmirrorError('ERR_ZIP', `records copied from an earlier bundle do not match their entries (${records[0]?.name ?? ''}…)`);
    let at = 0;
    for (const record of records) {
      this.checkOffset(record.name);
      const entry = recordEntry(record);
      this.entries.push({ ...entry, offset: this.offset + at });
      at += 30 + entry.name.length + record.csize;
    }
    await this.write(bytes);
  }

  private streaming: { entry: Omit<Written, 'offset' | 'crc' | 'csize' | 'size'>; offset: number; start: number } | undefined;

  /** Start a deflated entry whose data comes piece by piece (appendData), with a data descriptor after it (endStream). */
  async beginStream(name: string): Promise<void> {
    this.checkOffset(name);
    const entry = { name: Buffer.from(name, 'utf8'), flags: UTF8 | DESCRIPTOR, method: 8 };
    const offset = this.offset;
    await this.write(this.localHeader({ ...entry, crc: 0, csize: 0, size: 0 }));
    this.streaming = { entry, offset, start: this.offset };
  }

  async appendData(bytes: Uint8Array): Promise<void> {
    await this.write(bytes);
  }

  /** End the streamed entry: `crc` and `size` of the uncompressed bytes. */
  async endStream(crc: number, size: number): Promise<void> {
    const s = this.streaming;
    if (!s) throw new Error('endStream without beginStream');
    this.streaming = undefined;
    const csize = this.offset - s.start;
    const name = s.entry.name.toString('utf8');
    if (size >= MAX32 || csize >= MAX32) throw new NewsmirrorError('ERR_ZIP_TOO_LARGE', `${name} is 4 GiB or more; ZIP64 entries are not supported`);
    const d = Buffer.alloc(16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(crc, 4);
    d.writeUInt32LE(csize, 8);
    d.writeUInt32LE(size, 12);
    await this.write(d);
    this.entries.push({ ...s.entry, crc, csize, size, offset: s.offset });
  }

  /** Where the next byte goes (the size so far). */
  get position(): number {
    return this.offset;
  }

  /** sha256 of the whole file, once closed. */
  get sha256(): string {
    if (this.digest === undefined) throw new Error('the bundle is not closed yet');
    return this.digest;
  }

  /** Write the central directory and move the file into place; returns its size. */
  async close(): Promise<number> {
    try {
      const cdStart = this.offset;
      for (const e of this.entries) {
        const h = Buffer.alloc(46);
        h.writeUInt32LE(0x02014b50, 0);
        h.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, zip 2.0
        h.writeUInt16LE(20, 6);
        writeCommon(h, 8, e);
        h.writeUInt32LE((0o100644 << 16) >>> 0, 38);
        h.writeUInt32LE(e.offset, 42);
        await this.write(Buffer.concat([h, e.name]));
      }
      const cdSize = this.offset - cdStart;
      const count = this.entries.length;
      if (count > 0xffff || cdStart >= MAX32) {
        const z = Buffer.alloc(56 + 20);
        z.writeUInt32LE(0x06064b50, 0);
        z.writeBigUInt64LE(44n, 4);
        z.writeUInt16LE((3 << 8) | 45, 12);
        z.writeUInt16LE(45, 14);
        z.writeBigUInt64LE(BigInt(count), 24);
        z.writeBigUInt64LE(BigInt(count), 32);
        z.writeBigUInt64LE(BigInt(cdSize), 40);
        z.writeBigUInt64LE(BigInt(cdStart), 48);
        z.writeUInt32LE(0x07064b50, 56);
        z.writeBigUInt64LE(BigInt(this.offset), 64);
        z.writeUInt32LE(1, 72);
        await this.write(z);
      }
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(Math.min(count, 0xffff), 8);
      end.writeUInt16LE(Math.min(count, 0xffff), 10);
      end.writeUInt32LE(Math.min(cdSize, MAX32), 12);
      end.writeUInt32LE(Math.min(cdStart, MAX32), 16);
      await this.write(end);
      await this.flush();
      this.digest = this.hash.digest('hex');
      await this.handle.sync();
      await this.handle.close();
      await rename(this.tmp, this.outFile);
      return this.offset;
    } catch (error) {
      await this.abort();
      throw error;
    }
  }

  /** Give up: remove the partial file. */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => {});
    await rm(this.tmp, { force: true });
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  csize: number;
  size: number;
  offset: number;
}

function zipError(label: string, what: string): NewsmirrorError {
  return new NewsmirrorError('ERR_ZIP', `${label}: ${what}; the bundle is damaged, fetch it again`);
}

/** Deflate never shrinks data more than 1032:1; a larger claim is a bomb or damage. */
const MAX_RATIO = 1032;

/** An entry a reader could be fooled by: named twice, lying past the end, or claiming an impossible size. */
function checkEntry(path: string, entry: ZipEntry, fileSize: number, seen: Map<string, ZipEntry>): void {
  if (seen.has(entry.name)) throw zipError(path, `${entry.name} is in the bundle twice (tools disagree on which copy they extract)`);
  if (entry.offset + 30 + entry.csize > fileSize) throw zipError(path, `${entry.name} lies past the end of the file`);
  if (entry.method === 0 ? entry.size !== entry.csize : entry.size > entry.csize * MAX_RATIO + 64) {
    throw zipError(path, `${entry.name} claims ${entry.size} bytes from ${entry.csize} compressed bytes, which no real file does (a zip bomb?)`);
  }
}

/** A ZIP opened for reading: its entries by name, and their bytes (CRC and size checked). */
export class ZipReader {
  private constructor(private readonly handle: FileHandle, readonly label: string, readonly entries: Map<string, ZipEntry>) {}

  static async open(path: string): Promise<ZipReader> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const tailLength = Math.min(size, 22 + 0xffff + 20);
      const tail = Buffer.alloc(tailLength);
      await handle.read(tail, 0, tailLength, size - tailLength);
      const at = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
      if (at < 0) throw zipError(path, 'no end of central directory (not a ZIP file, or cut short)');
      let count = tail.readUInt16LE(at + 10);
      let cdSize = tail.readUInt32LE(at + 12);
      let cdStart = tail.readUInt32LE(at + 16);
      if (at >= 20 && tail.readUInt32LE(at - 20) === 0x07064b50) {
        const z = Buffer.alloc(56);
        await handle.read(z, 0, 56, Number(tail.readBigUInt64LE(at - 12)));
        if (z.readUInt32LE(0) !== 0x06064b50) throw zipError(path, 'bad ZIP64 end record');
        count = Number(z.readBigUInt64LE(32));
        cdSize = Number(z.readBigUInt64LE(40));
        cdStart = Number(z.readBigUInt64LE(48));
      }
      if (cdStart + cdSize > size) throw zipError(path, 'the central directory lies past the end of the file');
      const cd = Buffer.alloc(cdSize);
      await handle.read(cd, 0, cdSize, cdStart);
      const entries = new Map<string, ZipEntry>();
      let p = 0;
      for (let i = 0; i < count; i++) {
        if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw zipError(path, `bad central directory entry ${i}`);
        const nameLength = cd.readUInt16LE(p + 28);
        const extraLength = cd.readUInt16LE(p + 30);
        const commentLength = cd.readUInt16LE(p + 32);
        const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
        const entry = { name, method: cd.readUInt16LE(p + 10), crc: cd.readUInt32LE(p + 16), csize: cd.readUInt32LE(p + 20), size: cd.readUInt32LE(p + 24), offset: cd.readUInt32LE(p + 42) };
        checkEntry(path, entry, size, entries);
        entries.set(name, entry);
        p += 46 + nameLength + extraLength + commentLength;
      }
      return new ZipReader(handle, path, entries);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  private async dataStart(entry: ZipEntry): Promise<number> {
    const h = Buffer.alloc(30);
    await this.handle.read(h, 0, 30, entry.offset);
    if (h.readUInt32LE(0) !== 0x04034b50) throw zipError(this.label, `bad local header for ${entry.name}`);
    const nameLength = h.readUInt16LE(26);
    const name = Buffer.alloc(nameLength);
    await this.handle.read(name, 0, nameLength, entry.offset + 30);
    // Tools that extract by local headers would write this name instead: it must be the one verified.
    if (name.toString('utf8') !== entry.name) throw zipError(this.label, `${entry.name} is stored under another name (${JSON.stringify(name.toString('utf8').slice(0, 100))})`);
    return entry.offset + 30 + nameLength + h.readUInt16LE(28);
  }

  /** Where `entry`'s data starts (after its local header and name), read synchronously. */
  dataStartOf(entry: ZipEntry): number {
    const h = this.readRaw(entry.offset, 30);
    if (h.readUInt32LE(0) !== 0x04034b50) throw zipError(this.label, `bad local header for ${entry.name}`);
    return entry.offset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
  }

  private window: WindowedReader | undefined;

  /**
   * `length` raw bytes at `at` (records copied into a new bundle; the writer
   * checks their headers), read a window (WINDOW_BYTES) at a time: a view
   * into it, not to be written to.
   */
  readRaw(at: number, length: number): Buffer {
    this.window ??= new WindowedReader(this.handle.fd);
    const bytes = this.window.read(at, length);
    if (bytes.length !== length) throw zipError(this.label, `cut short at byte ${at + bytes.length}`);
    return bytes;
  }

  /** The bytes of one entry; throws when its CRC or size does not match the directory, a TooLargeError past `maxBytes`. */
  async read(name: string, maxBytes = Infinity): Promise<Buffer> {
    const entry = this.entries.get(name);
    if (!entry) throw zipError(this.label, `no entry ${name}`);
    if (entry.size > maxBytes) throw new TooLargeError(`${this.label}: ${name}`, maxBytes);
    const compressed = Buffer.alloc(entry.csize);
    await this.handle.read(compressed, 0, entry.csize, await this.dataStart(entry));
    let bytes: Buffer;
    if (entry.method === 0) bytes = compressed;
    else if (entry.method === 8) {
      try {
        bytes = inflateRawSync(compressed, { maxOutputLength: Math.max(entry.size, 1), finishFlush: constants.Z_SYNC_FLUSH });
      } catch (error) {
        throw new NewsmirrorError('ERR_ZIP', `${this.label}: ${name} does not inflate to its declared ${entry.size} bytes`, { cause: error });
      }
    } else throw zipError(this.label, `${name} uses compression method ${entry.method}`);
    if (bytes.length !== entry.size || crc32(bytes) !== entry.crc) throw zipError(this.label, `${name} fails its CRC check`);
    return bytes;
  }

  /** Inflate one entry to a file on disk (for the CAR inside a bundle). */
  async extract(name: string, outFile: string, signal?: AbortSignal): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) throw zipError(this.label, `no entry ${name}`);
    const start = await this.dataStart(entry);
    const source = createReadStream(this.label, { start, end: start + entry.csize - 1 });
    // Never more than the entry claims (itself bounded by MAX_RATIO): a bomb cannot fill the disk.
    let written = 0;
    const cap = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        written += chunk.length;
        done(written > entry.size ? zipError(this.label, `${name} inflates past its declared ${entry.size} bytes`) : null, chunk);
      },
    });
    if (entry.method === 8) await pipeline(source, createInflateRaw(), cap, createWriteStream(outFile), { signal });
    else await pipeline(source, cap, createWriteStream(outFile), { signal });
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
