/**
 * dist/site.car and dist/site.zip in one pass, from the CAR plan: the zip's
 * README and cid.txt, the site's files under site/ (records of unchanged files
 * copied in runs from the previous bundle, the others deflated), then the CAR
 * itself as the last entry, streamed: each run of CAR blocks is written to
 * site.car and, deflated on its own (or taken from the previous bundle by the
 * CIDs it holds), to the zip. Unchanged one-chunk files are never read: their
 * blocks come from the previous site.car, each checked against its CID, as
 * whole frames read a window (1 MiB) at a time, so an unchanged run of
 * them is one part to hash and write (and copied zip records likewise).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { NewsmirrorError } from '../core/errors.ts';
import type { Reporter } from '../core/log.ts';
import { createProgress } from '../core/progress.ts';
import { WINDOW_BYTES, writeAll } from '../core/ranges.ts';
import { CarIndexWriter, PreviousCar } from '../build-cache/car-reuse.ts';
import { statKey } from '../core/fs.ts';
import type { PreviousZip } from '../build-cache/zip-reuse.ts';
import { blockMatches, carFrame, carPieces, copiedRecordsMatch, deflatePiece, DEFLATE_END, ZipWriter, type CarPlan, type CopiedRecord, type PlannedBlock } from '../sealed/index.ts';

/** Where the bytes of the new version's files are. */
export interface SiteBytes {
  /** Files of the new version in order: path, size, sha256. */
  files: { path: string; size: number; sha256: string }[];
  /** The bytes of a file (checked against its sha256; a file that changed since it was hashed stops the seal). */
  read(path: string): Buffer;
  /** `length` bytes at `offset` of a file, unchecked (the caller checks the block they make). */
  readRange(path: string, offset: number, length: number): Buffer;
}

export const siteChanged = (path: string): NewsmirrorError => new NewsmirrorError('ERR_SITE_CHANGED', `_site/${path} changed while sealing; wait for the build to finish and run seal again`);

export interface BundleResult {
  car: { bytes: number; sha256: string; blocks: number; fromPrevious: number };
  zip: { bytes: number; sha256: string; reused: number; pieces: number; piecesReused: number };
  /** [key, compressed length] of each piece of the CAR entry (for the next seal). */
  pieces: [string, number][];
  /** The new site.car's block index (car-index.bin, for the next seal). */
  carIndex: Buffer;
}

/** CAR pieces deflated ahead in zlib's threads while the next ones are read and hashed (measured: 16 spends 0.5 s less than 4 waiting on them). */
const LOOKAHEAD = 16;

