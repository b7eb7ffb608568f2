/**
 * The article index holds front matter, not article texts: values parsed out of a file are
 * slices of its whole text in V8 (sliced strings), and an index that kept them held about
 * 10 KB an article (1,000 articles of 600 words: 10 MB of heap; 100,000 ran a 1 GB heap out of
 * memory in ingest). Measured in a child process, after garbage collection.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject } from '../render/fixtures.ts';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'nm-index-heap-'));
  await makeProject(join(work, 'project'), { articles: 1000, outlets: ['steppe-herald', 'alma-daily'], lang: 'ru', words: 600 });
}, 120_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const heldBy = (root: string) => {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'index-heap.ts'), root], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { articles: number; bytes: number };
};

describe('article index memory', () => {
  it('1,000 articles of 600 words, parsed from their files and then from the cache: under 5 MB of heap each time (about 2 MB; 10 MB when it kept the texts)', () => {
    const parsed = heldBy(join(work, 'project'));
    expect(parsed.articles).toBe(1000);
    expect(parsed.bytes).toBeLessThan(5 << 20);
    const cached = heldBy(join(work, 'project'));
    expect(cached.articles).toBe(1000);
    expect(cached.bytes).toBeLessThan(5 << 20);
  });
});
