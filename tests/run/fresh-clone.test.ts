import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
let dir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nm-clone-'));
  const clone = spawnSync('git', ['clone', '-q', REPO, join(dir, 'repo')], { encoding: 'utf8' });
  expect(clone.status, clone.stderr).toBe(0);
  await symlink(join(REPO, 'node_modules'), join(dir, 'repo', 'node_modules'));
});
afterAll(async () => {
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

describe('npm start on a fresh clone', () => {
  it('ends with a served site and says plainly that no outlet was reachable and where the new key is', async () => {
    // No network here (as in this sandbox and CI): the clone's real outlets cannot be reached.
    child = spawn('npm', ['start', '--', '--port', '0'], {
      cwd: join(dir, 'repo'),
      env: { PATH: process.env.PATH, HOME: join(dir, 'home') },
      detached: true,
    });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "Serving" line within 70 s:\n${stderr}`)), 70_000);
      child!.stderr!.on('data', (d) => {
        stderr += d;
        const m = /Serving (.+) at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[2]!);
        }
      });
      child!.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${stderr}`)));
    });
    const keyFile = join(dir, 'home', '.config', 'newsmirror', 'signing-key.pem');
    expect(stderr).toContain(`No signing key was found, so a new one was made at ${keyFile} (keep it secret, keep a backup).`);
    expect(stderr).toContain('warning: no outlet could be reached (is this machine offline?); building, sealing and publishing from the archive in content/');
    expect(stderr).toContain('  site: 0 articles, ');
    expect(stderr).toContain('  the archive is empty: `npm run demo` shows a full mirror built offline from sample feeds\n');
    expect(stderr).toMatch(/next: put this line into content\/_data\/site\.yaml so readers can verify copies:\n {4}publicKey: ed25519:[A-Za-z0-9_-]{43}\n/);
    expect(stderr).toContain(`Serving ${join(dir, 'repo', '.newsmirror', 'public')} at ${url} (open it in a browser; Ctrl-C stops)`);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Newsmirror');
    const manifest = await fetch(new URL('manifest.json', url));
    expect([manifest.status, (await manifest.json()).format]).toEqual([200, 'newsmirror-manifest/1']);
  }, 80_000);
});
