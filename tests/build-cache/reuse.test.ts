/**
 * A run that finds nothing new reuses the last sealed build: nothing in _site/
 * or dist/ is rewritten, the CID stays, targets that hold it get nothing, and
 * any change to an input (an article, a layout, site.yaml, a mirror file) or to
 * the outputs themselves makes the next run build and seal again.
 */
import { readFile, rm, stat, writeFile, appendFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStages, runPipeline, type RunSummary } from '../../src/cli/pipeline.ts';
import { silentReporter } from '../../src/core/log.ts';
import { generateKey } from '../../src/seal/index.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { makeProject } from '../render/fixtures.ts';
import { cli } from '../run/cli.ts';

let work: string;
let root: string;
let keyFile: string;
let feeds: FeedServer;

const RSS = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Steppe</title><link>https://steppe-herald.example/</link><description>d</description>
<item><title>Суд отложил заседание</title><link>https://steppe-herald.example/news/a</link><guid>https://steppe-herald.example/news/a</guid><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate><description>Заседание перенесли на неделю.</description></item>
</channel></rss>`;

const run = (): Promise<RunSummary> => runPipeline({ root, keyFile, env: {}, reporter: silentReporter });
const mtimes = async (files: string[]) => Promise.all(files.map(async (f) => (await stat(join(root, f))).mtimeMs));
const OUTPUTS = ['_site/index.html', '_site/manifest.json', 'dist/manifest.json', 'dist/site.car', 'dist/site.zip', 'dist/cid.txt'];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'nm-reuse-'));
  root = join(work, 'project');
  keyFile = join(work, 'key.pem');
  await generateKey(keyFile);
  feeds = await startFeedServer({ mountFixtures: false });
  feeds.serve('/steppe.xml', RSS, { contentType: 'application/rss+xml; charset=utf-8' });
  await makeProject(root, { articles: 12, outlets: ['steppe-herald'] });
  await writeFile(join(root, 'content/_data/outlets.yaml'), `- id: steppe-herald\n  name: Steppe Herald\n  homepage: https://steppe-herald.example/\n  lang: ru\n  feeds: ['${feeds.url}/steppe.xml']\n`);
});
afterAll(async () => {
  await feeds.close();
  await rm(work, { recursive: true, force: true });
});

