// publish against a tampered _site/ and hostile dir destinations: clear errors, no write outside the destination.
import { mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseManifest, serializeManifest, signBytes } from '../../src/sealed/index.ts';
import { loadSealedBuild, publish } from '../../src/publish/index.ts';
import { sealSite } from '../../src/seal/index.ts';
import { buildSite, makeProject, newKey, range, tempDir, write } from './helpers.ts';

const key = newKey();
let root: string;

beforeEach(async () => {
  root = await makeProject(key);
  await buildSite(root, key, { articles: range(0, 3), built: '2026-01-01T00:00:00Z' });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('publish refuses a tampered _site/', () => {
  it('a file changed after sealing with its size kept is not published', async () => {
    await write(join(root, 'mirrors/local.yaml'), 'name: local\ntype: dir\nbundles: false\npath: .newsmirror/public\n');
    const page = join(root, '_site/articles/1.html');
    const text = await readFile(page, 'utf8');
    await writeFile(page, text.replace('Article 1', 'Articl3 1'));
    await expect(publish({ root })).rejects.toMatchObject({
      code: 'ERR_NO_BUILD',
      message: '_site/articles/1.html does not match its sha256 in the signed manifest (changed after sealing): run `newsmirror build` and `newsmirror seal` again',
    });
  });

  it('a manifest handed over by a seal in this process is used only while dist/ holds its very bytes: an older one gets the full check', async () => {
    await write(join(root, 'mirrors/local.yaml'), 'name: local\ntype: dir\nbundles: false\npath: .newsmirror/public\n');
    const { sealed: older } = await sealSite({ root, key });
    await write(join(root, '_site/articles/9.html'), '<!doctype html><title>9</title>\n');
    const { report, sealed } = await sealSite({ root, key });
    expect(report.version).toBeGreaterThan(older.manifest.version);
    // The handover gives the same build as reading dist/ and checking every file.
    const handed = await loadSealedBuild(root, { sealed });
    expect(handed.manifest).toBe(sealed.manifest);
    expect(handed.files).toEqual((await loadSealedBuild(root)).files);
    const results = await publish({ root, sealed });
    expect(results.map((r) => [r.target, r.status, r.files])).toEqual([['local', 'ok', 11]]);
    expect((await readdir(join(root, '.newsmirror/public/articles'))).sort()).toEqual(['0.html', '1.html', '2.html', '9.html']);
    // An older seal's manifest is not what dist/ holds: ignored, so an edited page is still caught.
    const page = join(root, '_site/articles/1.html');
    await writeFile(page, (await readFile(page, 'utf8')).replace('Article 1', 'Articl3 1'));
    await expect(loadSealedBuild(root, { sealed: older })).rejects.toMatchObject({ code: 'ERR_NO_BUILD', message: expect.stringMatching(/^_site\/articles\/1\.html does not match its sha256/) });
  });

  it('a file removed after sealing is named', async () => {
    await write(join(root, 'mirrors/local.yaml'), 'name: local\ntype: dir\nbundles: false\npath: .newsmirror/public\n');
    await rm(join(root, '_site/style.css'));
    await expect(publish({ root })).rejects.toMatchObject({ code: 'ERR_NO_BUILD', message: expect.stringMatching(/^_site\/style\.css is listed in the manifest but missing/) });
  });

  it('a missing dist/ is named, with what to run', async () => {
    await rm(join(root, 'dist'), { recursive: true });
    await expect(publish({ root })).rejects.toMatchObject({
      code: 'ERR_NO_BUILD',
      message: `dist/manifest.json (${join(root, 'dist/manifest.json')}) is missing: run \`newsmirror build\` and \`newsmirror seal\` first`,
    });
  });

  it('a signed manifest naming a path that escapes the site is refused before any target runs', async () => {
    await write(join(root, 'mirrors/local.yaml'), 'name: local\ntype: dir\nbundles: false\npath: .newsmirror/public\n');
    const manifest = parseManifest(await readFile(join(root, 'dist/manifest.json')), 'dist/manifest.json');
    manifest.files.push({ path: '../../escape.html', size: 1, sha256: '0'.repeat(64) });
    const bytes = serializeManifest(manifest);
    for (const dir of ['dist', '_site']) {
      await writeFile(join(root, dir, 'manifest.json'), bytes);
      await writeFile(join(root, dir, 'manifest.sig'), signBytes(bytes, key));
    }
    await expect(publish({ root })).rejects.toMatchObject({ code: 'ERR_NO_BUILD', message: 'dist/manifest.json lists an unsafe path "../../escape.html"; refusing to publish' });
  });

  it('a file added after sealing is not published', async () => {
    await write(join(root, 'mirrors/local.yaml'), 'name: local\ntype: dir\nbundles: false\npath: .newsmirror/public\n');
    await write(join(root, '_site/extra.html'), 'not signed');
    const [result] = await publish({ root });
    expect(result).toMatchObject({ status: 'ok', files: 10 });
    expect((await readdir(join(root, '.newsmirror/public'))).sort()).toEqual(['.newsmirror-mirror', 'SHA256SUMS', 'SHA256SUMS.sig', 'articles', 'build.json', 'index.html', 'manifest.json', 'manifest.sig', 'style.css']);
  });
});

describe('publish to a hostile dir destination', () => {
  it('path "/" is refused at once, before listing the whole disk', async () => {
    await write(join(root, 'mirrors/root.yaml'), 'name: root\ntype: dir\nbundles: false\npath: /\n');
    // A dry run, so that should this ever regress, the test itself writes nothing into /.
    const [result] = await publish({ root, dryRun: true });
    expect(result).toMatchObject({ status: 'failed', reason: 'mirror "root": path / is the project, or inside _site/, dist/, content/ or mirrors/; choose a folder of its own, e.g. .newsmirror/public' });
  });

  it('a destination that is a symlink into content/ is refused', async () => {
    await symlink(join(root, 'content'), join(root, 'out'));
    await write(join(root, 'mirrors/out.yaml'), 'name: out\ntype: dir\nbundles: false\npath: out\n');
    const [result] = await publish({ root });
    expect(result).toMatchObject({ status: 'failed', reason: `mirror "out": path ${join(root, 'content')} is the project, or inside _site/, dist/, content/ or mirrors/; choose a folder of its own, e.g. .newsmirror/public` });
    expect((await readdir(join(root, 'content'))).sort()).toEqual(['_data']);
  });

  it('a symlinked folder inside the destination is replaced, never written through', async () => {
    const outside = await tempDir('outside');
    const dest = join(root, '.newsmirror/public');
    await mkdir(dest, { recursive: true });
    await writeFile(join(dest, '.newsmirror-mirror'), 'mirror\n');
    await symlink(outside, join(dest, 'articles'));
    await write(join(root, 'mirrors/local.yaml'), 'name: local\ntype: dir\nbundles: false\npath: .newsmirror/public\n');
    const [result] = await publish({ root });
    expect(result).toMatchObject({ status: 'ok', files: 10 });
    expect(await readdir(outside)).toEqual([]);
    expect((await readdir(join(dest, 'articles'))).sort()).toEqual(['0.html', '1.html', '2.html']);
    await rm(outside, { recursive: true, force: true });
  });
});
