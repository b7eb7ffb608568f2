/**
 * UnixFS DAGs with Kubo's `unixfs-v1-2025` profile (CIDv1, raw leaves, 1 MiB
 * chunks, 1024 links a node, HAMT sharding above 256 KiB of directory block)
 * and CAR files of them: written streaming and deterministically (sorted input,
 * no mtimes, one block at a time, no duplicate blocks), read with every block's
 * hash checked.
 */
import { createHash } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { CarWriter } from '@ipld/car/writer';
import { importer, type ImportCandidate, type ImporterOptions } from 'ipfs-unixfs-importer';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import * as Digest from 'multiformats/hashes/digest';
import { NewsmirrorError } from '../core/errors.ts';

/** What the importer gets: a file with its bytes, or an (empty) folder. */
export interface DagEntry {
  path: string;
  content?: Uint8Array;
}

export interface BlockSink {
  put(cid: CID, bytes: Uint8Array): Promise<unknown> | unknown;
}

/** A fresh options object each time: the importer writes the profile's defaults into it. */
export function importOptions(): ImporterOptions {
  return {
    profile: 'unixfs-v1-2025',
    wrapWithDirectory: true,
    // One file and one block at a time: block order (and so the CAR) never depends on timing.
    fileImportConcurrency: 1,
    blockWriteConcurrency: 1,
  };
}

/** Import `entries` (paths relative to the root) and return the root folder's CID. */
export async function importTree(entries: AsyncIterable<DagEntry> | Iterable<DagEntry>, sink: BlockSink, signal?: AbortSignal): Promise<CID> {
  async function* candidates(): AsyncGenerator<ImportCandidate> {
    for await (const entry of entries) {
      signal?.throwIfAborted();
      yield entry.content ? { path: entry.path, content: entry.content } : { path: entry.path };
    }
  }
  const store = { put: async (cid: CID, bytes: Uint8Array) => { await sink.put(cid, bytes); return cid; } };
  let root: CID | undefined;
  for await (const result of importer(candidates(), store, importOptions())) root = result.cid;
  if (!root) throw new NewsmirrorError('ERR_EMPTY_SITE', 'nothing to import: the site folder is empty');
  // The wrapper folder is the last entry; re-parse so callers get this module's CID class.
  return CID.parse(root.toString());
}

/** An unsigned LEB128 varint (CAR frame lengths, dag-pb fields), minimal. */
export function uvarint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Buffer.from(out);
}

/**
 * A block's CID bytes as a map key: a string of them, one character a byte.
 * Far cheaper than the CID's base32 text (which CID also caches on every
 * instance), and the same whether the bytes come from a CID or from a CAR.
 */
export function blockKey(cidBytes: Uint8Array): string {
  return Buffer.from(cidBytes.buffer, cidBytes.byteOffset, cidBytes.byteLength).toString('latin1');
}

/** The sha2-256 multihash of `bytes`, synchronously. */
export function sha256Digest(bytes: Uint8Array): Digest.Digest<0x12, 32> {
  return Digest.create(0x12, createHash('sha256').update(bytes).digest()) as Digest.Digest<0x12, 32>;
}

/** A sink that keeps nothing: for computing CIDs only. */
export const discardBlocks: BlockSink = { put() {} };

/** Blocks kept in memory (serving a folder over /ipfs/). */
export class MemoryBlocks implements BlockSink {
  readonly blocks = new Map<string, Uint8Array>();
  put(cid: CID, bytes: Uint8Array): void {
    this.blocks.set(cid.toString(), bytes);
  }
  get(cid: CID): Uint8Array | undefined {
    return this.blocks.get(cid.toString());
  }
}

/** CIDv1 dag-pb sha2-256 of nothing: a placeholder root of the same length as the real one. */
const PLACEHOLDER = CID.createV1(0x70, sha256Digest(new Uint8Array(0)));

/**
 * Write a CARv1 of `entries` to `outFile` (atomically) and return its root.
 * Blocks stream to disk as they are made, in 1 MiB writes; the importer waits
 * whenever more than 8 MiB is queued. The header's root is patched in place
 * at the end (a placeholder of the same length goes first).
 */
export async function writeCar(entries: AsyncIterable<DagEntry> | Iterable<DagEntry>, outFile: string, signal?: AbortSignal): Promise<{ root: CID; bytes: number; blocks: number }> {
  const tmp = `${outFile}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w+');
  const { writer, out } = CarWriter.create([PLACEHOLDER]);
  let position = 0;
  const pump = (async () => {
    let batch: Uint8Array[] = [];
    let size = 0;
    const flush = async () => {
      const chunks = batch;
      const length = size;
      batch = [];
      size = 0;
      let written = 0;
      while (written < length) {
        const { bytesWritten } = await handle.writev(written === 0 ? chunks : [Buffer.concat(chunks, length).subarray(written)], position + written);
        written += bytesWritten;
      }
      position += length;
    };
    for await (const chunk of out) {
      batch.push(chunk);
      size += chunk.length;
      if (size >= 1 << 20) await flush();
    }
    if (size > 0) await flush();
  })();
  pump.catch(() => {});
  const seen = new Set<string>();
  let blocks = 0;
  let queued = 0;
  try {
    const root = await importTree(entries, {
      async put(cid, bytes) {
        const key = cid.toString();
        if (seen.has(key)) return;
        seen.add(key);
        blocks++;
        const written = writer.put({ cid: CID.decode(cid.bytes), bytes });
        written.catch(() => {});
        queued += bytes.length + 64;
        if (queued > 8 << 20) {
          queued = 0;
          await written;
        }
      },
    }, signal);
    await writer.close();
    await pump;
    await CarWriter.updateRootsInFile(handle, [root]);
    await handle.sync();
    await handle.close();
    await rename(tmp, outFile);
    return { root, bytes: position, blocks };
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Does `bytes` hash to `cid`? sha2-256 and identity multihashes are checked; others are unknown. */
export function blockMatches(cid: CID, bytes: Uint8Array): boolean | 'unsupported' {
  if (cid.multihash.code === 0x12) return Buffer.from(createHash('sha256').update(bytes).digest()).equals(cid.multihash.digest);
  if (cid.multihash.code === 0x00) return Buffer.from(cid.multihash.digest).equals(bytes);
  return 'unsupported';
}

/** The CID of a raw block (for tests and the gateway). */
export function rawCid(bytes: Uint8Array): CID {
  return CID.createV1(raw.code, sha256Digest(bytes));
}
