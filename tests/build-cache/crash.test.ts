/**
 * SIGKILL at several points of an incremental build + seal: the next run
 * completes and gives exactly the bytes of a clean run (site, manifest, CAR,
 * zip), whatever the killed run left behind (half-written temp files, a new
 * manifest beside the old CAR, caches of the run before).
 */
import { spawn } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/render/index.ts';
import { recoverSite } from '../../src/build-cache/recover.ts';
import { generateKey, loadSigningKey, seal } from '../../src/seal/index.ts';
import { articleHtml, generatedFrontMatter, makeProject, prng, writeArticle } from '../render/fixtures.ts';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
let work: string;
let base: string;
let clean: string;
let keyFile: string;
let key: KeyObject;

async function addArticles(root: string): Promise<void> {
  const random = prng(5);
  for (let i = 30; i < 33; i++) await writeArticle(root, generatedFrontMatter(i, 'steppe-herald', 'ru', random), articleHtml(200, 'ru', random));
}

/** Every file of _site/ and dist/ (relative path → bytes); temp files a killed run left are not outputs. */
async function outputs(root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const dir of ['_site', 'dist']) {
    for (const entry of await readdir(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || entry.name.endsWith('.tmp')) continue;
      const abs = join(entry.parentPath, entry.name);
      out.set(abs.slice(root.length + 1), await readFile(abs));
    }
  }
  return out;
}

function runChild(root: string, killAt: string, delayMs: number, step = ''): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, NEWSMIRROR_TEST_KILL_AT: step };
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, root, keyFile, killAt, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout }));
  });
}

/** A copy of the base project with the change, whose build + seal was killed at `step` (a kill point): its root. */
async function killedAt(name: string, step: string): Promise<string> {
  const root = join(work, name);
  await cp(base, root, { recursive: true });
  await addArticles(root);
  const killed = await runChild(root, 'never a report line', 0, step);
  expect(killed.signal).toBe('SIGKILL');
  return root;
}

