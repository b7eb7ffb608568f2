/**
 * The CAR plan made from file hashes gives the same root and the same blocks
 * in the same order as importing the bytes (importTree, as writeCar does),
 * for one-chunk, empty, exactly-one-chunk and multi-chunk files, duplicates,
 * empty folders and a folder big enough to be sharded; and adding the
 * manifest pair to a planned root equals planning the whole set.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addToRoot, importTree, planTree, type PlanFile } from '../../src/sealed/index.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function site(many: number): Record<string, Buffer> {
  const files: Record<string, Buffer> = {
    'a.html': Buffer.from('hello'),
    'empty.txt': Buffer.alloc(0),
    'dup1.txt': Buffer.from('same'),
    'x/dup2.txt': Buffer.from('same'),
    'big/one-mib.bin': Buffer.alloc(1 << 20, 3),
    'big/over.bin': Buffer.alloc((1 << 20) + 1, 4),
    'big/huge.bin': Buffer.from(Array.from({ length: 2_621_447 }, (_, i) => Math.imul(i, 2654435761) >>> 24)),
    'zz/last.html': Buffer.from('last'),
  };
  for (let i = 0; i < many; i++) files[`many/article-with-a-rather-long-name-${i}.html`] = Buffer.from(`<p>${i}</p>`);
  return files;
}

const planFiles = (files: Record<string, Buffer>, paths: string[]): PlanFile[] =>
  paths.map((path) => ({ path, size: files[path]!.length, sha256: sha(files[path]!), chunks: async function* () { yield files[path]!; } }));

/** Root and ordered block CIDs from importing the bytes. */
async function imported(files: Record<string, Buffer>, paths: string[]): Promise<{ root: string; blocks: string[] }> {
  const blocks: string[] = [];
  const seen = new Set<string>();
  const root = await importTree([{ path: 'emptydir' }, ...paths.map((path) => ({ path, content: files[path]! }))], {
    put(cid) {
      const key = cid.toString();
      if (!seen.has(key)) blocks.push(key);
      seen.add(key);
    },
  });
  return { root: root.toString(), blocks };
}

describe('planTree', () => {
  it('gives the importer\'s root and block order without the bytes of one-chunk files, HAMT folder included', async () => {
    const files = site(4000); // 3,000 of these links still fit a flat folder block (253,894 bytes); 4,000 make it a HAMT
    const paths = Object.keys(files).sort();
    const want = await imported(files, paths);
    const plan = await planTree([{ path: 'emptydir' }, ...planFiles(files, paths)], { blocks: true });
    expect(plan.root.toString()).toBe(want.root);
    expect(plan.blocks.map((b) => b.cid.toString())).toEqual(want.blocks);
    // One-chunk files are ranges of their file, never bytes in memory.
    expect(plan.blocks.find((b) => b.file === 'a.html')?.source).toEqual({ path: 'a.html', offset: 0, length: 5 });
    expect(plan.blocks.filter((b) => b.file === 'big/huge.bin').map((b) => ('bytes' in b.source ? 'node' : b.source.offset))).toEqual([0, 1 << 20, 2 << 20, 'node']);
  });

  it('adding manifest.json (two chunks) and manifest.sig to a planned root equals planning the whole set', async () => {
    const files = site(50);
    files['manifest.json'] = Buffer.alloc(1_500_000, 7);
    files['manifest.sig'] = Buffer.from('s'.repeat(64));
    files['a.html'] = Buffer.from('s'.repeat(64)); // the same bytes as manifest.sig: its block comes first
    const all = Object.keys(files).sort();
    const content = all.filter((p) => !p.startsWith('manifest.'));
    const whole = await planTree([{ path: 'emptydir' }, ...planFiles(files, all)], { blocks: true });
    const patched = await addToRoot(await planTree([{ path: 'emptydir' }, ...planFiles(files, content)], { blocks: true }), planFiles(files, ['manifest.json', 'manifest.sig']));
    expect(patched?.root.toString()).toBe(whole.root.toString());
    expect(patched?.blocks.map((b) => `${b.file} ${b.cid.toString()}`)).toEqual(whole.blocks.map((b) => `${b.file} ${b.cid.toString()}`));
    expect((await imported(files, all)).root).toBe(whole.root.toString());
  });
});
