/**
 * Reading a CAR: index every block (checking its hash as it goes), then serve
 * blocks by CID from the file and walk the UnixFS tree under the root.
 * A damaged or cut-short CAR gives problems, never a crash.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import { asyncIterableReader, readBlockHead, readHeader } from '@ipld/car/decoder';
import { exporter, type ReadableStorage } from 'ipfs-unixfs-exporter';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { NewsmirrorError } from '../core/errors.ts';
import { blockMatches, sha256Digest } from './car.ts';
import { TooLargeError } from './too-large.ts';

export interface CarProblem {
  kind: 'block' | 'root' | 'unreadable';
  path: string;
  detail: string;
}

export interface BlockGetter {
  /** A block's bytes, or undefined when the CAR does not hold it. */
  getBlock(cid: CID): Promise<Uint8Array | undefined>;
}

/** The exporter's view of a BlockGetter: get() yields the block or throws "not found". */
export function exporterStore(source: BlockGetter): ReadableStorage {
  return {
    get: async function* (cid: CID) {
      const bytes = await source.getBlock(cid);
      if (!bytes) throw new NewsmirrorError('ERR_MISSING_BLOCK', `block ${cid.toString()} is not in the archive (or failed its hash check)`);
      yield bytes;
    },
  } as unknown as ReadableStorage;
}

/** A CAR file opened for reading, its blocks indexed and checked. */
export class CarFile implements BlockGetter {
  private constructor(
    private readonly handle: FileHandle,
    readonly label: string,
    readonly roots: CID[],
    private readonly index: Map<string, { offset: number; length: number }>,
    /** Blocks whose bytes do not hash to their CID, a cut-short end, a missing root. */
    readonly problems: CarProblem[],
  ) {}

  static async open(path: string, signal?: AbortSignal): Promise<CarFile> {
    const handle = await open(path, 'r');
    const problems: CarProblem[] = [];
    const index = new Map<string, { offset: number; length: number }>();
    let roots: CID[] = [];
    const reader = asyncIterableReader(createReadStream(path, { highWaterMark: 1 << 20, signal }));
    try {
      const header = await readHeader(reader);
      roots = (header.roots ?? []).map((root) => CID.decode(root.bytes));
      while ((await reader.upTo(8)).length > 0) {
        const at = reader.pos;
        const head = await readBlockHead(reader);
        const offset = reader.pos;
        const bytes = await reader.exactly(head.blockLength, true);
        const cid = CID.decode(head.cid.bytes);
        const match = blockMatches(cid, bytes);
        if (match === 'unsupported') problems.push({ kind: 'block', path: cid.toString(), detail: `block at byte ${at} uses hash function 0x${cid.multihash.code.toString(16)}, which cannot be checked` });
        else if (!match) problems.push({ kind: 'block', path: cid.toString(), detail: `block at byte ${at} does not hash to its CID (tampered or damaged)` });
        else index.set(cid.toString(), { offset, length: head.blockLength });
      }
    } catch (error) {
      signal?.throwIfAborted();
      problems.push({ kind: 'unreadable', path, detail: `the CAR ends early or is damaged after byte ${reader.pos}: ${(error as Error).message}` });
    }
    if (roots.length !== 1) problems.push({ kind: 'root', path, detail: `the CAR names ${roots.length} roots; a sealed site has exactly one` });
    for (const root of roots) {
      if (!index.has(root.toString())) problems.push({ kind: 'root', path: root.toString(), detail: 'the root block is not in the CAR' });
    }
    return new CarFile(handle, path, roots, index, problems);
  }

  get root(): CID | undefined {
    return this.roots[0];
  }

  has(cid: CID): boolean {
    return this.index.has(cid.toString());
  }