/** Build and seal `root` again: every output is the bytes of the clean run. */
async function expectCleanRunAfter(root: string): Promise<void> {
  await build({ root });
  await seal({ root, key });
  const [ours, theirs] = [await outputs(root), await outputs(clean)];
  expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
  for (const [path, bytes] of ours) expect(bytes.equals(theirs.get(path)!) ? '' : `${path} differs`).toBe('');
  await rm(root, { recursive: true, force: true });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'nm-crash-'));
  keyFile = join(work, 'key.pem');
  await generateKey(keyFile);
  key = await loadSigningKey({ keyFile, env: {} });
  base = join(work, 'base');
  await makeProject(base, { articles: 30, outlets: ['steppe-herald'], words: 200 });
  await build({ root: base });
  await seal({ root: base, key });
  // The clean result: the same change, built and sealed with no caches and no previous outputs but the manifest.
  clean = join(work, 'clean');
  await cp(base, clean, { recursive: true });
  for (const dir of ['.newsmirror/cache', '_site', 'dist/site.zip', 'dist/site.car']) await rm(join(clean, dir), { recursive: true, force: true });
  await addArticles(clean);
  await build({ root: clean });
  await seal({ root: clean, key });
}, 120_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('SIGKILL during an incremental build + seal', () => {
  it.each([
    ['while Eleventy renders', 'build: rendering', 400],
    ['after the new manifest is written, before the CAR', 'seal: writing dist/site.car', 0],
    ['while the zip is written', 'seal: writing dist/site.zip', 100],
  ])('%s: the next run completes with the bytes of a clean run', async (_when, killAt, delayMs) => {
    const root = join(work, `kill-${Math.random().toString(36).slice(2)}`);
    await cp(base, root, { recursive: true });
    await addArticles(root);
    const killed = await runChild(root, killAt, delayMs);
    // A kill at a line is certain; one some milliseconds later may come after the child finished.
    if (delayMs === 0 || killed.signal !== 'SIGKILL') expect(killed.signal === 'SIGKILL' ? 'killed' : killed.stdout).toBe(delayMs === 0 ? 'killed' : 'finished\n');
    await expectCleanRunAfter(root);
  });

  // A build that kept pages commits into _site/ in place (build-cache/recover.ts): before its journal is on disk
  // _site/ is the previous site, untouched; after, any command rolls the commit forward first.
  it('killed before the in-place commit of a build: _site/ is the previous site exactly, and the next run gives the bytes of a clean run', async () => {
    const root = await killedAt('kill-before-commit', 'build:before-swap');
    const [site, previous] = [await outputs(root), await outputs(base)];
    expect([...site.keys()].filter((p) => p.startsWith('_site/')).sort()).toEqual([...previous.keys()].filter((p) => p.startsWith('_site/')).sort());
    for (const [path, bytes] of site) if (path.startsWith('_site/')) expect(bytes.equals(previous.get(path)!) ? '' : `${path} differs`).toBe('');
    expect(await recoverSite(root)).toBe('intact');
    await expectCleanRunAfter(root);
  });

  it.each(['build:mid-swap', 'build:move:1'])('killed in the in-place commit of a build (%s): the commit is finished first, _site/ never looks sealed, and seal alone gives the bytes of a clean run', async (step) => {
    const root = await killedAt(`kill-${step.replace(/:/g, '-')}`, step);
    const journal = JSON.parse(await readFile(join(root, '.newsmirror/build-commit.json'), 'utf8')) as { removes: string[]; moves: string[] };
    // The seal's files go first; 3 new article pages and the listings are moved in.
    expect(journal.removes).toEqual(expect.arrayContaining(['SHA256SUMS', 'SHA256SUMS.sig', 'manifest.json', 'manifest.sig']));
    expect(journal.moves).toContain('pagefind/shards.json');
    expect(journal.moves.filter((p) => /^steppe-herald\/\d{4}\/\d{2}\/[^/]+\.html$/.test(p))).toHaveLength(3);
    await expect(readFile(join(root, '_site/manifest.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    // seal finishes the build first (as build and run do), then seals what it finds.
    await seal({ root, key });
    await expect(readFile(join(root, '.newsmirror/build-commit.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readdir(join(root, '_site.new'))).rejects.toMatchObject({ code: 'ENOENT' });
    const [ours, theirs] = [await outputs(root), await outputs(clean)];
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    for (const [path, bytes] of ours) expect(bytes.equals(theirs.get(path)!) ? '' : `${path} differs`).toBe('');
  });

  it('killed after the first removal of the in-place commit: that was _site/manifest.json, so _site/ does not look sealed; the next run gives the bytes of a clean run', async () => {
    const root = await killedAt('kill-remove-1', 'build:remove:1');
    await expect(readFile(join(root, '_site/manifest.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readFile(join(root, '_site/manifest.sig'))).length).toBe(64);
    expect(await recoverSite(root)).toBe('finished');
    await expectCleanRunAfter(root);
  });

  it('a damaged build journal stops the next command with a clear error', async () => {
    const root = join(work, 'damaged-journal');
    await cp(base, root, { recursive: true });
    await writeFile(join(root, '.newsmirror/build-commit.json'), '{"format":1,"removes":["../etc/passwd"],"moves":[]}\n');
    await expect(recoverSite(root)).rejects.toThrow('.newsmirror/build-commit.json is damaged, so an interrupted build cannot be finished; delete it and _site/, then run `newsmirror build`');
    await expect(build({ root })).rejects.toMatchObject({ code: 'ERR_SITE_RECOVERY' });
    await rm(root, { recursive: true, force: true });
  });

  // The commit had moved _site/manifest.json into place when the seal was killed; the next
  // build replaces _site/, so it must finish the seal first or that file is lost to both.
  it('after the first move of a committed seal: the next build finishes it, and the run after gives the bytes of a clean run', async () => {
    const root = await killedAt('kill-apply', 'apply:1');
    const journal = JSON.parse(await readFile(join(root, '.newsmirror/seal-commit/journal.json'), 'utf8')) as { moves: [string, string][] };
    expect(journal.moves[0]).toEqual(['0-manifest.json', '_site/manifest.json']);
    await expectCleanRunAfter(root);
  });
});
