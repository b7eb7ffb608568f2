/** The CLI under hostile command lines: --json on failure, bad option values, a --root that does not exist. */
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOutletsYaml } from '../../src/demo/index.ts';
import { cli, MAIN } from './cli.ts';

const COMMANDS = ['ingest', 'build', 'seal', 'publish', 'check', 'verify', 'serve', 'keygen', 'takedown', 'new', 'trigger', 'run', 'demo'];
const POSITIONAL = new Set(['verify', 'serve', 'takedown']);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nm-cli-hostile-'));
  await mkdir(join(root, 'content', '_data'), { recursive: true });
  await writeFile(join(root, 'content/_data/outlets.yaml'), demoOutletsYaml('http://127.0.0.1:9/'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('--json on failure: stdout is exactly one JSON document', () => {
  it('unknown option, for every command: {"error":{code,message},"exit":2} and exit 2', async () => {
    const results = await Promise.all(COMMANDS.map((c) => cli([c, '--bogus', '--json'])));
    for (const [i, r] of results.entries()) {
      const hint = POSITIONAL.has(COMMANDS[i]!) ? `. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- "--bogus"` : '';
      expect([COMMANDS[i], r.code, JSON.parse(r.stdout)]).toEqual([COMMANDS[i], 2, { error: { code: 'ERR_USAGE', message: `Unknown option '--bogus'${hint}` }, exit: 2 }]);
    }
  });

  it('a failure after parsing (exit 1) is one JSON document too; the human message stays on stderr', async () => {
    const key = `ed25519:${Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64url')}`;
    const r = await cli(['verify', join(root, 'missing.zip'), '--key', key, '--json']);
    const { error } = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    expect([r.code, JSON.parse(r.stdout), r.stderr]).toEqual([1, { error, exit: 1 }, `newsmirror verify: ${error.message}\n`]);
    expect(error.message).toContain(join(root, 'missing.zip'));
  });

  it('a takedown target that names nothing is bad usage (exit 2), one JSON document, no help text', async () => {
    const r = await cli(['takedown', '--root', root, '../../etc/passwd', '--reason', 'x', '--json']);
    const message = 'no article has the id or URL "../../etc/passwd"; give an article id such as steppe-herald/0f3a9c2b7d1e4a56 (front matter "id") or the original http(s) URL; there are no articles in content/ yet';
    expect([r.code, JSON.parse(r.stdout), r.stderr]).toEqual([2, { error: { code: 'ERR_NO_MATCH', message }, exit: 2 }, `newsmirror takedown: ${message}\n`]);
  });

  it('a config error (exit 2) is one JSON document', async () => {
    const r = await cli(['check', '--root', root, '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'ERR_CONFIG', message: expect.stringMatching(/^content\/_data\/site\.yaml could not be read: ENOENT/) }, exit: 2 });
  });
});

describe('bad option values', () => {
  it('--root of a folder that does not exist: exit 2 naming it, and nothing is created there', async () => {
    const missing = join(root, 'no-such-project');
    const results = await Promise.all(['ingest', 'build', 'publish', 'run'].map((c) => cli([c, '--root', missing])));
    for (const r of results) expect([r.code, r.stderr.split('\n')[0]!.replace(/^newsmirror \w+: /, '')]).toEqual([2, `--root ${missing}: no such folder; pass the project folder, the one holding content/ and mirrors/`]);
    await expect(access(missing)).rejects.toMatchObject({ code: 'ENOENT' });
    const file = await cli(['build', '--root', join(root, 'content/_data/outlets.yaml')]);
    expect([file.code, file.stderr.split('\n')[0]]).toEqual([2, `newsmirror build: --root ${join(root, 'content/_data/outlets.yaml')} is not a folder; pass the project folder, the one holding content/ and mirrors/`]);
  });

  it('an empty value (an unset shell variable) for any option: exit 2, never a default such as the current folder', async () => {
    const cases: [string[], string][] = [
      [['run', '--root', ''], '--root is empty; give it a value (is a shell variable unset?)'],
      [['seal', '--key', ' '], '--key is empty; give it a value (is a shell variable unset?)'],
      [['ingest', '--outlet', 'steppe-herald', '--outlet', ''], '--outlet is empty; give it a value (is a shell variable unset?)'],
      [['serve', '--port', ''], '--port is empty; give it a value (is a shell variable unset?)'],
    ];
    const results = await Promise.all(cases.map(([args]) => cli([...args, '--json'])));
    for (const [i, r] of results.entries()) expect([r.code, JSON.parse(r.stdout)]).toEqual([2, { error: { code: 'ERR_USAGE', message: cases[i]![1] }, exit: 2 }]);
  });

  it('--port " 80", "1e3", "0x50", 99999 and --wait 1.5: exit 2, never read as a number', async () => {
    const cases: [string[], string][] = [
      [['serve', '--port', ' 80'], '--port must be a whole number from 0 to 65535, not " 80"'],
      [['serve', '--port', '1e3'], '--port must be a whole number from 0 to 65535, not "1e3"'],
      [['run', '--port', '0x50'], '--port must be a whole number from 0 to 65535, not "0x50"'],
      [['demo', '--port', '99999'], '--port must be a whole number from 0 to 65535, not "99999"'],
      [['run', '--wait', '1.5'], '--wait must be a whole number from 0 to 86400, not "1.5"'],
    ];
    const results = await Promise.all(cases.map(([args]) => cli([...args, '--root', root])));
    for (const [i, r] of results.entries()) expect([r.code, r.stderr.split('\n')[0]!.replace(/^newsmirror \w+: /, '')]).toEqual([2, cases[i]![1]]);
  });

  it('keygen --out into _site/, dist/ or mirrors/ (published or committed): exit 2, no key written', async () => {
    const results = await Promise.all(['_site', 'dist', 'mirrors'].map((dir) => cli(['keygen', '--root', root, '--out', join(root, dir, 'k.pem')], { HOME: join(root, 'home') })));
    for (const [i, dir] of ['_site', 'dist', 'mirrors'].entries()) {
      expect([results[i]!.code, results[i]!.stderr.split('\n')[0]]).toEqual([
        2,
        `newsmirror keygen: ${join(root, dir, 'k.pem')} is inside ${dir}/, which is published or committed; keep the private key outside the repo (e.g. the default ${join(root, 'home', '.config', 'newsmirror', 'signing-key.pem')})`,
      ]);
      await expect(access(join(root, dir, 'k.pem'))).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });

  it('verify --key that is not a public key: exit 2 (bad usage), not 1 (a copy that failed)', async () => {
    const r = await cli(['verify', root, '--key', 'ed25519:abc', '--json']);
    const message = '--key: "ed25519:abc" is not a public key: expected "ed25519:" and 43 base64url characters, as printed by `newsmirror keygen`';
    expect([r.code, JSON.parse(r.stdout)]).toEqual([2, { error: { code: 'ERR_USAGE', message }, exit: 2 }]);
  });

  it('serve on a port already in use: exit 1 with what to do, not a stack trace', async () => {
    const site = join(root, 'site');
    await mkdir(site, { recursive: true });
    await writeFile(join(site, 'index.html'), '<p>hi</p>');
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const r = await cli(['serve', site, '--port', String(port), '--json']);
      const message = `port ${port} on 127.0.0.1 is already in use; stop what is using it or pass --port N: listen EADDRINUSE: address already in use 127.0.0.1:${port}`;
      expect([r.code, JSON.parse(r.stdout), r.stderr]).toEqual([1, { error: { code: 'ERR_PORT', message }, exit: 1 }, `newsmirror serve: ${message}\n`]);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('serve --host that is not an address of this machine (8.8.8.8, a bad name): exit 2 saying which to use', async () => {
    const results = await Promise.all(['8.8.8.8', 'nonsense.invalid'].map((host) => cli(['serve', root, '--host', host, '--port', '0', '--json'])));
    for (const [i, host] of ['8.8.8.8', 'nonsense.invalid'].entries()) {
      const message = `--host ${host} is not an address of this machine; use 127.0.0.1 (this machine only) or 0.0.0.0 (every network)`;
      expect([results[i]!.code, JSON.parse(results[i]!.stdout).error.message]).toEqual([2, message]);
    }
  });

  it('serve --json --port 0: one document with the URL it listens on', async () => {
    const site = join(root, 'site');
    await mkdir(site, { recursive: true });
    await writeFile(join(site, 'index.html'), '<p>hi</p>');
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', site, '--port', '0', '--json'], { env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    const doc = await new Promise<{ url: string; source: string; trigger: boolean }>((resolve) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.endsWith('}\n')) resolve(JSON.parse(stdout));
      });
    });
    expect(doc).toEqual({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/), source: site, trigger: false });
    expect(await (await fetch(doc.url)).text()).toBe('<p>hi</p>');
    const code = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect([await code, JSON.parse(stdout)]).toEqual([0, doc]);
  });
});

describe('new: hostile titles', () => {
  it('a title with newlines, tabs and "---" becomes one line and parses back exactly', async () => {
    const r = await cli(['new', '--root', root, '--outlet', 'dala-habar', '--title', 'Line one\n---\nid: evil\tand: "quotes" # not a comment', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { path, frontMatter } = JSON.parse(r.stdout) as { path: string; frontMatter: { title: string; id: string } };
    expect(frontMatter.title).toBe('Line one --- id: evil and: "quotes" # not a comment');
    const matter = (await import('gray-matter')).default;
    const back = matter(await readFile(join(root, path), 'utf8')).data as { title: string; id: string };
    expect([back.title, back.id]).toEqual([frontMatter.title, frontMatter.id]);
  });
});
