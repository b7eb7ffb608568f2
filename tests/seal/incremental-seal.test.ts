/**
 * An incremental seal (hash cache, blocks from the previous site.car, records
 * and CAR pieces from the previous site.zip) writes exactly what a seal with
 * no cache and no dist/ writes: manifest, signature, CAR, cid.txt, zip,
 * SHA256SUMS, release record and deltas. A damaged previous CAR or zip, or an
 * edited cache, never leaks into the output.
 */
import { open, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seal } from '../../src/seal/index.ts';
import { parsePublicKey, rawCid } from '../../src/sealed/index.ts';
import { PreviousCar } from '../../src/build-cache/car-reuse.ts';
import { verify } from '../../src/verify/index.ts';
import type { Reporter } from '../../src/core/log.ts';
import { changeSite, cleanSeal, differences, makeIncrementalProject, sealOutputs } from './incremental-fixture.ts';
import type { Project } from './site-fixture.ts';

let project: Project;
let lines: string[];
const reporter: Reporter = { info: (l) => lines.push(l), warn: (l) => lines.push(l), progress: (l) => lines.push(l) };

beforeEach(async () => {
  project = await makeIncrementalProject();
  lines = [];
});
afterEach(async () => {
  await project.cleanup();
});

/** Seal a clean copy of the project (no dist/, no cache) and return its outputs. */
const line = (prefix: string) => lines.find((l) => l.startsWith(prefix));