/** Read a file range synchronously. */
export function readRange(abs: string, offset: number, length: number): Buffer {
  const fd = openSync(abs, 'r');
  try {
    const bytes = Buffer.alloc(length);
    const got = readSync(fd, bytes, 0, length, offset);
    return got === length ? bytes : bytes.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** The zip's site/ entries: copied runs of the previous bundle's records where the file is unchanged, the bytes elsewhere. */
async function* siteEntries(site: SiteBytes, before: PreviousZip | undefined, signal: AbortSignal | undefined, tick: () => void): AsyncGenerator<{ name: string; bytes: Uint8Array } | { copied: Buffer; records: CopiedRecord[] }> {
  let run: { start: number; end: number; records: CopiedRecord[]; paths: string[] } | undefined;
  function* flush(): Generator<{ name: string; bytes: Uint8Array } | { copied: Buffer; records: CopiedRecord[] }> {
    if (!run || !before) return;
    const { start, end, records, paths } = run;
    run = undefined;
    let copied: Buffer | undefined;
    try {
      copied = before.readRaw(start, end - start);
    } catch {
      copied = undefined;
    }
    if (copied && copiedRecordsMatch(copied, records)) yield { copied, records };
    else for (const path of paths) yield { name: `site/${path}`, bytes: site.read(path) };
  }
  for (const file of site.files) {
    signal?.throwIfAborted();
    tick();
    const entry = before?.entry(file.path, file.sha256);
    if (entry && entry.size === file.size) {
      const length = 30 + Buffer.byteLength(entry.name) + entry.csize;
      if (run && run.end === entry.offset && run.end - run.start + length <= WINDOW_BYTES) {
        run.end += length;
      } else {
        yield* flush();
        run = { start: entry.offset, end: entry.offset + length, records: [], paths: [] };
      }
      run.records.push({ name: entry.name, method: entry.method, crc: entry.crc, csize: entry.csize, size: entry.size });
      run.paths.push(file.path);
      continue;
    }
    yield* flush();
    yield { name: `site/${file.path}`, bytes: site.read(file.path) };
  }
  yield* flush();
}

export async function writeBundle(options: {
  plan: CarPlan;
  site: SiteBytes;
  /** Entries before site/ (README.txt, cid.txt). */
  head: { name: string; bytes: Uint8Array }[];
  carOut: string;
  zipOut: string;
  previousCar: string;
  /** The bytes of car-index.bin, if any (used when written for that very previousCar). */
  previousCarIndex?: Buffer;
  before: PreviousZip | undefined;
  reporter: Reporter;
  signal?: AbortSignal;
}): Promise<BundleResult> {
  const { plan, site, before, signal } = options;
  const previous = PreviousCar.open(options.previousCar, options.previousCarIndex);
  const index = new CarIndexWriter();
  const zip = await ZipWriter.create(options.zipOut);
  const car = await open(options.carOut, 'w');
  try {
    options.reporter.progress('seal: writing dist/site.zip');
    for (const entry of options.head) await zip.addFile(entry.name, entry.bytes);
    const zipping = createProgress(options.reporter, 'seal: writing dist/site.zip', site.files.length, { unit: 'files' });
    await zip.addFiles(siteEntries(site, before, signal, () => zipping.tick()));

    const framed = (block: PlannedBlock): Buffer[] => {
      const source = block.source;
      if ('bytes' in source) return carFrame(block.cid, source.bytes);
      const taken = previous?.frame(block.cid);
      if (taken) return [taken];
      const bytes = site.readRange(source.path, source.offset, source.length);
      if (bytes.length !== source.length || blockMatches(block.cid, bytes) !== true) throw siteChanged(source.path);
      return carFrame(block.cid, bytes);
    };
    const frame = (block: PlannedBlock): Buffer[] => {
      const parts = framed(block);
      const length = 'bytes' in block.source ? block.source.bytes.length : block.source.length;
      index.add(block.cid, parts.reduce((sum, part) => sum + part.length, 0) - length, length);
      return parts;
    };
    const carring = createProgress(options.reporter, 'seal: writing dist/site.car', plan.blocks.length, { unit: 'blocks' });
    options.reporter.progress('seal: writing dist/site.car');
    await zip.beginStream('site.car');
    const hash = createHash('sha256');
    let crc = 0;
    let position = 0;
    let batch: Buffer[] = [];
    let batchBytes = 0;
    const flush = async () => {
      if (batchBytes === 0) return;
      const parts = batch;
      batch = [];
      batchBytes = 0;
      position += await writeAll(car, parts, position);
    };
    const pieces: [string, number][] = [];
    let piecesReused = 0;
    // Pieces deflating ahead of the one written next: the changed pieces come in bursts (new pages, then the folders at the end).
    const pending: { key: string; data: Promise<Buffer> }[] = [];
    const put = async () => {
      const next = pending.shift()!;
      const data = await next.data;
      pieces.push([next.key, data.length]);
      await zip.appendData(data);
    };
    for await (const piece of carPieces(plan, frame, signal)) {
      for (const part of piece.parts) {
        hash.update(part);
        // Empty parts are skipped: zlib.crc32 of the empty block of an empty file did not return the crc it was given (pinned by the empty.txt of tests/seal/incremental-seal.test.ts).
        if (part.length > 0) crc = crc32(part, crc);
      }
      batch.push(...piece.parts);
      batchBytes += piece.size;
      if (batchBytes >= WINDOW_BYTES) await flush();
      const reused = before?.piece(piece.key);
      if (reused) piecesReused++;
      const data = reused ? Promise.resolve(reused) : deflatePiece(Buffer.concat(piece.parts, piece.size));
      data.catch(() => {});
      pending.push({ key: piece.key, data });
      if (pending.length >= LOOKAHEAD) await put();
      carring.tick(piece.blocks);
    }
    while (pending.length > 0) await put();
    await flush();
    // site.car reaches the disk while the zip's end is written and synced (the commit comes after both).
    const carSynced = car.sync();
    carSynced.catch(() => {});
    const carBytes = position;
    await zip.appendData(DEFLATE_END);
    await zip.endStream(crc, carBytes);
    const zipBytes = await zip.close();
    await carSynced;
    // Its size, mtime and inode stay the same when the commit moves it into dist/.
    const carStat = statKey(await car.stat());
    await car.close();
    return {
      car: { bytes: carBytes, sha256: hash.digest('hex'), blocks: plan.blocks.length, fromPrevious: previous?.taken ?? 0 },
      zip: { bytes: zipBytes, sha256: zip.sha256, reused: before?.reused ?? 0, pieces: pieces.length, piecesReused },
      pieces,
      carIndex: index.bytes(carStat, carBytes),
    };
  } catch (error) {
    await car.close().catch(() => {});
    await zip.abort();
    throw error;
  } finally {
    previous?.close();
  }
}
