/**
 * Regression: `build` outside a project (or inside content/) printed
 * Eleventy's doubled-path error, exited 1 and left an empty .newsmirror/
 * behind. Every command that needs a project now says so (exit 2, naming the
 * folder and what a project holds) and writes nothing; the others work anywhere.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertProject } from '../../src/core/project.ts';
import { cli } from './cli.ts';

let dir: string;
let empty: string;
let project: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nm-outside-'));
  empty = join(dir, 'empty');
  project = join(dir, 'project');
  await mkdir(empty);
  await mkdir(join(project, 'content', '_data'), { recursive: true });
  await mkdir(join(project, 'content', 'steppe-herald'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const notAProject = (folder: string) =>
  `${folder} is not a newsmirror project folder: it has no content/_data/. A project folder holds content/_data/ (site.yaml, outlets.yaml), the articles under content/<outlet>/ and mirrors/*.yaml. ` +
  'Run the command there or pass --root DIR; `npx newsmirror demo` builds one to look at.';

describe('outside a project', () => {
  it('assertProject names the folder, or the project whose content/ it is inside', async () => {
    await expect(assertProject(empty)).rejects.toMatchObject({ code: 'ERR_NOT_A_PROJECT', message: notAProject(empty) });
    const inside = `${join(project, 'content', 'steppe-herald')} is inside the content/ folder of the project ${project}; run the command in ${project} or pass --root ${project}`;
    await expect(assertProject(join(project, 'content', 'steppe-herald'))).rejects.toMatchObject({ message: inside });
    await expect(assertProject(join(project, 'content'))).rejects.toMatchObject({ message: `${join(project, 'content')} is inside the content/ folder of the project ${project}; run the command in ${project} or pass --root ${project}` });
    await expect(assertProject(project)).resolves.toBeUndefined();
  });

  it('every command that needs a project exits 2 saying so, from the current folder or --root, and writes nothing', async () => {
    const cases: [string[], string | undefined][] = [
      [['build'], empty],
      [['ingest'], empty],
      [['seal'], empty],
      [['publish'], empty],
      [['check', '--json'], empty],
      [['run', '--no-publish'], empty],
      [['new', '--outlet', 'x', '--title', 'y'], empty],
      [['takedown', 'a/b', '--reason', 'x'], empty],
      [['serve'], empty],
      [['verify', 'site.zip'], empty],
      [['build', '--root', empty], dir],
      [['build'], join(project, 'content')],
    ];
    const results = await Promise.all(cases.map(([args, cwd]) => cli(args, { HOME: join(dir, 'home') }, cwd)));
    for (const [i, r] of results.entries()) {
      const [args, cwd] = cases[i]!;
      const message = cwd === join(project, 'content') ? `${cwd} is inside the content/ folder of the project ${project}; run the command in ${project} or pass --root ${project}` : notAProject(empty);
      const stderr = args.includes('--json') ? `newsmirror ${args[0]}: ${message}\n` : `newsmirror ${args[0]}: ${message}\n`;
      expect([args.join(' '), r.code, r.stderr]).toEqual([args.join(' '), 2, stderr]);
      if (args.includes('--json')) expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'ERR_NOT_A_PROJECT', message }, exit: 2 });
    }
    expect(await readdir(empty)).toEqual([]);
    expect(await readdir(dir)).toEqual(['empty', 'project']);
    expect((await readdir(project)).sort()).toEqual(['content']);
  }, 180_000);

  it('commands that need no project work anywhere: --help, keygen, verify --key, trigger', async () => {
    const [help, keygen, verify, trigger] = await Promise.all([
      cli(['--help'], {}, empty),
      cli(['keygen', '--out', join(dir, 'keys', 'k.pem')], {}, empty),
      cli(['verify', join(dir, 'missing.zip'), '--key', 'ed25519:11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'], {}, empty),
      cli(['trigger', '--outlet', 'steppe-herald', '--url', 'http://127.0.0.1:9/', '--secret-env', 'NOPE'], {}, empty),
    ]);
    expect([help.code, help.stdout.split('\n')[0]]).toEqual([0, 'newsmirror: a censorship-resilient news mirror']);
    expect([keygen.code, keygen.stdout]).toEqual([0, expect.stringMatching(/^ed25519:[A-Za-z0-9_-]{43}\n$/)]);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain(join(dir, 'missing.zip'));
    expect(trigger.stderr.split('\n')[0]).toBe('newsmirror trigger: no trigger secret for "steppe-herald": set NOPE, or put it in a secrets file (--secrets FILE or $NEWSMIRROR_SECRETS) under triggers: { steppe-herald: ... }');
    for (const r of [help, keygen, verify, trigger]) expect(r.stderr).not.toContain('not a newsmirror project');
    expect(await readdir(empty)).toEqual([]);
  }, 180_000);
});
