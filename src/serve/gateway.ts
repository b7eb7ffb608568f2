/**
 * `/ipfs/<cid>[/path]`: IPFS Trustless Gateway responses (a raw block with
 * `?format=raw` or `Accept: application/vnd.ipld.raw`, a CAR with
 * `?format=car` or `Accept: application/vnd.ipld.car`, dag-scope
 * block|entity|all, order=dfs, dups n or y), and plain files for browsers.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as dagPb from '@ipld/dag-pb';
import { CarWriter } from '@ipld/car/writer';
import { UnixFS } from 'ipfs-unixfs';
import { exporter, walkPath } from 'ipfs-unixfs-exporter';
import { CID } from 'multiformats/cid';
import { exporterStore, type BlockGetter, TooLargeError } from '../sealed/index.ts';
import { contentType } from '../core/mime.ts';
import { send, sendText } from './respond.ts';
import type { SiteStore } from './store.ts';

const IMMUTABLE = 'public, max-age=29030400, immutable';
const RAW = 'application/vnd.ipld.raw';
const CAR = 'application/vnd.ipld.car';
type Scope = 'block' | 'entity' | 'all';

interface Wanted {
  format: 'raw' | 'car' | undefined;
  scope: Scope;
  dups: boolean;
}

/** What the client asked for: ?format wins over Accept (spec); CAR parameters from either. */
export function wanted(url: URL, accept: string | undefined): Wanted | 'bad' {
  const format = url.searchParams.get('format');
  const types = (accept ?? '').split(',').map((t) => t.trim().toLowerCase());
  const carAccept = types.find((t) => t.startsWith(CAR));
  let chosen: Wanted['format'];
  if (format === 'raw' || format === 'car') chosen = format;
  else if (format) return 'bad';
  else if (types.some((t) => t.startsWith(RAW))) chosen = 'raw';
  else if (carAccept) chosen = 'car';
  const scope = url.searchParams.get('dag-scope') ?? (url.searchParams.has('entity-bytes') ? 'entity' : 'all');
  if (scope !== 'block' && scope !== 'entity' && scope !== 'all') return 'bad';
  const dups = (url.searchParams.get('car-dups') ?? /dups=(y|n)/.exec(carAccept ?? '')?.[1] ?? 'n') === 'y';
  return { format: chosen, scope, dups };
}

/** Resolve `cid/segments` to its terminal CID, noting every block read on the way (the proof of the path). */
async function resolve(cid: CID, segments: string[], getter: BlockGetter): Promise<{ terminal: CID; pathBlocks: CID[]; roots: CID[] } | undefined> {
  const pathBlocks: CID[] = [];
  const store = exporterStore({
    async getBlock(c) {
      const bytes = await getter.getBlock(c);
      if (bytes && !pathBlocks.some((p) => p.equals(c))) pathBlocks.push(CID.decode(c.bytes));
      return bytes;
    },
  });
  try {
    let last;
    for await (const entry of walkPath([cid.toString(), ...segments].join('/'), store)) last = entry;
    if (!last) return undefined;
    return { terminal: CID.decode(last.cid.bytes), pathBlocks, roots: last.roots.map((r) => CID.decode(r.bytes)) };
  } catch {
    return undefined;
  }
}

/** The blocks of `cid` for a scope, depth first, each once unless `dups`. */
async function* dagBlocks(cid: CID, scope: Scope, getter: BlockGetter, seen: Set<string>, dups: boolean): AsyncGenerator<{ cid: CID; bytes: Uint8Array }> {
  const key = cid.toString();
  if (!dups && seen.has(key)) return;
  seen.add(key);
  const bytes = await getter.getBlock(cid);
  if (!bytes) throw new Error(`block ${key} is missing`);
  yield { cid, bytes };
  if (scope === 'block' || cid.code !== dagPb.code) return;
  const node = dagPb.decode(bytes);
  let childScope: Scope = 'all';
  if (scope === 'entity') {
    const unixfs = node.Data ? UnixFS.unmarshal(node.Data) : undefined;
    if (!unixfs || unixfs.type === 'directory') return;
    // A HAMT's own shards belong to the directory entity; its entries do not. A shard
    // link's name is just the bucket in hex (2 characters for fanout 256); an entry's has the file name after it.
    if (unixfs.type === 'hamt-sharded-directory') {
      const width = (Number(unixfs.fanout ?? 256n) - 1).toString(16).length;
      for (const link of node.Links) {
        if ((link.Name ?? '').length === width) yield* dagBlocks(CID.decode(link.Hash.bytes), 'entity', getter, seen, dups);
      }
      return;
    }
    childScope = 'all';
  }
  for (const link of node.Links) yield* dagBlocks(CID.decode(link.Hash.bytes), childScope, getter, seen, dups);
}

function ipfsHeaders(path: string, roots: CID[]): Record<string, string> {
  return { 'X-Ipfs-Path': path, 'X-Ipfs-Roots': roots.map(String).join(','), Vary: 'Accept', 'Access-Control-Allow-Origin': '*' };
}

