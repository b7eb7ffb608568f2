import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite } from '../../src/cli/serving.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nm-serving-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>x</title>\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('startSite', () => {
  it('says which port is taken and what to do', async () => {
    const first = await startSite({ source: dir, host: '127.0.0.1', port: 0 });
    const port = Number(new URL(first.url).port);
    try {
      await expect(startSite({ source: dir, host: '127.0.0.1', port })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use; stop what is using it or pass --port N`);
    } finally {
      await first.close();
    }
  });
});
