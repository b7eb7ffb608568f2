/** Hostile CARs: a tiny CAR whose folders share one folder forty levels deep (2^40 paths), duplicate blocks, a root that is not in it. */
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as dagPb from '@ipld/dag-pb';
import { CarWriter } from '@ipld/car/writer';
import { UnixFS } from 'ipfs-unixfs';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { describe, expect, it } from 'vitest';
import { formatPublicKey, serializeManifest, signBytes, sha256Digest } from '../../src/sealed/index.ts';
import { useTempDir } from '../seal/site-fixture.ts';
import { startServer } from '../../src/serve/index.ts';
import { verify } from '../../src/verify/index.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
type Block = { cid: CID; bytes: Uint8Array };
const tmp = useTempDir('newsmirror-car-hostile-');

const rawBlock = (bytes: Uint8Array): Block => ({ cid: CID.createV1(raw.code, sha256Digest(bytes)), bytes });
function folder(links: [string, CID][]): Block {
  const bytes = dagPb.encode(dagPb.prepare({ Data: new UnixFS({ type: 'directory' }).marshal(), Links: links.map(([Name, Hash]) => ({ Name, Hash, Tsize: 1 })) }));
  return { cid: CID.createV1(dagPb.code, sha256Digest(bytes)), bytes };
}
async function writeCarFile(name: string, roots: CID[], blocks: Block[]): Promise<string> {
  const { writer, out } = CarWriter.create(roots);
  const chunks: Uint8Array[] = [];
  const collect = (async () => {
    for await (const chunk of out) chunks.push(chunk);
  })();
  for (const block of blocks) await writer.put(block);
  await writer.close();
  await collect;
  const file = join(tmp(), name);
  await writeFile(file, Buffer.concat(chunks));
  return file;
}

/** A signed manifest (no files) and its signature, as raw blocks. */
function signedManifest(): { manifest: Block; sig: Block } {
  const bytes = serializeManifest({ format: 'newsmirror-manifest/1', version: 9, built: '2026-01-01T00:00:00.000Z', publicKey: formatPublicKey(privateKey), files: [] });
  return { manifest: rawBlock(bytes), sig: rawBlock(signBytes(bytes, privateKey)) };
}

describe('verify and serve a hostile CAR', () => {
  it('folders that link one folder twice, forty levels deep, end in a clear error, not a 2^40-path hang', async () => {
    const leaf = rawBlock(Buffer.from('x'));
    const blocks: Block[] = [leaf];
    let child = leaf.cid;
    for (let i = 0; i < 40; i++) {
      const next = folder([['a', child], ['b', child]]);
      blocks.push(next);
      child = next.cid;
    }
    const { manifest, sig } = signedManifest();
    const root = folder([['manifest.json', manifest.cid], ['manifest.sig', sig.cid], ['x', child]]);
    const file = await writeCarFile('bomb.car', [root.cid], [root, manifest, sig, ...blocks]);
    const message = "the CAR's folders name more than 2000000 files (the same folders linked again and again?); it is not a site newsmirror sealed";
    expect(await verify({ source: file, publicKey })).toEqual({ ok: false, version: 9, cid: root.cid.toString(), problems: [{ path: file, kind: 'unreadable', detail: `cannot list the files: ${message}` }] });
    await expect(startServer({ source: file, port: 0 })).rejects.toThrow(message);
  }, 30_000);

  it('a block stored twice is harmless; a root that is not in the CAR is named', async () => {
    const { manifest, sig } = signedManifest();
    const root = folder([['manifest.json', manifest.cid], ['manifest.sig', sig.cid]]);
    const twice = await writeCarFile('twice.car', [root.cid], [root, manifest, manifest, sig, sig]);
    expect(await verify({ source: twice, publicKey })).toEqual({ ok: true, version: 9, cid: root.cid.toString(), problems: [] });
    const rootless = await writeCarFile('rootless.car', [root.cid], [manifest, sig]);
    expect(await verify({ source: rootless, publicKey })).toEqual({
      ok: false,
      cid: root.cid.toString(),
      problems: [
        { path: root.cid.toString(), kind: 'root', detail: 'the root block is not in the CAR' },
        { path: 'manifest.json', kind: 'unreadable', code: 'ERR_MISSING_BLOCK', detail: `block ${root.cid.toString()} is not in the archive (or failed its hash check)` },
      ],
    });
  });
});
