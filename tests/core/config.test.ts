import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMirrors, loadOutlets, loadSite, loadTakedowns } from '../../src/core/config.ts';
import { ConfigError } from '../../src/core/errors.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'nm-config-'));
  await mkdir(join(root, 'content', '_data'), { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

const write = (rel: string, text: string) => writeFile(join(root, rel), text);

describe('outlets.yaml', () => {
  it('loads a valid registry with defaults', async () => {
    await write('content/_data/outlets.yaml', '- id: steppe-herald\n  name: Степной вестник\n  homepage: https://steppe-herald.example/\n  lang: ru\n  feeds: [https://steppe-herald.example/rss/]\n');
    expect(await loadOutlets(root)).toEqual([
      { id: 'steppe-herald', name: 'Степной вестник', homepage: 'https://steppe-herald.example/', lang: 'ru', feeds: ['https://steppe-herald.example/rss/'], fulltext: false, enabled: true },
    ]);
  });

  it('names the file, the bad field and shows a good entry', async () => {
    await write('content/_data/outlets.yaml', '- id: Steppe Herald\n  name: x\n  homepage: https://a.example/\n  lang: ru\n  feeds: [ftp://a.example/rss]\n');
    const error = await loadOutlets(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      'content/_data/outlets.yaml is not valid:\n' +
        '  [0].id: must be lowercase letters, digits and dashes, e.g. "steppe-herald"\n' +
        '  [0].feeds[0]: Invalid URL\n' +
        'A good entry looks like:\n- id: steppe-herald\n  name: Степной вестник\n  homepage: https://steppe-herald.example/\n  lang: ru\n  feeds: [https://steppe-herald.example/rss/]\n  fulltext: false',
    );
  });

  it('rejects a duplicate id', async () => {
    const entry = '- id: a\n  name: A\n  homepage: https://a.example/\n  lang: kk\n  feeds: [https://a.example/rss]\n';
    await write('content/_data/outlets.yaml', entry + entry);
    await expect(loadOutlets(root)).rejects.toThrow('content/_data/outlets.yaml: [1].id: "a" is used twice; each outlet needs its own id');
  });

  it('reports broken YAML as a config error', async () => {
    await write('content/_data/outlets.yaml', '- id: [unclosed\n');
    await expect(loadOutlets(root)).rejects.toThrow(/^content\/_data\/outlets\.yaml is not valid YAML: /);
  });
});

describe('site.yaml and takedowns.yaml', () => {
  it('rejects a public key that is not ed25519:<43 chars>', async () => {
    await write('content/_data/site.yaml', 'title: T\nlang: kk\npublicKey: ed25519:abc\n');
    await expect(loadSite(root)).rejects.toThrow('  publicKey: must be "ed25519:" and 43 base64url characters, as printed by `newsmirror keygen`');
  });

  it('reads fullTextSearch (all, year or month) and names the file and the values for another', async () => {
    await write('content/_data/site.yaml', 'title: T\nlang: kk\nfullTextSearch: month\n');
    expect((await loadSite(root)).fullTextSearch).toBe('month');
    await write('content/_data/site.yaml', 'title: T\nlang: kk\nfullTextSearch: week\n');
    const error = (await loadSite(root).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^content\/_data\/site\.yaml/);
    expect(error.message).toContain('  fullTextSearch: Invalid option: expected one of "all"|"year"|"month"');
  });

  it('treats a missing takedowns file as none', async () => {
    expect(await loadTakedowns(root)).toEqual([]);
  });
});

describe('mirrors/*.yaml', () => {
  it('loads files sorted by name and fills defaults', async () => {
    await mkdir(join(root, 'mirrors'));
    await write('mirrors/b.yaml', 'name: pages\ntype: git\nrepo: /srv/site.git\n');
    await write('mirrors/a.yaml', 'name: local\ntype: dir\npath: public\n');
    const mirrors = await loadMirrors(root);
    expect(mirrors.map((m) => m.name)).toEqual(['local', 'pages']);
    expect(mirrors[1]).toMatchObject({ type: 'git', branch: 'gh-pages', enabled: true });
  });

  it('refuses a secret written into the file instead of an env var name', async () => {
    await mkdir(join(root, 'mirrors'));
    await write('mirrors/s3.yaml', 'name: bucket\ntype: s3\nbucket: b\naccessKeyEnv: AKIA1234\nsecretKeyEnv: wJalrXUtnFEMI/K7MDENG\n');
    await expect(loadMirrors(root)).rejects.toThrow('  secretKeyEnv: must be the NAME of an environment variable, never the secret itself');
  });
});

describe('hostile config files', () => {
  const OUTLET = '- id: steppe-herald\n  name: S\n  homepage: https://s.example/\n  lang: ru\n  feeds: [https://s.example/rss]\n';

  it('a BOM and CRLF line ends: read like the plain file', async () => {
    await write('content/_data/outlets.yaml', `\ufeff${OUTLET.replace(/\n/g, '\r\n')}`);
    await write('content/_data/site.yaml', '\ufefftitle: T\r\nlang: kk\r\n');
    expect((await loadOutlets(root)).map((o) => [o.id, o.feeds])).toEqual([['steppe-herald', ['https://s.example/rss']]]);
    expect(await loadSite(root)).toEqual({ title: 'T', lang: 'kk', description: '', pageSize: 30, deltas: 7, fullTextSearch: 'all' });
  });

  it('empty, a scalar, or a list where a map is expected: ConfigError naming the file and the expected shape', async () => {
    const cases: [string, string, () => Promise<unknown>, string][] = [
      ['content/_data/outlets.yaml', '', () => loadOutlets(root), 'expected array, received null'],
      ['content/_data/outlets.yaml', 'just text\n', () => loadOutlets(root), 'expected array, received string'],
      ['content/_data/site.yaml', '- title: T\n', () => loadSite(root), 'expected object, received array'],
      ['content/_data/takedowns.yaml', 'a: 1\n', () => loadTakedowns(root), 'expected array, received object'],
    ];
    for (const [file, text, load, problem] of cases) {
      await write(file, text);
      const error = await load().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message.split('\n').slice(0, 2)).toEqual([`${file} is not valid:`, `  (top level): Invalid input: ${problem}`]);
    }
  });

  it('an alias bomb (billion laughs): refused as a config error before it expands', async () => {
    const rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h']]) rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    await write('content/_data/site.yaml', `${rows.join('\n')}\n`);
    const error = await loadSite(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe('content/_data/site.yaml is not valid YAML: Excessive alias count indicates a resource exhaustion attack');
  });

  it('mirrors/ that is a file, not a folder: ConfigError, not a bare ENOTDIR', async () => {
    await write('mirrors', 'name: x\n');
    const error = await loadMirrors(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`mirrors/ could not be read (it must be a folder of <name>.yaml files): ENOTDIR: not a directory, scandir '${join(root, 'mirrors')}'`);
  });
});
