// `newsmirror ingest` as a user runs it: exit codes 0/1/2/3 and --json output (few spawns: each costs ~1 s).
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { makeProject, readWritten, removeProject } from './project.ts';

const REPO = join(import.meta.dirname, '..', '..');
let server: FeedServer;
const roots: string[] = [];

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), ...args], { cwd: REPO, env: { ...process.env, CI: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
  await Promise.all(roots.map(removeProject));
});

describe('newsmirror ingest', () => {
  it('exit 3 when some outlets fail, with per-outlet counts and reasons in --json; exit 0 for the good one alone', async () => {
    const root = await makeProject([
      { id: 'good', feeds: [`${server.url}/feeds/rss2-ru-utf8.xml`] },
      { id: 'bad', feeds: [`${server.url}/feeds/not-a-feed.html`] },
    ]);
    roots.push(root);
    const partial = await cli(['ingest', '--root', root, '--json']);
    expect(partial.code).toBe(3);
    const report = JSON.parse(partial.stdout);
    expect(report.outlets).toEqual([
      { outlet: 'good', new: 3, updated: 0, unchanged: 0, skipped: 0, failed: [] },
      {
        outlet: 'bad',
        new: 0,
        updated: 0,
        unchanged: 0,
        skipped: 0,
        failed: [{ url: `${server.url}/feeds/not-a-feed.html`, code: 'ERR_NOT_A_FEED', reason: `${server.url}/feeds/not-a-feed.html: not a feed (an HTML page; maybe a maintenance or block page); nothing mirrored, check the feed URL` }],
      },
    ]);
    expect(partial.stderr).toContain('good: 3 new, 0 updated, 0 unchanged');
    expect(partial.stderr).toContain('warning: bad: ');
    expect((await readWritten(root)).length).toBe(3);
    const only = await cli(['ingest', '--root', root, '--outlet', 'good']);
    expect([only.code, only.stdout]).toEqual([0, '']);
    expect(only.stderr).toContain('ingest: 1 outlets, 0 new, 0 updated, 0 unchanged, 0 failed');
  });

  it('exit 1 when every outlet fails; exit 2 for a bad outlets.yaml naming the field', async () => {
    const root = await makeProject([{ id: 'bad', feeds: [`${server.url}/feeds/truncated.xml`] }]);
    roots.push(root);
    expect((await cli(['ingest', '--root', root])).code).toBe(1);
    await writeFile(join(root, 'content', '_data', 'outlets.yaml'), '- id: Bad Id\n  name: X\n  homepage: https://x.example/\n  lang: ru\n  feeds: [file:///etc/passwd]\n');
    const bad = await cli(['ingest', '--root', root]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('content/_data/outlets.yaml is not valid');
    expect(bad.stderr).toContain('[0].id: must be lowercase letters, digits and dashes');
    expect(bad.stderr).toContain('[0].feeds[0]');
  });
});
