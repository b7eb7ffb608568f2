/** serve a CAR made by someone else: a file that links one block again and again gets a clear error, not all the memory. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as dagPb from '@ipld/dag-pb';
import { CarWriter } from '@ipld/car/writer';
import { UnixFS } from 'ipfs-unixfs';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../../src/sealed/index.ts';
import { useTempDir } from '../seal/site-fixture.ts';
import { startServer } from '../../src/serve/index.ts';

type Block = { cid: CID; bytes: Uint8Array };
const tmp = useTempDir('newsmirror-serve-hostile-');

const pb = (data: UnixFS, links: [string, CID, number][]): Block => {
  const bytes = dagPb.encode(dagPb.prepare({ Data: data.marshal(), Links: links.map(([Name, Hash, Tsize]) => ({ Name, Hash, Tsize })) }));
  return { cid: CID.createV1(dagPb.code, sha256Digest(bytes)), bytes };
};

describe('serve a hostile CAR', () => {
  it('a 6.5 MB file made of one 64 KiB block linked 100 times is refused past maxFileBytes; the server keeps serving', async () => {
    const chunk = Buffer.alloc(65536, 0x61);
    const leaf: Block = { cid: CID.createV1(raw.code, sha256Digest(chunk)), bytes: chunk };
    const small: Block = { cid: CID.createV1(raw.code, sha256Digest(Buffer.from('hello\n'))), bytes: Buffer.from('hello\n') };
    const fileData = new UnixFS({ type: 'file', blockSizes: Array.from({ length: 100 }, () => 65536n) });
    const big = pb(fileData, Array.from({ length: 100 }, () => ['', leaf.cid, 65536] as [string, CID, number]));
    const root = pb(new UnixFS({ type: 'directory' }), [['big.bin', big.cid, 6553600], ['small.txt', small.cid, 6]]);
    const { writer, out } = CarWriter.create([root.cid]);
    const parts: Uint8Array[] = [];
    const collect = (async () => {
      for await (const part of out) parts.push(part);
    })();
    for (const block of [root, big, leaf, small]) await writer.put(block);
    await writer.close();
    await collect;
    const file = join(tmp(), 'amplified.car');
    await writeFile(file, Buffer.concat(parts));

    const server = await startServer({ source: file, port: 0, maxFileBytes: 1 << 20 });
    try {
      const plain = await fetch(`${server.url}big.bin`);
      expect([plain.status, await plain.text()]).toEqual([500, `internal error: big.bin in ${root.cid.toString()} holds more than 1048576 bytes\n`]);
      const gateway = await fetch(`${server.url}ipfs/${root.cid.toString()}/big.bin`);
      expect([gateway.status, await gateway.text()]).toEqual([500, `internal error: /ipfs/${root.cid.toString()}/big.bin holds more than 1048576 bytes\n`]);
      const ok = await fetch(`${server.url}small.txt`);
      expect([ok.status, await ok.text()]).toEqual([200, 'hello\n']);
    } finally {
      await server.close();
    }
  });
});
