import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTakedowns } from '../../src/core/config.ts';
import { demoOutletsYaml } from '../../src/demo/index.ts';
import { cli } from '../run/cli.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nm-staff-cli-'));
  await mkdir(join(root, 'content', '_data'), { recursive: true });
  await writeFile(join(root, 'content/_data/outlets.yaml'), demoOutletsYaml('http://127.0.0.1:9/'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('newsmirror new and takedown', () => {
  it('new prints the path of a valid article; takedown of its id deletes it and logs the tombstone', async () => {
    const made = await cli(['new', '--root', root, '--outlet', 'dala-habar', '--title', 'Сайлау нәтижелері']);
    expect(made.code, made.stderr).toBe(0);
    const path = made.stdout.trim();
    expect(path).toMatch(/^content\/dala-habar\/\d{4}\/\d{2}\/sailau-natizheleri\.md$/);
    const id = /^id: (.+)$/m.exec(await readFile(join(root, path), 'utf8'))![1]!;
    expect(made.stderr).toBe(`Wrote ${path} (id ${id}). Edit the body, then run \`npx newsmirror run\` to publish it.\n`);

    const gone = await cli(['takedown', '--root', root, id, '--reason', 'source safety']);
    expect(gone.code, gone.stderr).toBe(0);
    const [tomb] = await loadTakedowns(root);
    expect(tomb).toEqual({ id, outlet: 'dala-habar', time: tomb!.time, reason: 'source safety' });
    expect(gone.stderr).toBe(
      `deleted ${path}\ntombstone: ${id} at ${tomb!.time}: source safety\nThe published mirrors still carry it until the next run: run \`npx newsmirror run\` now.\n`,
    );
    await expect(readFile(join(root, path))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses bad usage with exit 2 and says what is missing', async () => {
    const noReason = await cli(['takedown', '--root', root, 'dala-habar/0123456789abcdef']);
    expect([noReason.code, noReason.stderr.split('\n')[0]]).toEqual([2, 'newsmirror takedown: --reason "..." is required: it is kept in the audit log']);
    const noOutlet = await cli(['new', '--root', root, '--outlet', 'nope', '--title', 'x']);
    expect([noOutlet.code, noOutlet.stderr.split('\n')[0]]).toEqual([2, 'newsmirror new: no outlet "nope" in content/_data/outlets.yaml; known: steppe-herald, dala-habar, north-pravda, open-caspian']);
  });
});