  async getBlock(cid: CID): Promise<Uint8Array | undefined> {
    const at = this.index.get(cid.toString());
    if (!at) return undefined;
    const bytes = Buffer.alloc(at.length);
    await this.handle.read(bytes, 0, at.length, at.offset);
    return bytes;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/**
 * Most files a listing names. Blocks are shared by CID, so a tiny CAR whose
 * folders link the same folder twice, forty levels deep, names 2^40 paths: it
 * ends in a clear error, not a hang (a folder met again is copied, not re-walked).
 */
export const MAX_LISTED = 2_000_000;

/** Every file under `root` (site-relative paths), in tree order. Missing blocks throw. */
export async function listUnixfsFiles(root: CID, blocks: BlockGetter, limit = MAX_LISTED): Promise<string[]> {
  const files: string[] = [];
  const store = exporterStore(blocks);
  /** Folders listed once: where their files sit in `files`, so the same folder met again is copied, not walked again. */
  const listed = new Map<string, { start: number; end: number; prefix: number }>();
  const tooMany = () => new NewsmirrorError('ERR_CAR_TOO_MANY', `the CAR's folders name more than ${limit} files (the same folders linked again and again?); it is not a site newsmirror sealed`);
  const add = (path: string) => {
    if (files.length >= limit) throw tooMany();
    files.push(path);
  };
  const walk = async (cid: CID, path: string): Promise<void> => {
    if (cid.code === raw.code && path) {
      add(path); // a raw leaf is a file; no need to load it
      return;
    }
    const prefix = path ? path.length + 1 : 0;
    const seen = listed.get(cid.toString());
    if (seen) {
      for (let i = seen.start; i < seen.end; i++) add(`${path}/${files[i]!.slice(seen.prefix)}`);
      return;
    }
    let entry;
    try {
      entry = await exporter(cid, store);
    } catch (error) {
      // A damaged block under a folder: list it so the file check reports it by path.
      if (path && error instanceof NewsmirrorError && error.code === 'ERR_MISSING_BLOCK') {
        add(path);
        return;
      }
      throw error;
    }
    if (entry.type !== 'directory') {
      add(path);
      return;
    }
    const start = files.length;
    for await (const child of entry.entries()) await walk(CID.decode(child.cid.bytes), path ? `${path}/${child.name}` : child.name);
    if (path) listed.set(cid.toString(), { start, end: files.length, prefix });
  };
  await walk(root, '');
  return files;
}

/** The bytes of one file under `root`, or undefined when there is no such file; a TooLargeError past `maxBytes`. */
export async function readUnixfsFile(root: CID, path: string, blocks: BlockGetter, maxBytes = Infinity): Promise<Uint8Array | undefined> {
  let entry;
  try {
    entry = await exporter(`${root.toString()}/${path}`, exporterStore(blocks));
  } catch (error) {
    if (!(error instanceof NewsmirrorError) && (error as { name?: string }).name === 'NotFoundError') return undefined;
    throw error;
  }
  if (entry.type === 'directory' || entry.type === 'object') return undefined;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of entry.content()) {
    total += chunk.length;
    // A few links to one big block can claim terabytes: stop at the cap, not at the end.
    if (total > maxBytes) throw new TooLargeError(`${path} in ${root.toString()}`, maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The CID of the site without manifest.json and manifest.sig (the manifest's
 * `contentCid`), from the root folder's block alone: the same node with those
 * two links dropped. Undefined when the root is HAMT-sharded (not recomputed).
 */
export async function contentCidOf(root: CID, blocks: BlockGetter): Promise<CID | undefined> {
  const bytes = await blocks.getBlock(root);
  if (!bytes || root.code !== dagPb.code) return undefined;
  const node = dagPb.decode(bytes);
  if (!node.Data || UnixFS.unmarshal(node.Data).type !== 'directory') return undefined;
  const links = node.Links.filter((l) => l.Name !== 'manifest.json' && l.Name !== 'manifest.sig');
  const encoded = dagPb.encode(dagPb.prepare({ Data: node.Data, Links: links }));
  return CID.createV1(dagPb.code, sha256Digest(encoded));
}
