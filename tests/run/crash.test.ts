/**
 * SIGKILL during an incremental `newsmirror run` (the real CLI, bin/newsmirror.js,
 * in a child process): at named steps (NEWSMIRROR_TEST_KILL_AT) and at timed
 * offsets. After each kill, dist/ holds a complete sealed build (the previous
 * one or the new one: the CAR and the zip verify, never a mix), _site/ is a
 * complete site once recovered, and the next run completes with exactly the
 * bytes of a clean run: every file of _site/, the sealed outputs and the
 * copy the local `dir` target holds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverSite } from '../../src/build-cache/recover.ts';
import { runPipeline } from '../../src/cli/pipeline.ts';
import { silentReporter } from '../../src/core/log.ts';
import { build } from '../../src/render/index.ts';
import { generateKey, loadSigningKey } from '../../src/seal/index.ts';
import { verify } from '../../src/verify/index.ts';
import { startFeedServer, type FeedServer } from '../helpers/feed-server.ts';
import { articleHtml, generatedFrontMatter, makeProject, prng, writeArticle } from '../render/fixtures.ts';
import { BIN } from './cli.ts';

const OUTLET = 'steppe-herald';
const DIST = ['manifest.json', 'manifest.sig', 'cid.txt', 'site.car', 'site.zip'];
const PUBLIC = '.newsmirror/public';

let work: string;
let base: string;
let clean: string;
let keyFile: string;
let publicKey: KeyObject;
let server: FeedServer;
/** Root CID and version of the complete build before the change, and of the clean build after it. */
let before: { cid: string; version: number };
let after: { cid: string; version: number };

/** The change the killed run is making: three new articles. */
async function addArticles(root: string): Promise<void> {
  const random = prng(5);
  for (let i = 30; i < 33; i++) await writeArticle(root, generatedFrontMatter(i, OUTLET, 'ru', random), articleHtml(150, 'ru', random));
}

async function runToEnd(root: string) {
  const summary = await runPipeline({ root, keyFile, env: {}, reporter: silentReporter });
  expect(summary.errors).toEqual([]);
  expect(summary.exit).toBe(0);
  return summary;
}

/** `newsmirror run` in a child process, killed with SIGKILL at `step` or after `afterMs`. */
function killedRun(root: string, kill: { step?: string; afterMs?: number }): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', CI: '1', ...(kill.step ? { NEWSMIRROR_TEST_KILL_AT: kill.step } : {}) };
    const child = spawn(process.execPath, [BIN, 'run', '--root', root, '--key', keyFile], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = kill.afterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      resolve({ signal, stderr });
    });
  });
}

/** Every regular file under `dir` (relative path → bytes). */
async function files(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(join(e.parentPath, e.name).slice(dir.length + 1), await readFile(join(e.parentPath, e.name)));
  }
  return out;
}

/** '' when `root` has the clean run's bytes (site, sealed outputs, the published copy's site files), else the first difference. */
async function differenceFromClean(root: string): Promise<string> {
  const [ours, theirs] = [await files(join(root, '_site')), await files(join(clean, '_site'))];
  const keys = [...new Set([...ours.keys(), ...theirs.keys()])].sort();
  for (const k of keys) if (!ours.get(k)?.equals(theirs.get(k) ?? Buffer.alloc(0)) || !theirs.has(k)) return `_site/${k} differs from the clean run`;
  for (const f of DIST) if (!(await readFile(join(root, 'dist', f))).equals(await readFile(join(clean, 'dist', f)))) return `dist/${f} differs from the clean run`;
  const published = await files(join(root, PUBLIC));
  for (const k of keys) if (!published.get(k)?.equals(theirs.get(k)!)) return `${PUBLIC}/${k} differs from the clean run's _site/${k}`;
  return '';
}

/** What a kill must never leave: dist/ holds one complete sealed build, the previous or the new one. */
async function sealedOutputsAreWhole(root: string): Promise<void> {
  const car = await verify({ source: join(root, 'dist/site.car'), publicKey });
  const zip = await verify({ source: join(root, 'dist/site.zip'), publicKey });
  expect(car.problems).toEqual([]);
  expect(zip.problems).toEqual([]);
  expect([before.version, after.version]).toContain(car.version);
  expect(zip.version).toBe(car.version);
  const manifest = JSON.parse(await readFile(join(root, 'dist/manifest.json'), 'utf8')) as { version: number };
  expect(manifest.version).toBe(car.version);
  expect((await readFile(join(root, 'dist/cid.txt'), 'utf8')).trim()).toBe(car.version === before.version ? before.cid : after.cid);
}