describe('incremental seal', () => {
  it('after new, changed and removed files equals a clean seal byte for byte, reading only the changed files', async () => {
    await seal({ root: project.root, key: project.key });
    const { changed } = await changeSite(project.site);
    lines = [];
    const report = await seal({ root: project.root, key: project.key, reporter });
    const incremental = await sealOutputs(project.root);
    expect(differences(incremental, await cleanSeal(project))).toEqual([]);
    // 100 articles - 2 removed + 3 new, 4 listings, build.json, empty.txt, big.bin, 40 fragments; and the SHA256SUMS pair.
    expect(report.files).toBe(101 + 4 + 3 + 40 + 2);
    expect(changed).toBe(7);
    expect(line('seal: 7 of 148 files read and hashed')).toBe('seal: 7 of 148 files read and hashed, the others unchanged since the last seal');
    // The 141 unchanged files' blocks come from the previous CAR; the rest are folders, the changed files, the manifest and SHA256SUMS pairs.
    expect(line('seal: 141 of 177 blocks')).toBe('seal: 141 of 177 blocks of site.car taken from the previous one');
    expect(line('seal: 141 of 152 files')).toBe('seal: 141 of 152 files in site.zip reused from the previous bundle');
    expect(line('seal: 1 of 10 pieces')).toBe('seal: 1 of 10 pieces of site.car in site.zip reused from the previous bundle');
    for (const source of [project.site, join(project.dist, 'site.car'), join(project.dist, 'site.zip')]) {
      const result = await verify({ source, publicKey: parsePublicKey(project.publicKey) });
      expect(result.problems).toEqual([]);
      expect(result.version).toBe(report.version);
    }
    // Nothing of the staging folder is left behind.
    await expect(stat(join(project.root, '.newsmirror', 'seal-commit'))).rejects.toThrow();
  });

  it('sealing again with nothing changed reads nothing and rewrites the same bytes', async () => {
    await seal({ root: project.root, key: project.key });
    const first = await sealOutputs(project.root);
    await seal({ root: project.root, key: project.key, reporter });
    expect(line('seal: 0 of 147 files read and hashed')).toBeDefined();
    expect(line('seal: 149 of 151 files in site.zip')).toBeDefined();
    expect(line('seal: 10 of 10 pieces')).toBeDefined();
    expect(differences(await sealOutputs(project.root), first)).toEqual([]);
  });

  it('a truncated previous site.car only costs reading: same bytes as a clean seal', async () => {
    await seal({ root: project.root, key: project.key });
    await changeSite(project.site);
    const car = join(project.dist, 'site.car');
    await truncate(car, Math.floor((await stat(car)).size / 2));
    await seal({ root: project.root, key: project.key, reporter });
    expect(differences(await sealOutputs(project.root), await cleanSeal(project))).toEqual([]);
    const taken = Number(/^seal: (\d+) of 177 blocks/.exec(lines.find((l) => l.includes('blocks of site.car taken'))!)![1]);
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(141);
  });

  it('a previous site.car with flipped bytes (same size and mtime) never leaks: the block is read from the file', async () => {
    await seal({ root: project.root, key: project.key });
    await changeSite(project.site);
    const car = join(project.dist, 'site.car');
    const before = await stat(car);
    const handle = await open(car, 'r+');
    const bytes = Buffer.alloc(4096);
    await handle.read(bytes, 0, bytes.length, 20_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ 0xff;
    await handle.write(bytes, 0, bytes.length, 20_000);
    await handle.close();
    await utimes(car, before.atime, before.mtime);
    await seal({ root: project.root, key: project.key, reporter });
    expect(differences(await sealOutputs(project.root), await cleanSeal(project))).toEqual([]);
  });

  it('leaves the block index of the site.car it wrote for the next seal; a damaged or foreign one only costs a scan: same bytes as a clean seal', async () => {
    await seal({ root: project.root, key: project.key });
    const indexPath = join(project.root, '.newsmirror', 'cache', 'car-index.bin');
    const car = join(project.dist, 'site.car');
    const index = await readFile(indexPath);
    const blocks = Number(/ (\d+)$/.exec(index.toString('latin1', 0, index.indexOf(10)))![1]);
    const previous = PreviousCar.open(car, index)!;
    expect([previous.from, previous.size]).toEqual(['cache', blocks]);
    const page = await readFile(join(project.site, 'index.html'));
    expect(previous.frame(rawCid(page))?.subarray(-page.length).equals(page)).toBe(true);
    previous.close();
    for (const [round, damaged] of [index.subarray(0, 100), Buffer.concat([index.subarray(0, index.indexOf(10) + 1), Buffer.alloc(index.length - index.indexOf(10) - 1, 0xff)])].entries()) {
      await changeSite(project.site, round + 1);
      await writeFile(indexPath, damaged);
      lines = [];
      await seal({ root: project.root, key: project.key, reporter });
      expect(lines.find((l) => l.includes('blocks of site.car taken'))).toMatch(/^seal: [1-9]\d* of \d+ blocks of site\.car taken from the previous one$/);
      expect(differences(await sealOutputs(project.root), await cleanSeal(project))).toEqual([]);
    }
  });

  it('a hash cache that is not one stat key per file of the manifest in dist/ is not trusted: every file read, same bytes as a clean seal', async () => {
    await seal({ root: project.root, key: project.key });
    await changeSite(project.site);
    const cachePath = join(project.root, '.newsmirror', 'cache', 'seal-hashes.json');
    const cache = JSON.parse(await readFile(cachePath, 'utf8')) as { format: number; manifest: string; stats: string[] };
    expect(cache.format).toBe(2);
    expect(cache.stats).toHaveLength(149);
    expect(cache.stats.slice(0, 3)).toEqual(['', '', expect.stringMatching(/^\d+:[\d.]+:\d+$/)]);
    // One key short: the keys no longer line up with the manifest's files.
    await writeFile(cachePath, JSON.stringify({ ...cache, stats: cache.stats.slice(1) }));
    await seal({ root: project.root, key: project.key, reporter });
    expect(line('seal: 148 of 148 files read and hashed')).toBe('seal: 148 of 148 files read and hashed, the others unchanged since the last seal');
    expect(differences(await sealOutputs(project.root), await cleanSeal(project))).toEqual([]);
    // Written with another manifest (format 1's shape too): not trusted either.
    await changeSite(project.site, 2);
    await writeFile(cachePath, JSON.stringify({ format: 1, manifest: cache.manifest, files: {} }));
    lines = [];
    await seal({ root: project.root, key: project.key, reporter });
    expect(lines.find((l) => l.includes('read and hashed'))).toMatch(/^seal: (\d+) of \1 files read and hashed/);
  });

  it('a previous site.zip with another mtime (restored from a CI cache) is reused when its bytes are the stamped ones, and not after one changed byte', async () => {
    await seal({ root: project.root, key: project.key });
    await changeSite(project.site);
    const zip = join(project.dist, 'site.zip');
    await utimes(zip, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    await seal({ root: project.root, key: project.key, reporter });
    expect(line('seal: 141 of 152 files in site.zip')).toBe('seal: 141 of 152 files in site.zip reused from the previous bundle');
    expect(differences(await sealOutputs(project.root), await cleanSeal(project))).toEqual([]);
    // The same size, one byte flipped in the middle, another mtime: deflated again, never copied.
    await changeSite(project.site, 2);
    const size = (await stat(zip)).size;
    const handle = await open(zip, 'r+');
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, Math.floor(size / 2));
    await handle.write(Buffer.from([byte[0]! ^ 0xff]), 0, 1, Math.floor(size / 2));
    await handle.close();
    lines = [];
    await seal({ root: project.root, key: project.key, reporter });
    expect(lines.filter((l) => l.includes('in site.zip reused'))).toEqual([]);
    expect(differences(await sealOutputs(project.root), await cleanSeal(project))).toEqual([]);
  });

  it('a damaged previous site.zip or piece index only costs deflating: same bytes as a clean seal', async () => {
    await seal({ root: project.root, key: project.key });
    await changeSite(project.site);
    const stampPath = join(project.root, '.newsmirror', 'cache', 'zip.json');
    const stamp = JSON.parse(await readFile(stampPath, 'utf8')) as { car: [string, number][] };
    stamp.car[1]![1] += 1;
    await writeFile(stampPath, JSON.stringify(stamp));
    await seal({ root: project.root, key: project.key, reporter });
    expect(line('seal: 141 of 152 files in site.zip')).toBeDefined();
    expect(line('seal: 0 of 10 pieces')).toBeDefined();
    expect(differences(await sealOutputs(project.root), await cleanSeal(project))).toEqual([]);
    // And a cache folder deleted outright: a cold seal, the same bytes again.
    await changeSite(project.site, 2);
    await rm(join(project.root, '.newsmirror', 'cache'), { recursive: true });
    lines = [];
    await seal({ root: project.root, key: project.key, reporter });
    expect(line('seal: 149 of 149 files read and hashed')).toBeDefined();
    expect(differences(await sealOutputs(project.root), await cleanSeal(project))).toEqual([]);
  });
});
