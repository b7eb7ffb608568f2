/**
 * The compiled Eleventy config (bin/compile.js bundles .eleventy.ts with the templates into
 * .build/render/eleventy-config.js): used only while no layout, page or .eleventy.ts is newer
 * than the bundle, and it renders exactly what the TypeScript config renders.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledConfigIsFresh } from '../../src/render/build.ts';
import { fileTree as tree } from '../helpers/tree.ts';
import { makeProject } from './fixtures.ts';

const tmp: string[] = [];
afterAll(async () => {
  for (const dir of tmp) await rm(dir, { recursive: true, force: true });
});


describe('compiledConfigIsFresh', () => {
  it('is fresh with as many sources, none newer; stale when one is newer, one more, or no stamp (regression: a layout edited after npm ci must not render with the old one)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'newsmirror-config-'));
    tmp.push(root);
    await mkdir(join(root, 'content', '_includes'), { recursive: true });
    await mkdir(join(root, 'content', '_pages'), { recursive: true });
    for (const f of ['.eleventy.ts', 'content/_includes/article.ts', 'content/_pages/about.ts']) {
      await writeFile(join(root, f), '');
      await utimes(join(root, f), 1000, 1000);
    }
    const stamp = join(root, 'stamp.json');
    await writeFile(stamp, JSON.stringify({ files: 0, newest: 0, config: { files: 3, newest: 1000_000 } }));
    expect(compiledConfigIsFresh(root, stamp)).toBe(true);
    await utimes(join(root, 'content/_includes/article.ts'), 2000, 2000);
    expect(compiledConfigIsFresh(root, stamp)).toBe(false);
    await utimes(join(root, 'content/_includes/article.ts'), 1000, 1000);
    await writeFile(join(root, 'content/_pages/extra.ts'), '');
    await utimes(join(root, 'content/_pages/extra.ts'), 1000, 1000);
    expect(compiledConfigIsFresh(root, stamp)).toBe(false);
    expect(compiledConfigIsFresh(root, join(root, 'missing.json'))).toBe(false);
  });
});

describe('newsmirror build, compiled and from source', () => {
  it('renders the same site', async () => {
    const a = await mkdtemp(join(tmpdir(), 'newsmirror-config-a-'));
    const b = await mkdtemp(join(tmpdir(), 'newsmirror-config-b-'));
    tmp.push(a, b);
    await makeProject(a, { articles: 6, words: 60 });
    await cp(a, b, { recursive: true });
    const bin = join(import.meta.dirname, '../../bin/newsmirror.js');
    const compiled = spawnSync(process.execPath, [bin, 'build', '--root', a, '--json'], { encoding: 'utf8' });
    const source = spawnSync(process.execPath, [bin, 'build', '--root', b, '--json'], { encoding: 'utf8', env: { ...process.env, NEWSMIRROR_FROM_SOURCE: '1' } });
    expect([compiled.status, source.status]).toEqual([0, 0]);
    // 6 articles, one every 7 hours: two days of the newest month, two day shards of the search index.
    expect((await tree(join(a, '_site'))).size).toBe(56);
    expect(await tree(join(a, '_site'))).toEqual(await tree(join(b, '_site')));
  });
});
