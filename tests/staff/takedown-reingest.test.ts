import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArticleIndex } from '../../src/content/index.ts';
import { silentReporter } from '../../src/core/log.ts';
import { demoOutletsYaml, startFeedServer } from '../../src/demo/index.ts';
import { ingest } from '../../src/ingest/index.ts';
import { build } from '../../src/render/index.ts';
import { takedown } from '../../src/staff/takedown.ts';

let root: string;
let feeds: Awaited<ReturnType<typeof startFeedServer>>;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nm-takedown-'));
  feeds = await startFeedServer();
  await mkdir(join(root, 'content', '_data'), { recursive: true });
  await writeFile(join(root, 'content/_data/outlets.yaml'), demoOutletsYaml(feeds.url));
  await writeFile(join(root, 'content/_data/site.yaml'), 'title: T\nlang: ru\n');
});
afterAll(async () => {
  await feeds.close();
  await rm(root, { recursive: true, force: true });
});

describe('takedown survives re-ingest of the same feed', () => {
  it('never writes or renders the article again, though the feed still offers it', async () => {
    const first = await ingest({ root, outlets: ['steppe-herald'], reporter: silentReporter });
    expect(first.outlets.map((o) => [o.outlet, o.new, o.failed])).toEqual([['steppe-herald', 3, []]]);
    const index = await readArticleIndex(root);
    const victim = [...index.values()].sort((a, b) => a.frontMatter.url.localeCompare(b.frontMatter.url))[0]!;
    const result = await takedown({ root, target: victim.frontMatter.url, reason: 'source safety', now: new Date('2026-02-01T12:00:00Z') });
    expect(result.removed).toEqual([victim.path.slice(root.length + 1)]);
    expect((await readArticleIndex(root)).has(victim.frontMatter.id)).toBe(false);

    // The same feed again, from scratch (no HTTP cache, so it is fetched and parsed in full).
    await rm(join(root, '.newsmirror'), { recursive: true, force: true });
    const again = await ingest({ root, outlets: ['steppe-herald'], reporter: silentReporter });
    expect(again.outlets.map((o) => [o.outlet, o.new, o.updated, o.unchanged, o.skipped])).toEqual([['steppe-herald', 0, 0, 2, 1]]);
    const after = await readArticleIndex(root);
    expect([after.size, after.has(victim.frontMatter.id)]).toEqual([2, false]);
    await expect(readFile(victim.path)).rejects.toMatchObject({ code: 'ENOENT' });

    // Gone from the site, its feeds and its search/listing pages; the other two are there.
    expect((await build({ root })).articles).toBe(2);
    const files = (await readdir(join(root, '_site'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    const site = (await Promise.all(files.map((e) => readFile(join(e.parentPath, e.name), 'utf8')))).join('\n');
    expect(site).not.toContain(victim.frontMatter.title);
    expect(site).not.toContain(victim.frontMatter.url);
    for (const kept of after.values()) expect(site).toContain(kept.frontMatter.title);
  });
});
