/**
 * The step files beside kept manifests (.newsmirror/manifests/<version>.changes.json): a seal
 * parses only the newest kept manifest and puts the older deltas together from the steps. The
 * deltas are the bytes a seal that parses every kept manifest writes, whatever the history holds.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { appendFile, cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeltaHeader, parseManifest, ZipReader, type Manifest } from '../../src/sealed/index.ts';
import { composeChanges, manifestChanges } from '../../src/seal/delta.ts';
import { buildSite, makeProject, newKey, range, tempDir } from '../publish/helpers.ts';

/** v1 … v6 of a site: added, removed, a page removed and put back the same, one added and removed between two kept versions, every page edited. */
const BUILDS = [
  { articles: range(0, 11), built: '2026-02-01T10:00:00Z' },
  { articles: range(0, 13), built: '2026-02-02T10:00:00Z' },
  { articles: [0, 1, 2, 4, 5, 6, 7, 8, 9, 10], built: '2026-02-03T10:00:00Z' },
  { articles: range(0, 11), built: '2026-02-04T10:00:00Z' },
  { articles: [...range(0, 11), 12], built: '2026-02-05T10:00:00Z', edition: 2 },
  { articles: [...range(0, 11), 12], built: '2026-02-06T10:00:00Z', edition: 2 },
];
const LAST = BUILDS[BUILDS.length - 1]!;

/** dist/deltas/, dist/release.json and .newsmirror/manifests/ of a project: name → bytes. */
async function outputs(root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const dir of ['dist/deltas', '.newsmirror/manifests']) for (const name of (await readdir(join(root, dir))).sort()) out.set(`${dir}/${name}`, await readFile(join(root, dir, name)));
  out.set('dist/release.json', await readFile(join(root, 'dist/release.json')));
  return out;
}

