/** The project value: paths plus configuration, each file read once for a whole command (was: re-read per stage). */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/core/project.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'nm-project-'));
  await mkdir(join(root, 'content', '_data'), { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadProject', () => {
  it('one run sees one version of a config file edited mid-run (regression: each stage re-read site.yaml and mirrors/)', async () => {
    await writeFile(join(root, 'content/_data/site.yaml'), 'title: Before\nlang: ru\n');
    await mkdir(join(root, 'mirrors'));
    await writeFile(join(root, 'mirrors/local.yaml'), 'name: local\ntype: dir\npath: ./public\n');
    const project = loadProject(root);
    expect(project.paths).toEqual({
      root,
      content: join(root, 'content'),
      data: join(root, 'content/_data'),
      mirrors: join(root, 'mirrors'),
      site: join(root, '_site'),
      dist: join(root, 'dist'),
      state: join(root, '.newsmirror'),
    });
    expect((await project.site()).title).toBe('Before');
    expect((await project.mirrors()).map((m) => m.name)).toEqual(['local']);
    await writeFile(join(root, 'content/_data/site.yaml'), 'title: After\nlang: ru\n');
    await writeFile(join(root, 'mirrors/second.yaml'), 'name: second\ntype: dir\npath: ./p2\n');
    expect((await project.site()).title).toBe('Before');
    expect((await project.mirrors()).map((m) => m.name)).toEqual(['local']);
    // The next command (a new project value) sees the edit.
    expect((await loadProject(root).site()).title).toBe('After');
  });

  it('reads a file only when asked: a project without site.yaml still has its takedowns; site() fails with the loader\'s ConfigError', async () => {
    const project = loadProject(root);
    expect(await project.takedowns()).toEqual([]);
    expect(await project.mirrors()).toEqual([]);
    await expect(project.site()).rejects.toMatchObject({ code: 'ERR_CONFIG', message: expect.stringMatching(/^content\/_data\/site\.yaml could not be read: ENOENT/) });
  });
});
