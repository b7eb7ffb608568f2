/** `type: external`: a copy someone else runs. publish skips it, check watches it, the lists carry it while fresh or stale. */
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMirrors } from '../../src/core/config.ts';
import { check } from '../../src/mirrors/index.ts';
import { publish } from '../../src/publish/index.ts';
import { mirrorEntries, mirrorsJson } from '../../src/render/mirrors.ts';
import { startServer, type RunningServer } from '../../src/serve/index.ts';
import { buildSite, makeProject, newKey, range, tempDir, write } from '../publish/helpers.ts';

const key = newKey();
let root: string;
let copy: string;
let server: RunningServer;

beforeAll(async () => {
  root = await makeProject(key);
  copy = await tempDir('external-copy');
  await buildSite(root, key, { articles: range(0, 5), built: '2026-03-01T00:00:00Z' });
  await cp(join(root, '_site'), copy, { recursive: true });
  server = await startServer({ source: copy, port: 0 });
  await write(join(root, 'mirrors/friend.yaml'), `name: friend\ntype: external\nurl: ${server.url}\n`);
  await write(join(root, 'mirrors/onion.yaml'), 'name: onion-friend\ntype: external\nurl: http://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz23.onion/\n');
  await write(join(root, 'mirrors/gone.yaml'), 'name: gone\ntype: external\nkind: https\nurl: http://127.0.0.1:9/news/\n');
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
  await rm(copy, { recursive: true, force: true });
});

describe('external mirrors', () => {
  it('are checked like any other and listed only while fresh or stale', async () => {
    expect((await loadMirrors(root)).map((m) => [m.name, m.type])).toEqual([['friend', 'external'], ['gone', 'external'], ['onion-friend', 'external']]);
    const health = await check({ root, timeout: 5 });
    expect(health.map((h) => [h.name, h.kind, h.status])).toEqual([['friend', 'https', 'fresh'], ['gone', 'https', 'down'], ['onion-friend', 'onion', 'unknown']]);
    const entries = mirrorEntries(await loadMirrors(root), health);
    expect(entries.map((e) => [e.name, e.kind, e.url])).toEqual([['friend', 'https', server.url]]);
    expect(JSON.parse(mirrorsJson(entries)).mirrors).toEqual([{ name: 'friend', url: server.url, kind: 'https', status: 'fresh', checked: health[0]!.checked, version: health[0]!.version }]);
    // A stale copy is still listed; a tampered one is not.
    expect(mirrorEntries(await loadMirrors(root), health.map((h) => ({ ...h, status: 'stale' as const }))).map((e) => e.name)).toEqual(['friend', 'gone', 'onion-friend']);
    expect(mirrorEntries(await loadMirrors(root), health.map((h) => ({ ...h, status: 'tampered' as const })))).toEqual([]);
  });

  it('are never published to', async () => {
    const results = await publish({ root });
    expect(results.map((r) => [r.target, r.status, r.reason])).toEqual([
      ['friend', 'skipped', `external: a copy someone else runs at ${server.url}; publish never sends to it, check watches it`],
      ['gone', 'skipped', 'external: a copy someone else runs at http://127.0.0.1:9/news/; publish never sends to it, check watches it'],
      ['onion-friend', 'skipped', 'external: a copy someone else runs at http://abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz23.onion/; publish never sends to it, check watches it'],
    ]);
  });

  it('a bad kind names the file and the field', async () => {
    await write(join(root, 'mirrors/bad.yaml'), 'name: bad\ntype: external\nurl: https://x.example/\nkind: ftp\n');
    await expect(loadMirrors(root)).rejects.toThrow(/mirrors\/bad\.yaml is not valid:\n {2}kind: /);
    await rm(join(root, 'mirrors/bad.yaml'));
  });
});
