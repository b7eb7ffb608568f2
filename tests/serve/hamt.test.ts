/** /ipfs/ through a HAMT-sharded folder: paths resolve through the shards; dag-scope entity stops at the folder's own shards. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CarBlockIterator } from '@ipld/car/iterator';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockMatches, discardBlocks, importTree } from '../../src/sealed/index.ts';
import { startServer, type RunningServer } from '../../src/serve/index.ts';
import { useTempDir } from '../seal/site-fixture.ts';

const tmp = useTempDir('newsmirror-hamt-');
const names = Array.from({ length: 1500 }, (_, i) => `${String(i).padStart(4, '0')}-${'x'.repeat(180)}.html`);
let server: RunningServer;
let cid: string;

beforeAll(async () => {
  const site = join(tmp(), 'site');
  await mkdir(join(site, 'f'), { recursive: true });
  for (const [i, name] of names.entries()) await writeFile(join(site, 'f', name), `<p>${i}</p>\n`);
  cid = (await importTree(names.map((name, i) => ({ path: `f/${name}`, content: Buffer.from(`<p>${i}</p>\n`) })), discardBlocks)).toString();
  server = await startServer({ source: site, port: 0 });
});
afterAll(async () => {
  await server?.close();
});

async function carBlocks(path: string): Promise<CID[]> {
  const response = await fetch(new URL(path, server.url));
  expect(response.status).toBe(200);
  const cids: CID[] = [];
  for await (const block of await CarBlockIterator.fromBytes(new Uint8Array(await response.arrayBuffer()))) {
    const c = CID.decode(block.cid.bytes);
    expect(blockMatches(c, block.bytes)).toBe(true);
    cids.push(c);
  }
  return cids;
}

describe('trustless gateway over a HAMT folder', () => {
  it('resolves a file through the shards', async () => {
    const r = await fetch(new URL(`ipfs/${cid}/f/${names[1234]}?format=raw`, server.url));
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('<p>1234</p>\n');
  });

  it('dag-scope=entity gives the folder and its 263 shard blocks, no files; all gives every block', async () => {
    const entity = await carBlocks(`ipfs/${cid}/f?format=car&dag-scope=entity`);
    expect(entity[0]!.toString()).toBe(cid);
    expect(entity.length).toBe(1 + 263);
    expect(entity.every((c) => c.code === 0x70)).toBe(true);
    const all = await carBlocks(`ipfs/${cid}/f?format=car`);
    expect(all.length).toBe(1764);
    expect(all.filter((c) => c.code === 0x55).length).toBe(1500);
  });
});
