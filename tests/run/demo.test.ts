import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, MAIN } from './cli.ts';

let dir: string;
let child: ChildProcess | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nm-demo-'));
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

describe('newsmirror demo', () => {
  it('mirrors the shipped feeds from a local server, serves the result and prints the URL', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'demo', '--root', dir, '--port', '0'], { env: { PATH: process.env.PATH ?? '', HOME: join(dir, 'home') } });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "Serving" line within 60 s:\n${stderr}`)), 60_000);
      child!.stderr!.on('data', (d) => {
        stderr += d;
        const m = /Serving the demo mirror at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child!.on('exit', (code) => reject(new Error(`demo exited with ${code}:\n${stderr}`)));
    });
    expect(stderr).toContain(`project in ${join(dir, '.newsmirror', 'demo')}\n`);
    expect(stderr).toMatch(/newsmirror run: done\n {2}outlets:\n {4}steppe-herald {12}3 new, 0 updated, 0 failed\n {4}dala-habar {15}3 new, 0 updated, 0 failed\n {4}north-pravda {13}2 new, 0 updated, 0 failed\n {4}open-caspian {13}1 new, 0 updated, 0 failed\n {2}site: 9 articles, /);
    // The demo signs with its own key and puts its public key in the demo site.yaml: no "next:" step, no real key made.
    expect(stderr).not.toContain('publicKey:');
    const home = await fetch(url);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('<title>Newsmirror demo');
    expect(html).toContain('Степной вестник');
    const verifyPage = await (await fetch(new URL('verify.html', url))).text();
    expect(verifyPage).toMatch(/ed25519:[A-Za-z0-9_-]{43}/);
    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child!.once('exit', resolve))).toBe(0);
  }, 75_000);
});

describe('demo --dir pointed at a real project', () => {
  it('refuses (exit 2) and leaves its outlets.yaml, site.yaml and mirrors as they were', async () => {
    const project = join(dir, 'real');
    await mkdir(join(project, 'content', '_data'), { recursive: true });
    const outlets = '- id: steppe-herald\n  name: Real\n  homepage: https://real.example/\n  lang: ru\n  feeds: [https://real.example/rss]\n';
    await writeFile(join(project, 'content/_data/outlets.yaml'), outlets);
    const r = await cli(['demo', '--root', dir, '--dir', project, '--no-serve', '--json'], { HOME: join(dir, 'home') });
    const file = join(project, 'content/_data/outlets.yaml');
    const message = `${file} exists and was not written by the demo; give \`demo --dir\` an empty or earlier demo folder, never a real project`;
    expect([r.code, JSON.parse(r.stdout)]).toEqual([2, { error: { code: 'ERR_USAGE', message }, exit: 2 }]);
    expect(await readFile(file, 'utf8')).toBe(outlets);
    await expect(access(join(project, 'content/_data/site.yaml'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(access(join(project, 'mirrors'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
