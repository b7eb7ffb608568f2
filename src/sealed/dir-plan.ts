/**
 * The folder nodes of a site's UnixFS DAG built here instead of by
 * ipfs-unixfs-importer (which costs about as much per file as the whole
 * incremental seal should): the same dag-pb directory blocks (links sorted by
 * name bytes, Tsize = block length + the Tsizes of its links) in the same
 * order (every input entry's own blocks first, in input order; then the
 * folders depth first, children before their parent, siblings in the order
 * they first appeared in the input), as the importer makes them for a flat
 * folder. A folder whose block would pass the sharding threshold is the
 * importer's to build (a HAMT): `planDirs` then gives up and says so.
 */
import { CID } from 'multiformats/cid';
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import { sha256Digest, uvarint } from './car.ts';

/** Kubo's unixfs-v1-2025 sharding threshold: a folder whose block would pass this becomes a HAMT. */
export const SHARD_THRESHOLD = 256 * 1024;

/** A node of the tree: what its parent links to. */
export interface DagLink {
  cid: CID;
  /** The importer's Tsize: the bytes of the node and of everything under it. */
  size: number;
}

interface Folder {
  children: Map<string, Folder | DagLink>;
}

const isFolder = (node: Folder | DagLink): node is Folder => 'children' in node;

/** The Data of every folder node (no mode, no mtime). */
const DIR_DATA = new UnixFS({ type: 'directory' }).marshal();

/** A length-delimited protobuf field: tag, length, bytes. */
const field = (tag: number, bytes: Uint8Array): Uint8Array[] => [Buffer.concat([Buffer.of(tag), uvarint(bytes.length)]), bytes];

/**
 * One folder's block, its CID and its Tsize, from its children's links: the
 * bytes @ipld/dag-pb's encode gives (links sorted by name bytes, then Data,
 * the importer's links-first order), written here without its per-link text
 * encoding and sort check, which cost more than the rest of the planning.
 */
export function folderNode(links: Iterable<[string, DagLink]>): { cid: CID; size: number; bytes: Buffer } {
  const named = [...links].map(([name, link]) => ({ key: Buffer.from(name, 'utf8'), link }));
  named.sort((a, b) => Buffer.compare(a.key, b.key));
  const parts: Uint8Array[] = [];
  for (const { key, link } of named) {
    const body = [...field(0x0a, link.cid.bytes), ...field(0x12, key), Buffer.of(0x18), uvarint(link.size)];
    parts.push(...field(0x12, Buffer.concat(body)));
  }
  parts.push(...field(0x0a, DIR_DATA));
  const bytes = Buffer.concat(parts);
  const size = named.reduce((sum, { link }) => sum + link.size, bytes.length);
  return { cid: CID.createV1(dagPb.code, sha256Digest(bytes)), size, bytes };
}

/**
 * Plan the folders over `entries` (paths relative to the root, in the
 * importer's input order). `leaf` plans one entry (a file, or an empty folder)
 * and puts its blocks; `put` takes each folder block. Returns the root, or
 * undefined when a folder would be sharded or there is nothing to plan (the
 * importer's cases): blocks put so far are then to be thrown away.
 */
export async function planDirs<T extends { path: string }>(
  entries: readonly T[],
  leaf: (entry: T) => Promise<DagLink> | DagLink,
  put: (cid: CID, bytes: Uint8Array) => void,
  signal?: AbortSignal,
): Promise<CID | undefined> {
  if (entries.length === 0) return undefined;
  const root: Folder = { children: new Map() };
  for (const entry of entries) {
    signal?.throwIfAborted();
    const names = entry.path.split('/').filter((name) => name !== '');
    const last = names.pop();
    if (last === undefined) return undefined;
    let folder = root;
    for (const name of names) {
      let next = folder.children.get(name);
      if (next === undefined) {
        next = { children: new Map() };
        folder.children.set(name, next);
      }
      // A file and a folder of one name: not a tree the importer would build either.
      if (!isFolder(next)) return undefined;
      folder = next;
    }
    if (folder.children.has(last)) return undefined;
    folder.children.set(last, await leaf(entry));
  }
  const flush = (folder: Folder): DagLink | undefined => {
    const links: [string, DagLink][] = [];
    for (const [name, child] of folder.children) {
      const link = isFolder(child) ? flush(child) : child;
      if (link === undefined) return undefined;
      links.push([name, link]);
    }
    const node = folderNode(links);
    if (node.bytes.length > SHARD_THRESHOLD) return undefined;
    put(node.cid, node.bytes);
    return { cid: node.cid, size: node.size };
  };
  return flush(root)?.cid;
}
