import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArticleIndex } from '../../src/content/index.ts';
import { acquireLock } from '../../src/core/lock.ts';
import { parsePublicKey } from '../../src/sealed/index.ts';
import { demoOutletsYaml, startFeedServer } from '../../src/demo/index.ts';
import { verify } from '../../src/verify/index.ts';
import { cli } from './cli.ts';

let root: string;
let home: string;
let feeds: Awaited<ReturnType<typeof startFeedServer>>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nm-concurrent-'));
  home = await mkdtemp(join(tmpdir(), 'nm-home-'));
  feeds = await startFeedServer();
  await mkdir(join(root, 'content', '_data'), { recursive: true });
  await mkdir(join(root, 'mirrors'));
  await writeFile(join(root, 'content/_data/outlets.yaml'), demoOutletsYaml(feeds.url));
  await writeFile(join(root, 'content/_data/site.yaml'), 'title: Concurrent\nlang: en\n');
  await writeFile(join(root, 'mirrors/local.yaml'), 'name: local\ntype: dir\npath: .newsmirror/public\n');
});
afterAll(async () => {
  await feeds.close();
  await rm(root, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

const run = (args: string[]) => cli(['run', '--root', root, ...args], { HOME: home, XDG_CONFIG_HOME: join(home, '.config') });

describe('two runs at once', () => {
  it('exit 1 at once with the holder pid when --wait is not given', async () => {
    const held = await acquireLock(join(root, '.newsmirror', 'run.lock'));
    const second = await run([]);
    await held.release();
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`newsmirror run: another newsmirror run holds ${join(root, '.newsmirror', 'run.lock')} (pid ${process.pid} on `);
  });

  it('take turns: no overlap, every article file valid, _site/ and the published copy verify against the signed manifest', async () => {
    const [a, b] = await Promise.all([run(['--wait', '120', '--json']), run(['--wait', '120', '--json'])]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    const [first, second] = [JSON.parse(a.stdout), JSON.parse(b.stdout)].sort((x, y) => x.started.localeCompare(y.started));
    // The second started only after the first had finished.
    expect(second.started >= first.finished).toBe(true);
    // One of them made the key; the other found it.
    expect([first.key.generated, second.key.generated]).toEqual([join(home, '.config', 'newsmirror', 'signing-key.pem'), undefined]);
    expect(first.outlets.map((o: { outlet: string; new: number }) => [o.outlet, o.new])).toEqual([
      ['steppe-herald', 3],
      ['dala-habar', 3],
      ['north-pravda', 2],
      ['open-caspian', 1],
    ]);
    expect(second.outlets.every((o: { new: number; updated: number }) => o.new === 0 && o.updated === 0)).toBe(true);
    expect([second.cid, second.seal.version]).toEqual([first.cid, first.seal.version]);
    expect((await readArticleIndex(root)).size).toBe(9);
    // No temp files left behind in content/ or _site/.
    const leftovers = [...(await readdir(join(root, 'content'), { recursive: true })), ...(await readdir(join(root, '_site'), { recursive: true }))].filter((n) => /\.tmp$|\.new$|\.old$/.test(n));
    expect(leftovers).toEqual([]);
    const publicKey = parsePublicKey(first.key.publicKey);
    for (const source of [join(root, '_site'), join(root, 'dist', 'site.car')]) {
      const report = await verify({ source, publicKey });
      expect([source, report.ok, report.problems]).toEqual([source, true, []]);
    }
    // The folder the dir target wrote carries this very build.
    expect(await readFile(join(root, '.newsmirror', 'public', 'manifest.json'))).toEqual(await readFile(join(root, 'dist', 'manifest.json')));
    expect(await readFile(join(root, 'dist', 'cid.txt'), 'utf8')).toBe(`${first.cid}\n`);
  }, 80_000);
});