describe('a run with nothing new', () => {
  it('reuses the sealed build: same CID, no output rewritten, the dir target sent nothing', async () => {
    const first = await run();
    expect(first.exit).toBe(0);
    expect(first.reused).toBeUndefined();
    expect(first.outlets[0]?.new).toBe(1);
    const before = await mtimes(OUTPUTS);
    // Staging hard-links the articles it renders, which changes their ctime only: the next run finds them as recorded.
    const caches = await mtimes(['.newsmirror/cache/inputs.json', '.newsmirror/cache/fingerprint.json']);
    const second = await run();
    expect(second.exit).toBe(0);
    expect(second.reused).toBe(true);
    expect(second.cid).toBe(first.cid);
    expect(second.seal).toEqual(first.seal);
    expect(second.build).toEqual(first.build);
    expect(second.targets).toEqual([{ target: 'local', type: 'dir', status: 'ok', files: 0, bytes: 0, ms: 0, detail: `already holds v${first.seal!.version}: nothing sent`, url: 'http://127.0.0.1:8080/' }]);
    expect(second.localDirs).toEqual([join(root, '.newsmirror/public')]);
    expect(await mtimes(OUTPUTS)).toEqual(before);
    expect(await mtimes(['.newsmirror/cache/inputs.json', '.newsmirror/cache/fingerprint.json'])).toEqual(caches);
    expect((await readFile(join(root, 'dist/cid.txt'), 'utf8')).trim()).toBe(first.cid);
  });

  it('the real CLI with nothing new loads no renderer, search, CAR or publish package: only yaml and zod (start-up is most of such a run)', async () => {
    await run();
    expect((await run()).reused).toBe(true);
    const list = join(work, 'modules.txt');
    const result = await cli(['run', '--json', '--root', root, '--key', keyFile], { CI: '1', NM_RECORD_MODULES: list, NODE_OPTIONS: `--import ${join(import.meta.dirname, '../helpers/record-modules.mjs')}` });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).reused).toBe(true);
    const urls = (await readFile(list, 'utf8')).split('\n');
    // tsx and esbuild are the loader when the CLI runs from source (no fresh .build/), not the command.
    const packages = new Set(urls.flatMap((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []).filter((p) => p !== 'tsx' && p !== 'esbuild'));
    expect([...packages].sort()).toEqual(['yaml', 'zod']);
  });

  it.each([
    ['an edited article', () => appendFile(join(root, 'content/steppe-herald/2020/01/0000000000000003.md'), '<p>Поправка.</p>\n')],
    ['a changed site.yaml', async () => writeFile(join(root, 'content/_data/site.yaml'), (await readFile(join(root, 'content/_data/site.yaml'), 'utf8')).replace('"Newsmirror"', '"Зеркало"'))],
    ['a changed mirror list', () => writeFile(join(root, 'mirrors/extra.yaml'), 'name: extra\ntype: dir\nurl: http://127.0.0.1:8081/\npath: .newsmirror/extra\n')],
    ['a deleted CAR', () => rm(join(root, 'dist/site.car'))],
    ['a site rebuilt by hand', () => rm(join(root, '_site/manifest.json'))],
  ])('builds and seals again after %s, then reuses that', async (_what, change) => {
    const before = await run();
    expect(before.reused).toBe(true);
    await change();
    const after = await run();
    expect(after.exit).toBe(0);
    expect(after.reused).toBeUndefined();
    const again = await run();
    expect(again.reused).toBe(true);
    expect(again.cid).toBe(after.cid);
  });

  it('sends a reused build to a target that failed last time', async () => {
    await run();
    const state = JSON.parse(await readFile(join(root, '.newsmirror/publish.json'), 'utf8')) as Record<string, { version: number }>;
    state.local!.version -= 1;
    await writeFile(join(root, '.newsmirror/publish.json'), JSON.stringify(state));
    const retried = await run();
    expect(retried.reused).toBe(true);
    expect(retried.targets.find((t) => t.target === 'local')?.detail).not.toMatch(/already holds/);
    expect(retried.targets.find((t) => t.target === 'local')?.status).toBe('ok');
    const settled = await run();
    expect(settled.targets.find((t) => t.target === 'local')?.detail).toMatch(/already holds/);
  });

  it('an article edited while the build ran: that run seals what it read, and the next one builds again with the edit', async () => {
    expect((await run()).reused).toBe(true);
    const article = join(root, 'content/steppe-herald/2020/01/0000000000000005.md');
    await appendFile(article, '<p>Первая версия.</p>\n');
    const stages = await loadStages();
    const build = stages.build;
    stages.build = async (o) => {
      const report = await build(o);
      await appendFile(article, '<p>Поправка во время сборки.</p>\n');
      return report;
    };
    const during = await runPipeline({ root, keyFile, env: {}, reporter: silentReporter, stages });
    expect(during.reused).toBeUndefined();
    expect(await readFile(join(root, '_site/steppe-herald/2020/01/0000000000000005.html'), 'utf8')).not.toContain('Поправка во время сборки.');
    const next = await run();
    expect(next.reused).toBeUndefined();
    expect(next.cid).not.toBe(during.cid);
    expect(await readFile(join(root, '_site/steppe-herald/2020/01/0000000000000005.html'), 'utf8')).toContain('Поправка во время сборки.');
    expect((await run()).reused).toBe(true);
  });

  it('rebuilds from scratch when the cache folder is deleted, with the same CID', async () => {
    const before = await run();
    await rm(join(root, '.newsmirror/cache'), { recursive: true });
    const after = await run();
    expect(after.reused).toBeUndefined();
    expect(after.cid).toBe(before.cid);
  });
});
