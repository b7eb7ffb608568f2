/**
 * A site's UnixFS DAG planned from its files' sha256: with raw leaves, a file
 * of one chunk (≤ 1 MiB) is one raw block whose CID is made of its sha256, so
 * no file of one chunk is read here; only folders (dir-plan.ts; the importer
 * for a tree with a HAMT-sharded folder) and files of several chunks (chunked
 * again by the importer) are built. The plan lists every block in
 * the order importTree and writeCar put them (first occurrence of each CID),
 * each with where its bytes are: in memory (folders, file nodes) or a range of
 * a site file (raw leaves). `writeCarPlan` turns it into the same CAR bytes.
 */
import { createHash } from 'node:crypto';
import { CarWriter } from '@ipld/car/writer';
import { importer, importFile, type ImportCandidate, type ImporterOptions, type InProgressImportResult } from 'ipfs-unixfs-importer';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import * as Digest from 'multiformats/hashes/digest';
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import { NewsmirrorError } from '../core/errors.ts';
import { pushPart } from '../core/ranges.ts';
import { blockKey, importOptions, sha256Digest, uvarint } from './car.ts';
import { comparePaths } from './walk.ts';
import { planDirs, SHARD_THRESHOLD, type DagLink } from './dir-plan.ts';
import { sha256Hex } from '../core/hash.ts';

/** The profile's chunk size: a file up to this many bytes is one raw block. */
export const CHUNK_SIZE = 1 << 20;

/** A file by its hash; `chunks` gives its bytes, needed only for files over one chunk. */
export interface PlanFile {
  path: string;
  size: number;
  /** sha256, lowercase hex. */
  sha256: string;
  chunks?: () => AsyncIterable<Uint8Array>;
}

/** A folder with nothing in it. */
export interface PlanDir {
  path: string;
}

/** Where a block's bytes are: in memory, or `length` bytes at `offset` of the site file `path`. */
export type BlockSource = { bytes: Uint8Array } | { path: string; offset: number; length: number };

export interface PlannedBlock {
  cid: CID;
  source: BlockSource;
  /** The file whose import made this block (undefined for folders). */
  file?: string;
}

export interface CarPlan {
  root: CID;
  /** Every block once, in the order they go into the CAR (empty unless asked for). */
  blocks: PlannedBlock[];
}

/** The CID of a one-chunk file: a raw block named by the file's sha256. */
export function rawLeafCid(sha256: string): CID {
  return CID.createV1(raw.code, Digest.create(0x12, Buffer.from(sha256, 'hex')));
}

const EMPTY = new Uint8Array(0);

const isFile = (entry: PlanFile | PlanDir): entry is PlanFile => 'sha256' in entry;

/** Collects planned blocks: each CID once, at its first occurrence. */
class BlockList {
  readonly blocks: PlannedBlock[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly keep: boolean) {}
  record(cid: CID, source: BlockSource, file?: string): void {
    if (!this.keep) return;
    const key = blockKey(cid.bytes);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.blocks.push(file === undefined ? { cid, source } : { cid, source, file });
  }
}

/**
 * Plan one file and record its blocks: a one-chunk file is its raw leaf (a
 * range of the file, not read); a longer one is chunked by the importer, its
 * raw leaves recorded as ranges of the file, its nodes in memory.
 */
async function planFile(file: PlanFile, list: BlockList): Promise<DagLink> {
  if (file.size <= CHUNK_SIZE) {
    const cid = rawLeafCid(file.sha256);
    list.record(cid, { path: file.path, offset: 0, length: file.size }, file.path);
    return { cid, size: file.size };
  }
  if (!file.chunks) throw new NewsmirrorError('ERR_CAR_PLAN', `${file.path} is over one chunk (${file.size} bytes) and has no bytes to chunk`);
  let offset = 0;
  const store = {
    put: async (cid: CID, bytes: Uint8Array) => {
      const ours = CID.decode(cid.bytes);
      if (cid.code === raw.code) {
        list.record(ours, { path: file.path, offset, length: bytes.length }, file.path);
        offset += bytes.length;
      } else {
        list.record(ours, { bytes }, file.path);
      }
      return cid;
    },
  };
  const result = await importFile({ content: file.chunks() }, store, { ...importOptions(), wrapWithDirectory: false });
  if (offset !== file.size) throw new NewsmirrorError('ERR_SITE_CHANGED', `${file.path} is ${offset} bytes now, not ${file.size}; it changed while sealing`);
  return { cid: CID.decode(result.cid.bytes), size: Number(result.size) };
}

