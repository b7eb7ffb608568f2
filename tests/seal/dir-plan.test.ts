/**
 * Folders planned without the importer (dir-plan.ts) give exactly the
 * importer's plan: the same root and the same blocks in the same order, with
 * nested and empty folders, files over one chunk, names whose order differs
 * by UTF-16 code unit, by locale and by UTF-8 byte, a file and a folder named
 * alike ("a.html" before "a/" in the input, after it among the links); and a
 * tree with a folder big enough to be sharded is left to the importer.
 */
import { createHash } from 'node:crypto';
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import { describe, expect, it } from 'vitest';
import { comparePaths, importPlan, importTree, planTree, rawLeafCid, type PlanDir, type PlanFile } from '../../src/sealed/index.ts';
import { folderNode, planDirs } from '../../src/sealed/dir-plan.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function tree(hamt: boolean): { files: Record<string, Buffer>; dirs: string[] } {
  const files: Record<string, Buffer> = {
    'index.html': Buffer.from('<h1>home</h1>'),
    'Zebra.html': Buffer.from('Z sorts before a by code unit, after it by locale'),
    'apple.html': Buffer.from('apple'),
    'é.html': Buffer.from('e acute: after z by byte, beside e by locale'),
    '\uff21.html': Buffer.from('fullwidth A: before the emoji by UTF-8 byte, after it by UTF-16 code unit'),
    '\u{1f600}.html': Buffer.from('emoji'),
    'a.html': Buffer.from('file a.html'),
    'a/inner.html': Buffer.from('a folder named like a file'),
    'news/2026/01/one.html': Buffer.from('one'),
    'news/2026/01/two.html': Buffer.from('two'),
    'news/2026/02/one.html': Buffer.from('one'), // the same bytes as news/2026/01/one.html: one block
    'news/2026/02/big.bin': Buffer.from(Array.from({ length: (1 << 20) * 2 + 999 }, (_, i) => Math.imul(i, 2654435761) >>> 24)),
    'news/2026/02/exactly-one-chunk.bin': Buffer.alloc(1 << 20, 9),
    'news/empty.txt': Buffer.alloc(0),
  };
  // 3,000 such links make a block of 253,894 bytes, still flat; 4,000 pass the 256 KiB threshold.
  if (hamt) for (let i = 0; i < 4000; i++) files[`archive/article-with-a-rather-long-name-${i}.html`] = Buffer.from(`<p>${i}</p>`);
  return { files, dirs: ['empty', 'news/2026/03', 'news/2026/04/deeper'] };
}

/** The entries as seal gives them: empty folders first, then files by path (UTF-8 byte order). */
function entries({ files, dirs }: { files: Record<string, Buffer>; dirs: string[] }): (PlanFile | PlanDir)[] {
  const paths = Object.keys(files).sort(comparePaths);
  return [
    ...dirs.sort(comparePaths).map((path) => ({ path })),
    ...paths.map((path) => ({ path, size: files[path]!.length, sha256: sha(files[path]!), chunks: async function* () { yield files[path]!; } })),
  ];
}

const listed = (plan: { blocks: { cid: { toString(): string }; file?: string; source: object }[] }) =>
  plan.blocks.map((b) => `${b.cid.toString()} ${b.file ?? '-'} ${'bytes' in b.source ? `${(b.source.bytes as Uint8Array).length} bytes` : JSON.stringify(b.source)}`);

describe('folderNode', () => {
  it('writes the bytes @ipld/dag-pb writes: no links, long names, large Tsizes, names out of order', () => {
    const cid = (i: number) => rawLeafCid(sha(Buffer.from(String(i))));
    const cases: [string, { cid: ReturnType<typeof cid>; size: number }][][] = [
      [],
      [['only.html', { cid: cid(1), size: 5 }]],
      [
        ['z'.repeat(300), { cid: cid(2), size: 2 ** 40 + 3 }],
        ['\u{1f600}.html', { cid: cid(3), size: 127 }],
        ['\uff21.html', { cid: cid(4), size: 128 }],
        ['A.html', { cid: cid(5), size: 0 }],
      ],
    ];
    for (const links of cases) {
      const want = dagPb.encode(dagPb.prepare({ Data: new UnixFS({ type: 'directory' }).marshal(), Links: links.map(([Name, l]) => ({ Name, Hash: l.cid, Tsize: l.size })) }));
      const node = folderNode(links);
      expect(Buffer.from(node.bytes).toString('hex')).toBe(Buffer.from(want).toString('hex'));
      expect(node.size).toBe(want.length + links.reduce((sum, [, l]) => sum + l.size, 0));
    }
  });
});

describe('planDirs', () => {
  it('plans folders as the importer does: the same root and the same blocks in the same order', async () => {
    const t = tree(false);
    const ours = await planTree(entries(t), { blocks: true });
    const theirs = await importPlan(entries(t), { blocks: true });
    expect(ours.root.toString()).toBe(theirs.root.toString());
    expect(listed(ours)).toEqual(listed(theirs));
    expect(ours.blocks).toHaveLength(24);
    // And the importer over the bytes themselves (as writeCar does) names the same root and blocks.
    const blocks: string[] = [];
    const root = await importTree(
      entries(t).map((e) => ('sha256' in e ? { path: e.path, content: t.files[e.path]! } : { path: e.path })),
      { put: (cid) => void (blocks.includes(cid.toString()) || blocks.push(cid.toString())) },
    );
    expect(root.toString()).toBe(ours.root.toString());
    expect(blocks).toEqual(ours.blocks.map((b) => b.cid.toString()));
  });

  it('takes the fast path for that tree (no importer), and leaves a tree with a HAMT folder to it', async () => {
    const folders: number[] = [];
    const leaf = (e: PlanFile | PlanDir) => ({ cid: rawLeafCid(sha(Buffer.from(e.path))), size: 1 });
    expect(await planDirs(entries(tree(false)), leaf, (_cid, bytes) => folders.push(bytes.length))).toBeDefined();
    // The root, a/, news/, news/2026/ and its 01/, 02/ and 04/ (empty/, 03/ and 04/deeper/ are leaves).
    expect(folders).toHaveLength(7);
    expect(await planDirs(entries(tree(true)), leaf, () => {})).toBeUndefined();
  });

  it('plans a tree with a HAMT-sharded folder as the importer does', async () => {
    const t = tree(true);
    const ours = await planTree(entries(t), { blocks: true });
    const blocks: string[] = [];
    const root = await importTree(
      entries(t).map((e) => ('sha256' in e ? { path: e.path, content: t.files[e.path]! } : { path: e.path })),
      { put: (cid) => void (blocks.includes(cid.toString()) || blocks.push(cid.toString())) },
    );
    expect(ours.root.toString()).toBe(root.toString());
    expect(ours.blocks.map((b) => b.cid.toString())).toEqual(blocks);
    const types = ours.blocks.flatMap((b) => ('bytes' in b.source && b.file === undefined ? [UnixFS.unmarshal(dagPb.decode(b.source.bytes).Data!).type] : []));
    expect(types.filter((type) => type === 'hamt-sharded-directory').length).toBeGreaterThan(0);
    expect(types.at(-1)).toBe('directory');
  });
});