async function sendCar(req: IncomingMessage, res: ServerResponse, found: { terminal: CID; pathBlocks: CID[]; roots: CID[] }, want: Wanted, ipfsPath: string, getter: BlockGetter): Promise<void> {
  const etag = `"${createHash('sha256').update(`${ipfsPath}|${want.scope}|${want.dups}`).digest('base64url').slice(0, 22)}.car"`;
  res.statusCode = 200;
  res.setHeader('Content-Type', `${CAR}; version=1; order=dfs; dups=${want.dups ? 'y' : 'n'}`);
  res.setHeader('Content-Disposition', `attachment; filename="${found.terminal.toString()}.car"`);
  res.setHeader('Cache-Control', IMMUTABLE);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('ETag', etag);
  for (const [k, v] of Object.entries(ipfsHeaders(ipfsPath, found.roots))) res.setHeader(k, v);
  if (req.headers['if-none-match'] === etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const { writer, out } = CarWriter.create([found.terminal]);
  const pump = pipeToResponse(out, res);
  const seen = new Set<string>();
  try {
    // The blocks that prove the path first; the terminal block then leads the DAG walk.
    for (const cid of found.pathBlocks.filter((c) => !c.equals(found.terminal))) {
      seen.add(cid.toString());
      await writer.put({ cid, bytes: (await getter.getBlock(cid))! });
    }
    for await (const block of dagBlocks(found.terminal, want.scope, getter, seen, want.dups)) {
      if (res.destroyed) break; // the reader left: stop walking
      await writer.put(block);
    }
    await writer.close();
    await pump;
    res.end();
  } catch {
    // Committed to 200 already: cut the stream so the client sees an incomplete CAR (spec).
    res.destroy();
    await writer.close().catch(() => {});
  }
}

/**
 * Copy a stream of chunks to the response, waiting for 'drain'. When the client
 * goes away mid-way the rest is consumed and dropped, so the producer (which
 * waits for its reader) finishes instead of hanging forever on a dead socket.
 */
export async function pipeToResponse(chunks: AsyncIterable<Uint8Array>, res: ServerResponse): Promise<void> {
  for await (const chunk of chunks) {
    if (res.destroyed) continue;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
}

/** A browser asking for /ipfs/<cid>/path: the file itself (folders → index.html). */
async function sendDeserialized(req: IncomingMessage, res: ServerResponse, url: URL, found: { terminal: CID; roots: CID[] }, ipfsPath: string, getter: BlockGetter, maxBytes: number): Promise<void> {
  const store = exporterStore(getter);
  let entry = await exporter(found.terminal, store);
  let name = ipfsPath;
  if (entry.type === 'directory') {
    if (!url.pathname.endsWith('/')) {
      sendText(res, 301, `moved to ${url.pathname}/\n`, { Location: `${url.pathname}/${url.search}` });
      return;
    }
    try {
      entry = await exporter(`${found.terminal.toString()}/index.html`, store);
      name = 'index.html';
    } catch {
      sendText(res, 404, 'this folder has no index.html\n');
      return;
    }
  }
  if (entry.type === 'directory' || entry.type === 'object') {
    sendText(res, 406, `ask for ?format=raw or ?format=car\n`);
    return;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of entry.content()) {
    total += chunk.length;
    if (total > maxBytes) throw new TooLargeError(ipfsPath, maxBytes);
    chunks.push(chunk);
  }
  send(req, res, {
    bytes: Buffer.concat(chunks),
    type: contentType(name),
    etag: `"${entry.cid.toString()}"`,
    cacheControl: IMMUTABLE,
    headers: ipfsHeaders(ipfsPath, found.roots),
  });
}

/** Handle `/ipfs/...` (segments already decoded and checked). */
export async function handleIpfs(req: IncomingMessage, res: ServerResponse, url: URL, segments: string[], store: SiteStore): Promise<void> {
  const [cidText, ...rest] = segments;
  let cid: CID;
  try {
    cid = CID.parse(cidText ?? '');
  } catch {
    sendText(res, 400, `"${cidText ?? ''}" is not a CID\n`);
    return;
  }
  const want = wanted(url, req.headers.accept);
  if (want === 'bad') {
    sendText(res, 400, 'format must be raw or car; dag-scope must be block, entity or all\n');
    return;
  }
  const { getter } = await store.blocks();
  const ipfsPath = `/ipfs/${[cid.toString(), ...rest].join('/')}`;
  const found = (await getter.getBlock(cid)) ? await resolve(cid, rest, getter) : undefined;
  if (!found) {
    sendText(res, 404, `${ipfsPath} is not part of this site\n`);
    return;
  }
  if (want.format === 'raw') {
    const bytes = await getter.getBlock(found.terminal);
    if (!bytes) {
      sendText(res, 404, `${ipfsPath} is not part of this site\n`);
      return;
    }
    send(req, res, {
      bytes,
      type: RAW,
      etag: `"${found.terminal.toString()}.raw"`,
      cacheControl: IMMUTABLE,
      headers: { ...ipfsHeaders(ipfsPath, found.roots), 'Content-Disposition': `attachment; filename="${found.terminal.toString()}.bin"` },
    });
  } else if (want.format === 'car') await sendCar(req, res, found, want, ipfsPath, getter);
  else await sendDeserialized(req, res, url, found, ipfsPath, getter, store.maxFileBytes);
}
