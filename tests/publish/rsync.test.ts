// publish over rsync+ssh to a real sshd on 127.0.0.1: fresh release folders, hard links for unchanged files, atomic current switch, pruning.
import { lstat, readFile, readdir, readlink, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish } from '../../src/publish/index.ts';
import { buildSite, makeProject, newKey, range, startSshd, tempDir, write, type Sshd } from './helpers.ts';

const key = newKey();
let root: string;
let sshDir: string;
let serverDir: string;
let sshd: Sshd;

beforeAll(async () => {
  root = await makeProject(key);
  sshDir = await tempDir('sshd');
  serverDir = await tempDir('rsync-dest');
  sshd = await startSshd(sshDir);
  await write(join(root, 'mirrors/server.yaml'), [
    'name: server', 'type: rsync', 'bundles: false', 'url: https://mirror.example.net/', 'host: 127.0.0.1', `port: ${sshd.port}`, 'user: root',
    `path: ${serverDir}/www`, 'keyEnv: MIRROR_SSH_KEY', `knownHostsFile: ${sshd.knownHosts}`, 'keep: 2', 'retries: 0', '',
  ].join('\n'));
});
afterAll(async () => {
  await sshd.stop();
  for (const dir of [root, sshDir, serverDir]) await rm(dir, { recursive: true, force: true });
});

describe('publish over rsync', () => {
  it('sends a first release and points current at it', async () => {
    const env = { ...process.env, MIRROR_SSH_KEY: await readFile(sshd.keyFile, 'utf8') };
    const report = await buildSite(root, key, { articles: range(0, 6), built: '2026-03-01T00:00:00Z' });
    const dry = await publish({ root, env, dryRun: true });
    expect(dry[0]).toMatchObject({ status: 'ok', files: 13 });
    await expect(stat(join(serverDir, 'www'))).rejects.toThrow();
    const [result] = await publish({ root, env });
    expect(result, result?.reason).toMatchObject({ target: 'server', status: 'ok', files: 13, url: 'https://mirror.example.net/' });
    expect(await readlink(join(serverDir, 'www/current'))).toBe(`releases/${report.version}`);
    expect(await readFile(join(serverDir, 'www/current/manifest.json'))).toEqual(await readFile(join(root, 'dist/manifest.json')));
    expect((await readdir(join(serverDir, 'www/current/articles'))).length).toBe(6);
  });

  it('second release: only changed files move, unchanged ones are hard links, old releases pruned to keep', async () => {
    const env = { ...process.env, MIRROR_SSH_KEY: await readFile(sshd.keyFile, 'utf8') };
    const first = (await readlink(join(serverDir, 'www/current'))).replace('releases/', '');
    const second = await buildSite(root, key, { articles: range(0, 8), built: '2026-03-02T00:00:00Z' });
    const [result] = await publish({ root, env });
    // articles 6 and 7 new; index.html, build.json, SHA256SUMS(.sig), manifest.json, manifest.sig changed.
    expect(result).toMatchObject({ status: 'ok', files: 8 });
    const releases = join(serverDir, 'www/releases');
    expect(await readlink(join(serverDir, 'www/current'))).toBe(`releases/${second.version}`);
    const [a, b] = await Promise.all([stat(join(releases, first, 'articles/3.html')), stat(join(releases, String(second.version), 'articles/3.html'))]);
    expect(b.ino).toBe(a.ino);
    // Same version again: a new folder beside the live one (never written in place), then pruning keeps 2.
    const [again] = await publish({ root, env });
    expect(again).toMatchObject({ status: 'ok', files: 0, bytes: 0 });
    expect((await readdir(releases)).sort()).toEqual([String(second.version), `${second.version}-2`]);
    expect(await readlink(join(serverDir, 'www/current'))).toBe(`releases/${second.version}-2`);
    expect((await lstat(join(serverDir, 'www/current'))).isSymbolicLink()).toBe(true);
  });

  it('a wrong key fails at once with a clear reason (no retries)', async () => {
    const other = await tempDir('otherkey');
    const { spawnSync } = await import('node:child_process');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(other, 'k')]);
    const [result] = await publish({ root, env: { ...process.env, MIRROR_SSH_KEY: await readFile(join(other, 'k'), 'utf8') } });
    expect(result?.status).toBe('failed');
    expect(result?.reason).toMatch(/^mirror "server": root@127\.0\.0\.1:\d+ refused us \(.*Permission denied.*\); check the key \(identityFile\/keyEnv\) and knownHostsFile/);
    await rm(other, { recursive: true, force: true });
  });
});