/**
 * Plan the DAG of `entries` (paths relative to the root, files and empty
 * folders) and return its root CID; with `blocks`, also every block in CAR
 * order. Folders are built here (dir-plan.ts); a tree with a folder big enough
 * to be sharded (a HAMT) is planned by the importer instead.
 */
export async function planTree(entries: Iterable<PlanFile | PlanDir>, options: { blocks?: boolean; signal?: AbortSignal } = {}): Promise<CarPlan> {
  const list = [...entries];
  const fast = new BlockList(options.blocks ?? false);
  const emptyDir = emptyDirNode();
  const leaf = (entry: PlanFile | PlanDir): Promise<DagLink> | DagLink => {
    if (isFile(entry)) return planFile(entry, fast);
    fast.record(emptyDir.cid, { bytes: emptyDir.bytes });
    return emptyDir;
  };
  const root = await planDirs(list, leaf, (cid, bytes) => fast.record(cid, { bytes }), options.signal);
  if (root) return { root, blocks: fast.blocks };
  return importPlan(list, options);
}

/** planTree by ipfs-unixfs-importer: for HAMT-sharded folders (and anything else planDirs leaves to it). */
export async function importPlan(entries: (PlanFile | PlanDir)[], options: { blocks?: boolean; signal?: AbortSignal } = {}): Promise<CarPlan> {
  const files = new Map<string, PlanFile>();
  const list = new BlockList(options.blocks ?? false);
  const store = {
    put: async (cid: CID, bytes: Uint8Array) => {
      list.record(CID.decode(cid.bytes), { bytes });
      return cid;
    },
  };
  const fileBuilder = async (file: { path?: string; originalPath?: string }): Promise<InProgressImportResult> => {
    const path = file.originalPath ?? file.path ?? '';
    const known = files.get(path);
    if (!known) throw new NewsmirrorError('ERR_CAR_PLAN', `${path} was not planned`);
    const { cid, size } = await planFile(known, list);
    return { cid, path: file.path, size: BigInt(size), originalPath: file.originalPath, single: true, block: EMPTY } as unknown as InProgressImportResult;
  };
  async function* candidates(): AsyncGenerator<ImportCandidate> {
    for (const entry of entries) {
      options.signal?.throwIfAborted();
      if (!isFile(entry)) {
        yield { path: entry.path };
        continue;
      }
      files.set(entry.path, entry);
      yield { path: entry.path, content: EMPTY };
    }
  }
  let root: CID | undefined;
  const opts = { ...importOptions(), fileBuilder: fileBuilder as unknown as ImporterOptions['fileBuilder'] };
  for await (const result of importer(candidates(), store, opts)) root = result.cid;
  if (!root) throw new NewsmirrorError('ERR_EMPTY_SITE', 'nothing to import: the site folder is empty');
  return { root: CID.decode(root.bytes), blocks: list.blocks };
}

/** The block of an empty folder (every empty folder is this one block), as the importer makes it. */
function emptyDirNode(): DagLink & { bytes: Uint8Array } {
  const bytes = dagPb.encode(dagPb.prepare({ Data: new UnixFS({ type: 'directory' }).marshal() }));
  return { cid: CID.createV1(dagPb.code, sha256Digest(bytes)), size: bytes.length, bytes };
}

/**
 * The plan of `content` (a plan with blocks) with `files` added at its root,
 * as planTree gives for the whole set: their blocks at their place among the
 * files' blocks, the root folder's node made again with their links. Only
 * for a flat root that stays under the sharding threshold (256 KiB) with
 * them; undefined otherwise (plan the whole set instead).
 */
