/**
 * Regression: `check --json` crashed with an unhandled 'error' event (exit 1, no report) on a mirror
 * whose index.html had bytes appended. Every hostile answer must end as one status per mirror in the
 * full report, and `verify <url>` must name the problem; both exit 1, no unhandled error. Real CLI
 * child processes against a real HTTP server on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPublicKey, listSite } from '../../src/sealed/index.ts';
import { buildSite, makeProject, newKey, range, write } from '../publish/helpers.ts';
import { appended, endless, gzipBomb, loginPage, ok, resetMidBody, shortLength, startHostileServer, toOtherHost, truncated, type Answer, type HostileServer } from './hostile-server.ts';

const key = newKey();
let root: string;
let server: HostileServer;
let index: Buffer;

/** mirror name → [the file attacked, the answer]. */
const scenarios: Record<string, [string, (body: Buffer) => Answer]> = {
  honest: ['', () => () => {}],
  appended: ['index.html', appended],
  truncated: ['index.html', truncated],
  'short-length': ['index.html', shortLength],
  reset: ['index.html', resetMidBody],
  endless: ['index.html', () => endless],
  'other-host': ['manifest.json', () => toOtherHost(server.port)],
  login: ['manifest.json', () => loginPage],
  bomb: ['index.html', () => gzipBomb],
};

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  root = await makeProject(key);
  await buildSite(root, key, { articles: range(0, 3), built: '2026-03-01T00:00:00Z' });
  server = await startHostileServer();
  const site = join(root, '_site');
  const files = (await listSite(site)).files;
  index = await readFile(join(site, 'index.html'));
  for (const [name, [attacked, answer]] of Object.entries(scenarios)) {
    for (const file of files) {
      const body = await readFile(file.abs);
      server.routes.set(`/${name}/${file.path}`, file.path === attacked ? answer(body) : ok(body, file.path.endsWith('.json') ? 'application/json' : 'text/html'));
    }
    await write(join(root, `mirrors/${name}.yaml`), `name: ${name}\ntype: dir\nurl: ${server.base}${name}/\npath: www/${name}\n`);
  }
}, 60_000);
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('hostile mirrors', () => {
  it('check --json on a mirror whose index.html has bytes appended (and every other hostile answer) reports one status per mirror and exits 1', async () => {
    const { code, stdout, stderr } = await run(['check', '--root', root, '--json']);
    expect(stderr).not.toMatch(/Unhandled|at .*\.ts:\d+/);
    expect(code).toBe(1);
    const health = JSON.parse(stdout) as { name: string; status: string; detail: string }[];
    const url = (name: string, path = 'index.html') => `${server.base}${name}/${path}`;
    const size = index.length;
    expect(Object.fromEntries(health.map((h) => [h.name, [h.status, h.detail]]))).toEqual({
      appended: ['tampered', `${url('appended')}: announces (Content-Length ${size + 43}) more than its signed ${size} bytes (tampered)`],
      bomb: ['tampered', `${url('bomb')}: decompresses to more than its signed ${size} bytes (tampered)`],
      endless: ['tampered', `${url('endless')}: holds more than its signed ${size} bytes (tampered)`],
      honest: ['fresh', 'signature and sampled files ok'],
      login: ['down', `${url('login', 'manifest.json')}: answers text/html where JSON was expected (a login, block or error page?)`],
      'other-host': ['down', `${url('other-host', 'manifest.json')}: redirects to another host (localhost:${server.port}); a copy must answer from its own address (put the address it redirects to in the mirror's url if you trust it)`],
      reset: ['down', expect.stringMatching(new RegExp(`^${url('reset').replace(/[.]/g, '\\.')}: the connection (was reset \\(ECONNRESET\\)|closed after \\d+ bytes, before the end of the answer)$`)) as unknown as string],
      'short-length': ['tampered', `${url('short-length')}: holds 10 of its signed ${size} bytes (truncated)`],
      truncated: ['tampered', `${url('truncated')}: holds ${size - 20} of its signed ${size} bytes (truncated)`],
    });
  }, 90_000);

  it('verify <url> names the problem of each hostile mirror and exits 1 (0 for the honest one)', async () => {
    const expected: Record<string, [string, string]> = {
      honest: ['', ''],
      appended: ['index.html', 'ERR_REMOTE_LONGER'],
      truncated: ['index.html', 'ERR_REMOTE_TRUNCATED'],
      'short-length': ['index.html', 'ERR_REMOTE_TRUNCATED'],
      reset: ['index.html', 'ERR_REMOTE_RESET'],
      endless: ['index.html', 'ERR_REMOTE_LONGER'],
      'other-host': ['manifest.json', 'ERR_REMOTE_REDIRECT'],
      login: ['manifest.json', 'ERR_REMOTE_WRONG_TYPE'],
      bomb: ['index.html', 'ERR_REMOTE_LONGER'],
    };
    const runs = await Promise.all(Object.keys(scenarios).map(async (name) => [name, await run(['verify', `${server.base}${name}/`, '--key', formatPublicKey(key), '--json'])] as const));
    for (const [name, { code, stdout, stderr }] of runs) {
      expect(stderr, name).not.toMatch(/Unhandled|at .*\.ts:\d+/);
      const report = JSON.parse(stdout) as { ok: boolean; problems: { path: string; code?: string }[] };
      const [path, problemCode] = expected[name]!;
      if (!path) {
        expect([name, code, report.problems]).toEqual([name, 0, []]);
        continue;
      }
      expect([name, code, report.ok]).toEqual([name, 1, false]);
      expect(report.problems.map((p) => [p.path, p.code])).toEqual([[path, problemCode]]);
    }
  }, 120_000);
});
