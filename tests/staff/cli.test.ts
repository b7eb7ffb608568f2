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

describe('takedown of an id that matches nothing (regression: steppe-herald/doesnotexist1234 exited 0 and recorded a permanent tombstone)', () => {
  it('exits 2 naming the closest matches and writes nothing; --ahead records it; --list shows it; --undo lifts it in the audit log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nm-takedown-cli-'));
    try {
      await mkdir(join(dir, 'content/_data'), { recursive: true });
      await writeFile(join(dir, 'content/_data/outlets.yaml'), demoOutletsYaml('http://127.0.0.1:9/'));
      await mkdir(join(dir, 'content/steppe-herald/2026/01'), { recursive: true });
      await writeFile(
        join(dir, 'content/steppe-herald/2026/01/port.md'),
        '---\nid: steppe-herald/0f3a9c2b7d1e4a56\noutlet: steppe-herald\ntitle: Port\nurl: https://steppe-herald.example/news/port\ndate: 2026-01-05T10:00:00Z\nlang: ru\n---\n<p>x</p>\n',
      );
      const refused = await cli(['takedown', '--root', dir, 'steppe-herald/doesnotexist1234', '--reason', 'x']);
      expect([refused.code, refused.stderr]).toEqual([
        2,
        'newsmirror takedown: no article has the id or URL "steppe-herald/doesnotexist1234"; closest: steppe-herald/0f3a9c2b7d1e4a56 (https://steppe-herald.example/news/port); to tombstone it before it is mirrored, run again with --ahead\n',
      ]);
      await expect(readFile(join(dir, 'content/_data/takedowns.yaml'))).rejects.toMatchObject({ code: 'ENOENT' });

      const ahead = await cli(['takedown', '--root', dir, 'steppe-herald/doesnotexist1234', '--reason', 'embargo', '--ahead']);
      expect(ahead.code, ahead.stderr).toBe(0);
      const [tomb] = await loadTakedowns(dir);
      expect(tomb).toEqual({ id: 'steppe-herald/doesnotexist1234', outlet: 'steppe-herald', time: tomb!.time, reason: 'embargo' });

      const listed = await cli(['takedown', '--root', dir, '--list']);
      expect([listed.code, listed.stdout]).toEqual([0, `${tomb!.time}  steppe-herald/doesnotexist1234: embargo\n1 in force, 0 undone.\n`]);

      const undone = await cli(['takedown', '--root', dir, '--undo', 'steppe-herald/doesnotexist1234', '--reason', 'typo in the id', '--json']);
      expect(undone.code, undone.stderr).toBe(0);
      const [after] = await loadTakedowns(dir);
      expect(JSON.parse(undone.stdout)).toEqual({ undone: [after] });
      expect(after).toEqual({ ...tomb, undone: { time: after!.undone!.time, reason: 'typo in the id' } });
      const listedAgain = await cli(['takedown', '--root', dir, '--list', '--json']);
      expect(JSON.parse(listedAgain.stdout)).toEqual([after]);
      const noReason = await cli(['takedown', '--root', dir, '--undo', 'steppe-herald/0f3a9c2b7d1e4a56']);
      expect([noReason.code, noReason.stderr.split('\n')[0]]).toEqual([2, 'newsmirror takedown: --reason "..." is required: it is kept in the audit log']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
