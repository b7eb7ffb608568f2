import { chmod, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipelineTrigger, type Stages } from '../../src/cli/pipeline.ts';
import type { Reporter } from '../../src/core/log.ts';
import { generateKey, loadSigningKey } from '../../src/seal/index.ts';
import { startServer } from '../../src/serve/index.ts';
import { buildTriggerRequest } from '../../src/trigger/send.ts';

let root: string;
const lines: string[] = [];
const reporter: Reporter = { info: (l) => lines.push(l), warn: (l) => lines.push(`warning: ${l}`), progress() {} };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nm-serve-trigger-'));
  await mkdir(join(root, 'content', '_data'), { recursive: true });
  await mkdir(join(root, '_site'));
  await writeFile(join(root, 'content/_data/site.yaml'), 'title: T\nlang: en\n');
  await writeFile(join(root, '_site/index.html'), '<!doctype html><title>served</title>\n');
  await writeFile(join(root, 'secrets.yaml'), 'triggers:\n  steppe-herald: steppe-secret-0123456789\n', { mode: 0o600 });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('serve --trigger wiring', () => {
  it('warns when the secrets file can be read by others', async () => {
    const file = join(root, 'open-secrets.yaml');
    await writeFile(file, 'triggers:\n  steppe-herald: steppe-secret-0123456789\n', { mode: 0o644 });
    await chmod(file, 0o644);
    const seen: string[] = [];
    await createPipelineTrigger({ root, reporter: { ...reporter, warn: (l) => seen.push(l) }, secretsFile: file, env: {} });
    expect(seen[0]).toBe(`the secrets file ${file} can be read by other users; run: chmod 600 ${file}`);
  });

  it('refuses a secrets file inside a published or committed folder', async () => {
    const file = join(root, 'content', '_data', 'secrets.yaml');
    await expect(createPipelineTrigger({ root, reporter, secretsFile: file, env: {} })).rejects.toThrow(
      `the secrets file ${file} is inside a folder that is published or committed; move it outside the project (e.g. /etc/newsmirror/secrets.yaml, mode 0600)`,
    );
  });

  it('a signed request sent with `trigger`s request builder runs the job for that outlet; /-/status reports it; static files still served', async () => {
    lines.length = 0;
    const ingested: string[][] = [];
    const keyFile = join(root, 'key.pem');
    await generateKey(keyFile);
    const stages: Stages = {
      ingest: async (o) => {
        ingested.push(o.outlets ?? []);
        return { outlets: [{ outlet: 'steppe-herald', new: 1, updated: 0, unchanged: 2, skipped: 0, failed: [] }] };
      },
      build: async () => ({ articles: 3, pages: 9, outDir: join(root, '_site') }),
      seal: async () => ({ version: 7, built: '2026-01-05T10:00:00Z', files: 9, bytes: 900, cid: 'bafytestcid', dist: join(root, 'dist') }),
      publish: async () => [],
      loadSigningKey: () => loadSigningKey({ keyFile }),
      generateKey,
      defaultKeyPath: () => keyFile,
    };
    const { handler, queue } = await createPipelineTrigger({ root, reporter, stages, keyFile, secretsFile: join(root, 'secrets.yaml'), env: {} });
    const server = await startServer({ source: join(root, '_site'), port: 0, handlers: [handler] });
    try {
      const { body, headers } = buildTriggerRequest('steppe-herald', 'steppe-secret-0123456789', new Date());
      const res = await fetch(`${server.url}-/rebuild`, { method: 'POST', body, headers });
      expect([res.status, (await res.json()).run]).toEqual([202, 1]);
      await new Promise((r) => setTimeout(r, 50));
      await queue.idle();
      expect(ingested).toEqual([['steppe-herald']]);
      const status = await (await fetch(`${server.url}-/status`)).json();
      expect(status.recent.map((r: Record<string, unknown>) => [r.outlets, r.state, r.detail])).toEqual([[['steppe-herald'], 'ok', 'steppe-herald 1 new/0 updated/0 failed; root CID bafytestcid']]);
      expect(await (await fetch(server.url)).text()).toBe('<!doctype html><title>served</title>\n');
      expect(lines).toContain('rebuild triggered for steppe-herald');
      expect(lines.slice(0, 2)).toEqual([
        `warning: the secrets file ${join(root, 'secrets.yaml')} is inside the project folder; make sure it is never committed (better: keep it outside, e.g. /etc/newsmirror/secrets.yaml)`,
        'rebuild trigger: secrets for steppe-herald',
      ]);
    } finally {
      await server.close();
    }
  });
});
