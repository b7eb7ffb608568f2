/**
 * Cache correctness: after each kind of change, build + seal with the caches
 * of the previous seal (fingerprints, the previous bundle's compressed entries)
 * gives exactly the bytes of a clean run on the same inputs with every cache
 * deleted: site, manifest, signature, CAR and zip.
 */
import { appendFile, cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentReporter, type Reporter } from '../../src/core/log.ts';
import { build } from '../../src/render/index.ts';
import { generateKey, loadSigningKey, seal } from '../../src/seal/index.ts';
import { takedown } from '../../src/staff/takedown.ts';
import { articleHtml, generatedFrontMatter, makeProject, prng, writeArticle } from '../render/fixtures.ts';

let work: string;
let root: string;
let key: KeyObject;
const OUTLETS = ['steppe-herald', 'alma-daily'];

async function buildAndSeal(dir: string, reporter: Reporter = silentReporter) {
  await build({ root: dir });
  return seal({ root: dir, key, reporter });
}

/** Every file under `dir` (relative path → bytes), skipping the caches. */
async function tree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const abs = join(entry.parentPath, entry.name);
    out.set(abs.slice(dir.length + 1), await readFile(abs));
  }
  return out;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'nm-incremental-'));
  root = join(work, 'project');
  await generateKey(join(work, 'key.pem'));
  key = await loadSigningKey({ keyFile: join(work, 'key.pem'), env: {} });
  await makeProject(root, { articles: 40, outlets: OUTLETS, words: 200 });
  await buildAndSeal(root);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** [what changed, the change, whether it touches only some pages (so most bundle entries are reused)] */
const changes: [string, () => Promise<unknown>, boolean][] = [
  ['new articles', async () => {
    const random = prng(99);
    for (let i = 40; i < 43; i++) await writeArticle(root, generatedFrontMatter(i, OUTLETS[i % 2]!, 'ru', random), articleHtml(200, 'ru', random));
  }, true],
  ['an edited article', () => appendFile(join(root, 'content/alma-daily/2020/01/0000000000000005.md'), '<p>Поправка редакции.</p>\n'), true],
  ['a takedown', () => takedown({ root, target: 'steppe-herald/0000000000000002', reason: 'court order', now: new Date('2026-02-01T00:00:00Z') }), true],
  ['a changed site.yaml', async () => writeFile(join(root, 'content/_data/site.yaml'), (await readFile(join(root, 'content/_data/site.yaml'), 'utf8')).replace('pageSize: 30', 'pageSize: 10')), false],
  ['a changed mirror list', () => writeFile(join(root, 'mirrors/backup.yaml'), 'name: backup\ntype: dir\nurl: https://backup.example/\npath: /srv/backup\n'), false],
];

describe('an incremental build + seal equals a clean one byte for byte', () => {
  it.each(changes)('after %s', async (_what, change, local) => {
    const before = join(work, `before-${Math.random().toString(36).slice(2)}`);
    await cp(root, before, { recursive: true });
    await change();
    const lines: string[] = [];
    await buildAndSeal(root, { info: (l) => lines.push(l), warn: (l) => lines.push(`warning: ${l}`), progress() {} });
    // Entries came from the previous bundle: most of them when the change touches some pages only (the footer's mirror list is on every page).
    const reused = /seal: (\d+) of (\d+) files in site\.zip reused from the previous bundle/.exec(lines.join('\n'));
    expect(reused, lines.join('\n')).not.toBeNull();
    expect(Number(reused![1])).toBeGreaterThan(local ? Number(reused![2]) / 2 : 0);
    expect(Number(reused![1])).toBeLessThan(Number(reused![2]));

    // The clean run: the same project as it was, the same change, no caches, no previous site or bundle.
    const clean = join(work, `clean-${Math.random().toString(36).slice(2)}`);
    await cp(before, clean, { recursive: true });
    for (const dir of ['.newsmirror/cache', '_site', 'dist/site.zip', 'dist/site.car']) await rm(join(clean, dir), { recursive: true, force: true });
    const saved = root;
    root = clean;
    try {
      await change();
    } finally {
      root = saved;
    }
    await buildAndSeal(clean);
    for (const dir of ['_site', 'dist']) {
      const [ours, theirs] = [await tree(join(root, dir)), await tree(join(clean, dir))];
      expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
      for (const [path, bytes] of ours) expect(bytes.equals(theirs.get(path)!) ? '' : `${dir}/${path} differs:\n${bytes.toString('utf8', 0, 2000)}\n${theirs.get(path)!.toString('utf8', 0, 2000)}`).toBe('');
    }
    await rm(clean, { recursive: true, force: true });
    await rm(before, { recursive: true, force: true });
  });
});