export async function addToRoot(content: CarPlan, files: PlanFile[]): Promise<CarPlan | undefined> {
  const rootBlock = content.blocks.at(-1);
  if (!rootBlock || !('bytes' in rootBlock.source) || !rootBlock.cid.equals(content.root) || files.some((f) => f.path.includes('/'))) return undefined;
  const node = dagPb.decode(rootBlock.source.bytes);
  if (!node.Data || UnixFS.unmarshal(node.Data).type !== 'directory') return undefined;
  const names = new Set(node.Links.map((l) => l.Name));
  if (files.some((f) => names.has(f.path))) return undefined;
  // The new files on their own, wrapped: their blocks, and their links (name, CID, Tsize) from the wrapper.
  const extra = await planTree(files, { blocks: true });
  const wrapper = extra.blocks.at(-1)!;
  if (!('bytes' in wrapper.source)) return undefined;
  const links = dagPb.decode(wrapper.source.bytes).Links;
  const bytes = dagPb.encode(dagPb.prepare({ Data: node.Data, Links: [...node.Links, ...links] }));
  if (bytes.length > SHARD_THRESHOLD) return undefined;
  const root = CID.createV1(dagPb.code, sha256Digest(bytes));
  const added = extra.blocks.slice(0, -1);
  const addedKeys = new Set(added.map((b) => blockKey(b.cid.bytes)));
  const first = files.map((f) => f.path).sort(comparePaths)[0]!;
  const rest = content.blocks.slice(0, -1);
  // Empty folders come first in the input; folders with something in them after every file.
  const emptyDir = emptyDirNode().cid;
  let at = rest.findIndex((b) => (b.file === undefined ? !b.cid.equals(emptyDir) : comparePaths(b.file, first) > 0));
  if (at < 0) at = rest.length;
  const known = new Set(rest.slice(0, at).map((b) => blockKey(b.cid.bytes)));
  const blocks = [
    ...rest.slice(0, at),
    ...added.filter((b) => !known.has(blockKey(b.cid.bytes))),
    ...rest.slice(at).filter((b) => !addedKeys.has(blockKey(b.cid.bytes))),
    { cid: root, source: { bytes } },
  ];
  return { root, blocks };
}

/** The CARv1 header naming `root`: the bytes CarWriter writes before the first block. */
export async function carHeader(root: CID): Promise<Buffer> {
  const { writer, out } = CarWriter.create([root]);
  const chunks: Uint8Array[] = [];
  const read = (async () => {
    for await (const chunk of out) chunks.push(chunk);
  })();
  await writer.close();
  await read;
  return Buffer.concat(chunks);
}

/** What a CAR holds before a block of `length` bytes: the frame's length (a minimal varint), then the CID. */
export function frameHead(cid: CID, length: number): Buffer {
  return Buffer.concat([uvarint(cid.bytes.length + length), cid.bytes]);
}

/** One block as a CAR holds it: length, CID, bytes. */
export function carFrame(cid: CID, bytes: Uint8Array): Buffer[] {
  return [frameHead(cid, bytes.length), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)];
}

/**
 * A run of the CAR's bytes: the header alone, then runs of whole blocks cut
 * where the content says (after a block whose CID's last byte is a multiple
 * of 4, once the run holds 64 KiB; at 1 MiB in any case), so a block added or
 * changed changes the runs around it only. `key` names the run's bytes: the
 * header's hash, or the hash of its blocks' CIDs.
 */
export interface CarPiece {
  key: string;
  /** The piece's bytes in parts (not copied together). */
  parts: Buffer[];
  size: number;
  blocks: number;
}

const PIECE_MIN = 64 << 10;
const PIECE_MAX = 1 << 20;

/**
 * The CAR of `plan` as pieces, in order; `frame` gives (and checks) each
 * block's frame (carFrame: length, CID, bytes) in one or more parts. Parts
 * that follow each other in memory (frames copied from one read of an earlier
 * CAR) are joined: a copied run is one part.
 */
export async function* carPieces(plan: CarPlan, frame: (block: PlannedBlock) => Buffer[], signal?: AbortSignal): AsyncGenerator<CarPiece> {
  const header = await carHeader(plan.root);
  yield { key: `h${sha256Hex(header)}`, parts: [header], size: header.length, blocks: 0 };
  let parts: Buffer[] = [];
  let size = 0;
  let ids = createHash('sha256');
  let count = 0;
  for (const block of plan.blocks) {
    signal?.throwIfAborted();
    for (const part of frame(block)) {
      size += part.length;
      pushPart(parts, part);
    }
    ids.update(block.cid.bytes);
    count++;
    const digest = block.cid.multihash.digest;
    if ((size >= PIECE_MIN && digest[digest.length - 1]! % 4 === 0) || size >= PIECE_MAX) {
      yield { key: `b${ids.digest('hex')}`, parts, size, blocks: count };
      parts = [];
      size = 0;
      ids = createHash('sha256');
      count = 0;
    }
  }
  if (count > 0) yield { key: `b${ids.digest('hex')}`, parts, size, blocks: count };
}
