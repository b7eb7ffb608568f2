/** Golden CIDs for the unixfs-v1-2025 profile, checked against the importer run independently, and CAR files that hold exactly those blocks. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import { CID } from 'multiformats/cid';
import { importer } from 'ipfs-unixfs-importer';
import { describe, expect, it } from 'vitest';
import { discardBlocks, importTree, writeCar, type DagEntry, CarFile } from '../../src/sealed/index.ts';
import { useTempDir } from '../seal/site-fixture.ts';

const enc = (s: string) => new TextEncoder().encode(s);

/** The importer with nothing but the profile (its own default concurrency): the reference. */
async function reference(entries: DagEntry[]): Promise<{ root: string; blocks: Map<string, Uint8Array> }> {
  const blocks = new Map<string, Uint8Array>();
  const store = { put: async (cid: { toString(): string }, bytes: Uint8Array) => { blocks.set(cid.toString(), bytes); return cid; } };
  let root = '';
  const source = entries.map((e) => (e.content ? { path: e.path, content: e.content } : { path: e.path }));
  for await (const r of importer(source, store as never, { profile: 'unixfs-v1-2025', wrapWithDirectory: true })) root = r.cid.toString();
  return { root, blocks };
}

const big = new Uint8Array(2_621_440);
for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 11)) & 0xff;

const cases: { name: string; entries: DagEntry[]; cid: string; blocks: number }[] = [
  { name: 'a single file', entries: [{ path: 'hello.txt', content: enc('hello\n') }], cid: 'bafybeigdcg7pksx2zk5336vrfsktjodlr4rbfz37qr3koc5xboxe5ekv24', blocks: 2 },
  {
    name: 'nested folders and an empty one',
    entries: [{ path: 'a/b/c.html', content: enc('<p>c</p>\n') }, { path: 'a/d.html', content: enc('<p>d</p>\n') }, { path: 'index.html', content: enc('<h1>i</h1>\n') }, { path: 'empty' }],
    cid: 'bafybeicmo4ncv2tccoq3djh33q5mswhiptmqldzfuqy5wfcglyespsc6zi',
    blocks: 7,
  },
  {
    name: 'a folder of 1,500 short names (block under 256 KiB: stays flat)',
    entries: Array.from({ length: 1500 }, (_, i) => ({ path: `f/${String(i).padStart(4, '0')}.html`, content: enc(`<p>${i}</p>\n`) })),
    cid: 'bafybeigchtd6cr4g3vceghvs4b4qmca3nxycvzhmtqh2dnspchkbswhb6e',
    blocks: 1502,
  },
  {
    name: 'a folder of 1,500 long names (block over 256 KiB: HAMT-sharded)',
    entries: Array.from({ length: 1500 }, (_, i) => ({ path: `f/${String(i).padStart(4, '0')}-${'x'.repeat(180)}.html`, content: enc(`<p>${i}</p>\n`) })),
    cid: 'bafybeid7mbcwfnrl45wxyfrfye7psy6si5d6lwhyyu2perkx73etey72pu',
    blocks: 1764,
  },
  { name: 'a 2.5 MiB file (three 1 MiB raw leaves)', entries: [{ path: 'big.bin', content: big }], cid: 'bafybeidikynr3xsk7jb7whaejbjael2ixki454wgtdeo2yj4rtq3q4soya', blocks: 4 },
];

const tmp = useTempDir('newsmirror-car-');

describe('unixfs-v1-2025 CIDs', () => {
  for (const c of cases) {
    it(`${c.name}: golden CID, same as the importer alone, and a CAR of exactly its blocks`, async () => {
      const ref = await reference(c.entries);
      expect(ref.root).toBe(c.cid);
      expect(ref.blocks.size).toBe(c.blocks);
      expect((await importTree(c.entries, discardBlocks)).toString()).toBe(c.cid);
      const out = join(tmp(), `${c.cid}.car`);
      const written = await writeCar(c.entries, out);
      expect(written.root.toString()).toBe(c.cid);
      expect(written.blocks).toBe(c.blocks);
      const car = await CarFile.open(out);
      expect(car.problems).toEqual([]);
      expect(car.roots.map(String)).toEqual([c.cid]);
      for (const [cid, bytes] of ref.blocks) {
        const got = await car.getBlock(CID.parse(cid));
        expect(got && Buffer.compare(got, bytes), cid).toBe(0);
      }
      await car.close();
    });
  }

  it('matches CIDs Kubo publishes: "hello\\n" as a raw leaf, and the empty folder', async () => {
    const ref = await reference([{ path: 'hello.txt', content: enc('hello\n') }, { path: 'empty' }]);
    expect(ref.blocks.has('bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am')).toBe(true);
    expect(ref.blocks.has('bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354')).toBe(true);
  });

  it('shards the long-name folder as a HAMT with fanout 256 and keeps the short-name one flat', async () => {
    const kind = async (entries: DagEntry[]) => {
      const ref = await reference(entries);
      const root = dagPb.decode(ref.blocks.get(ref.root)!);
      const f = dagPb.decode(ref.blocks.get(root.Links[0]!.Hash.toString())!);
      const unixfs = UnixFS.unmarshal(f.Data!);
      return { type: unixfs.type, fanout: unixfs.fanout, links: f.Links.length };
    };
    expect(await kind(cases[2]!.entries)).toEqual({ type: 'directory', fanout: undefined, links: 1500 });
    const sharded = await kind(cases[3]!.entries);
    expect(sharded.type).toBe('hamt-sharded-directory');
    expect(sharded.fanout).toBe(256n);
  });

  it('writes the same CAR bytes twice', async () => {
    const entries = cases[1]!.entries;
    await writeCar(entries, join(tmp(), 'one.car'));
    await writeCar(entries, join(tmp(), 'two.car'));
    expect(Buffer.compare(await readFile(join(tmp(), 'one.car')), await readFile(join(tmp(), 'two.car')))).toBe(0);
  });
});