/** _site/, once recovered as every command does first, is a complete site: sealed (old or new), or the new build not sealed yet. */
async function siteIsWhole(root: string): Promise<void> {
  expect(await recoverSite(root)).not.toBe('absent');
  expect((await stat(join(root, '_site/index.html'))).isFile()).toBe(true);
  const sealed = await stat(join(root, '_site/manifest.json')).then(() => true, () => false);
  if (sealed) {
    const site = await verify({ source: join(root, '_site'), publicKey });
    expect(site.problems).toEqual([]);
    expect([before.version, after.version]).toContain(site.version);
  } else {
    // Built, not sealed yet: the new build, complete (build.json is written with the rest of it).
    expect(JSON.parse(await readFile(join(root, '_site/build.json'), 'utf8'))).toMatchObject({ articles: 33 });
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'nm-crash-run-'));
  keyFile = join(work, 'key.pem');
  await generateKey(keyFile);
  publicKey = createPublicKey(await loadSigningKey({ keyFile, env: {} }));
  server = await startFeedServer({ mountFixtures: false });
  server.serve(`/${OUTLET}.xml`, `<?xml version="1.0"?><rss version="2.0"><channel><title>${OUTLET}</title><link>https://${OUTLET}.example/</link><description>-</description></channel></rss>`, { contentType: 'application/rss+xml' });
  base = join(work, 'base');
  await makeProject(base, { articles: 30, outlets: [OUTLET], words: 150, mirrors: { 'local.yaml': `name: local\ntype: dir\nurl: http://127.0.0.1:8080/\npath: ${PUBLIC}\n` } });
  await writeFile(join(base, 'content/_data/outlets.yaml'), `- id: ${OUTLET}\n  name: "Steppe Herald"\n  homepage: https://${OUTLET}.example/\n  lang: ru\n  feeds: ['${server.url}/${OUTLET}.xml']\n`);
  const first = await runToEnd(base);
  before = { cid: first.cid!, version: first.seal!.version };
  clean = join(work, 'clean');
  await cp(base, clean, { recursive: true });
  await addArticles(clean);
  const next = await runToEnd(clean);
  after = { cid: next.cid!, version: next.seal!.version };
  expect(after.version).toBeGreaterThan(before.version);
}, 180_000);
afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('SIGKILL during an incremental newsmirror run', () => {
  let n = 0;
  async function killedProject(): Promise<string> {
    const root = join(work, `killed-${n++}`);
    await cp(base, root, { recursive: true });
    await addArticles(root);
    return root;
  }

  it.each(['run:after-ingest', 'run:after-build', 'run:after-seal', 'run:during-publish'])('killed at %s: dist/ and _site/ stay whole, the next run gives the clean bytes', async (step) => {
    const root = await killedProject();
    const killed = await killedRun(root, { step });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    await sealedOutputsAreWhole(root);
    await siteIsWhole(root);
    await runToEnd(root);
    expect(await differenceFromClean(root)).toBe('');
  }, 90_000);

  it.each([2000, 5000])('killed %i ms after start: dist/ and _site/ stay whole, the next run gives the clean bytes', async (afterMs) => {
    const root = await killedProject();
    await killedRun(root, { afterMs });
    await sealedOutputsAreWhole(root);
    await siteIsWhole(root);
    await runToEnd(root);
    expect(await differenceFromClean(root)).toBe('');
  }, 90_000);

  it('killed while the seal moves its outputs into place: `newsmirror publish` alone finishes that seal first and publishes the new build whole', async () => {
    const root = await killedProject();
    const killed = await killedRun(root, { step: 'apply:2' });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const published = spawnSync(process.execPath, [BIN, 'publish', '--root', root], { env: { PATH: process.env.PATH ?? '', CI: '1' }, encoding: 'utf8' });
    expect(published.stderr).toContain('an interrupted seal was finished before publishing');
    expect(published.status, published.stderr).toBe(0);
    const copy = await verify({ source: join(root, PUBLIC), publicKey });
    expect(copy.problems).toEqual([]);
    expect(copy.version).toBe(after.version);
    await sealedOutputsAreWhole(root);
  }, 90_000);

  it('killed between the two renames of the _site swap (regression: no _site/ at all): the previous site is put back, the next run completes', async () => {
    const root = await killedProject();
    // Exactly what build() leaves after its first rename: the new build in _site.new/, the previous one moved to _site.old/.
    const scratch = join(work, 'scratch-build');
    await cp(root, scratch, { recursive: true });
    await build({ root: scratch });
    await rename(join(scratch, '_site'), join(root, '_site.new'));
    await rename(join(root, '_site'), join(root, '_site.old'));
    await sealedOutputsAreWhole(root);
    expect(await recoverSite(root)).toBe('restored');
    const site = await verify({ source: join(root, '_site'), publicKey });
    expect(site.problems).toEqual([]);
    expect(site.version).toBe(before.version);
    await rename(join(root, '_site'), join(root, '_site.old'));
    // The run itself recovers first.
    await runToEnd(root);
    expect(await differenceFromClean(root)).toBe('');
    expect(await stat(join(root, '_site.old')).then(() => 'left', () => 'gone')).toBe('gone');
    await rm(scratch, { recursive: true, force: true });
  }, 90_000);
});