describe('delta bundles from step files', () => {
  let key: KeyObject;
  let root: string;
  let before: string;
  let work: string;
  const versions: number[] = [];
  const manifests: Manifest[] = [];

  beforeAll(async () => {
    key = newKey();
    root = await makeProject(key);
    work = await tempDir('delta-steps');
    for (const [i, b] of BUILDS.entries()) {
      // The project as it was before the last seal, for sealing it again with a history changed.
      if (i === BUILDS.length - 1) await cp(root, (before = join(work, 'before')), { recursive: true });
      versions.push((await buildSite(root, key, b)).version);
      manifests.push(parseManifest(await readFile(join(root, '_site/manifest.json')), `v${i + 1}`));
    }
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('keeps a step file beside each kept manifest, naming the version before it, its sha256 and the entries that changed', async () => {
    expect((await readdir(join(root, '.newsmirror/manifests'))).sort()).toEqual(versions.flatMap((v) => [`${v}.changes.json`, `${v}.json`]).sort());
    const step = JSON.parse(await readFile(join(root, `.newsmirror/manifests/${versions[5]}.changes.json`), 'utf8')) as Record<string, unknown>;
    const sha = createHash('sha256').update(await readFile(join(root, `.newsmirror/manifests/${versions[5]}.json`))).digest('hex');
    // v5 → v6: only the date changed (index.html, build.json), and with them SHA256SUMS and its signature.
    expect(step).toEqual({
      format: 1,
      version: versions[5],
      sha256: sha,
      from: versions[4],
      changes: ['SHA256SUMS', 'SHA256SUMS.sig', 'build.json', 'index.html'].map((path) => [path, manifests[4]!.files.find((f) => f.path === path)!.sha256, manifests[5]!.files.find((f) => f.path === path)!.sha256]),
    });
    const first = JSON.parse(await readFile(join(root, `.newsmirror/manifests/${versions[0]}.changes.json`), 'utf8')) as Record<string, unknown>;
    expect(first).toMatchObject({ from: null, changes: [] });
  });

  it('each delta names exactly what differs between its two manifests (compared whole), through a page removed and put back and one added and removed', async () => {
    const last = manifests[5]!;
    for (const [i, from] of versions.slice(0, 5).entries()) {
      const zip = await ZipReader.open(join(root, 'dist/deltas', `${from}-${versions[5]}.zip`));
      const header = parseDeltaHeader(await zip.read('delta.json'), 'delta');
      await zip.close();
      const whole = composeChanges([manifestChanges(manifests[i]!, last)]);
      expect({ files: [...header.files, ...(header.derived ?? [])].sort(), removed: header.removed }).toEqual({ files: [...whole.files].sort(), removed: whole.removed });
    }
    // v3 → v6 by hand: 3, 11 and 12 came back or are new, every page was edited; nothing of v3 is gone.
    const zip = await ZipReader.open(join(root, 'dist/deltas', `${versions[2]}-${versions[5]}.zip`));
    const header = parseDeltaHeader(await zip.read('delta.json'), 'delta');
    await zip.close();
    expect(header.removed).toEqual([]);
    expect(header.files.filter((f) => f.startsWith('articles/'))).toEqual([0, 1, 10, 12, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `articles/${n}.html`));
    // v1 → v2 → v3 → v4: 11 and 12 added, 3 and 11 removed, 3 put back the same: v1 → v4 changed nothing but the date.
    expect(composeChanges([manifestChanges(manifests[0]!, manifests[1]!), manifestChanges(manifests[1]!, manifests[2]!), manifestChanges(manifests[2]!, manifests[3]!)])).toEqual({ files: ['SHA256SUMS', 'SHA256SUMS.sig', 'build.json', 'index.html'], removed: [] });
  });

  const histories: [string, (dir: string) => Promise<void>][] = [
    ['no step files (a history an older newsmirror kept)', async (dir) => {
      for (const name of await readdir(dir)) if (name.endsWith('.changes.json')) await rm(join(dir, name));
    }],
    ['a step file missing in the middle', (dir) => rm(join(dir, `${versions[2]}.changes.json`))],
    ['a damaged step file', (dir) => appendFile(join(dir, `${versions[3]}.changes.json`), '{')],
    ['a step file of another format', async (dir) => {
      const file = join(dir, `${versions[1]}.changes.json`);
      await writeFile(file, (await readFile(file, 'utf8')).replace('"format":1', '"format":2'));
    }],
  ];
  for (const [name, change] of histories) {
    it(`with ${name}, the seal parses the manifests instead and writes the same bytes`, async () => {
      const copy = join(work, `copy-${histories.findIndex(([n]) => n === name)}`);
      await cp(before, copy, { recursive: true });
      await change(join(copy, '.newsmirror/manifests'));
      expect((await buildSite(copy, key, LAST)).version).toBe(versions[5]);
      const [got, want] = [await outputs(copy), await outputs(root)];
      // The step files the seal did not write stay as they were (the new version's one is the same).
      for (const path of [...want.keys()]) if (path.endsWith('.changes.json') && !path.endsWith(`${versions[5]}.changes.json`)) {
        want.delete(path);
        got.delete(path);
      }
      expect([...got.keys()]).toEqual([...want.keys()]);
      for (const [path, bytes] of want) expect(got.get(path)!.equals(bytes), path).toBe(true);
    });
  }

  it('reads no older manifest while the steps follow on: with v2\'s kept manifest damaged, every delta is still written, the same bytes', async () => {
    const copy = join(work, 'damaged-manifest');
    await cp(before, copy, { recursive: true });
    await writeFile(join(copy, `.newsmirror/manifests/${versions[1]}.json`), 'not a manifest');
    await buildSite(copy, key, LAST);
    const [got, want] = [await outputs(copy), await outputs(root)];
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [path, bytes] of want) if (path !== `.newsmirror/manifests/${versions[1]}.json`) expect(got.get(path)!.equals(bytes), path).toBe(true);
  });

  it('keeps the step files of the kept manifests only (site.yaml deltas: 2)', async () => {
    const copy = join(work, 'keep-2');
    await cp(before, copy, { recursive: true });
    await appendFile(join(copy, 'content/_data/site.yaml'), 'deltas: 2\n');
    await buildSite(copy, key, LAST);
    expect((await readdir(join(copy, '.newsmirror/manifests'))).sort()).toEqual(versions.slice(3).flatMap((v) => [`${v}.changes.json`, `${v}.json`]).sort());
    expect((await readdir(join(copy, 'dist/deltas'))).sort()).toEqual([`${versions[3]}-${versions[5]}.zip`, `${versions[4]}-${versions[5]}.zip`]);
  });
});
