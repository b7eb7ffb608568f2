import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJsonFile } from '../../src/core/fs.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nm-fs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readJsonFile', () => {
  it('corrupt state file (truncated JSON): read as missing, set aside as .corrupt with a warning, instead of failing every later run', async () => {
    const path = join(dir, 'health.json');
    await writeFile(path, '{"trunc');
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      expect(await readJsonFile(path, ['fallback'])).toEqual(['fallback']);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(await readFile(`${path}.corrupt`, 'utf8')).toBe('{"trunc');
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(warnings).toEqual([`${path} was not valid JSON (Unterminated string in JSON at position 7); moved it to ${path}.corrupt and started afresh`]);
  });

  it('missing file: the fallback; a valid one: its value', async () => {
    expect(await readJsonFile(join(dir, 'none.json'), { a: 1 })).toEqual({ a: 1 });
    await writeFile(join(dir, 'ok.json'), '{"b":[1,2]}');
    expect(await readJsonFile(join(dir, 'ok.json'), {})).toEqual({ b: [1, 2] });
  });
});
