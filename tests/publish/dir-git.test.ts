// publish to dir and git (a bare repo made by the test), dry-run, skipped targets, onion config checked by tor and nginx.
// Site publishing only (bundles: false); bundles beside the site are pinned in tests/operator/bundles.test.ts.
import { spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish } from '../../src/publish/index.ts';
import { listEntries, listFiles } from '../../src/publish/dir.ts';
import { verify } from '../../src/verify/index.ts';
import { buildSite, makeProject, newKey, range, tempDir, write } from './helpers.ts';

const key = newKey();
let root: string;
let remote: string;

function git(args: string[], cwd?: string): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

beforeAll(async () => {
  root = await makeProject(key);
  remote = join(await tempDir('git-remote'), 'site.git');
  git(['init', '--bare', '--quiet', remote]);
  await write(join(root, 'mirrors/local.yaml'), 'name: local\ntype: dir\nbundles: false\nurl: http://127.0.0.1:8080/\npath: .newsmirror/public\n');
  await write(join(root, 'mirrors/pages.yaml'), `name: pages\ntype: git\nbundles: false\nurl: https://example.org/news/\nrepo: ${remote}\nbranch: gh-pages\ncname: news.example.org\n`);
  await write(join(root, 'mirrors/off.yaml'), 'name: off\ntype: dir\nbundles: false\nenabled: false\npath: off\n');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(join(remote, '..'), { recursive: true, force: true });
});

describe('publish to dir and git', () => {
  it('a destination\'s files and symlinks are listed as forward-slash paths, whether its folder is given with a trailing slash or not', async () => {
    const dir = await tempDir('list');
    await write(join(dir, 'a.txt'), 'a');
    await write(join(dir, 'x/y/b.txt'), 'b');
    await symlink('../a.txt', join(dir, 'x/l'));
    for (const given of [dir, `${dir}/`]) {
      const { files, links } = await listEntries(given);
      expect(files.sort()).toEqual(['a.txt', 'x/l', 'x/y/b.txt']);
      expect([...links]).toEqual(['x/l']);
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('dry-run says what it would do and changes nothing', async () => {
    await buildSite(root, key, { articles: range(0, 5), built: '2026-01-01T00:00:00Z' });
    const results = await publish({ root, dryRun: true });
    expect(results.map((r) => [r.target, r.status, r.files])).toEqual([
      ['local', 'ok', 12],
      ['off', 'skipped', 0],
      ['pages', 'ok', 12],
    ]);
    expect(results[0]?.detail).toMatch(/^would write 12 new or changed files \(\d+ bytes\), 0 to remove, in /);
    expect(await listFiles(join(root, '.newsmirror/public'))).toEqual([]);
    expect(git(['branch', '--list'], remote)).toBe('');
  });

  it('first publish copies every file; the git branch holds one commit with .nojekyll and CNAME, dated from the manifest', async () => {
    const results = await publish({ root });
    expect(results.map((r) => [r.target, r.status, r.files, r.reason])).toEqual([
      ['local', 'ok', 12, undefined],
      ['off', 'skipped', 0, 'disabled (enabled: false in its mirror file)'],
      ['pages', 'ok', 12, undefined],
    ]);
    const published = join(root, '.newsmirror/public');
    expect((await listFiles(published)).sort()).toEqual(['.newsmirror-mirror', 'SHA256SUMS', 'SHA256SUMS.sig', 'articles/0.html', 'articles/1.html', 'articles/2.html', 'articles/3.html', 'articles/4.html', 'build.json', 'index.html', 'manifest.json', 'manifest.sig', 'style.css']);
    expect(await readFile(join(published, 'manifest.json'))).toEqual(await readFile(join(root, 'dist/manifest.json')));
    // The published folder verifies as a whole: the publish marker is not an "extra" file.
    expect(await verify({ source: published, publicKey: createPublicKey(key) })).toMatchObject({ ok: true, problems: [] });
    expect(git(['ls-tree', '-r', '--name-only', 'gh-pages'], remote).trim().split('\n')).toEqual(['.nojekyll', 'CNAME', 'SHA256SUMS', 'SHA256SUMS.sig', 'articles/0.html', 'articles/1.html', 'articles/2.html', 'articles/3.html', 'articles/4.html', 'build.json', 'index.html', 'manifest.json', 'manifest.sig', 'style.css']);
    expect(git(['log', '--format=%an %ad %s', '--date=iso-strict', 'gh-pages'], remote)).toMatch(/^newsmirror 2026-01-01T00:00:00\+00:00 newsmirror build 1767225600 \(2026-01-01T00:00:00.000Z\)\n$/);
    expect(git(['show', 'gh-pages:CNAME'], remote)).toBe('news.example.org\n');
  });

  it('a second build sends only new and changed files, removes deleted ones, and keeps one commit', async () => {
    await buildSite(root, key, { articles: [...range(1, 5), 7, 8], built: '2026-01-02T00:00:00Z' });
    const before = git(['rev-parse', 'gh-pages'], remote);
    const [dry] = await publish({ root, targets: ['pages'], dryRun: true });
    expect(dry?.detail).toMatch(new RegExp(`^would force-push one commit \\(tree [0-9a-f]{12}, 8 changed files\\) to ${remote} gh-pages$`));
    expect(git(['rev-parse', 'gh-pages'], remote)).toBe(before);
    const results = await publish({ root });
    // Changed: index.html, build.json, SHA256SUMS(.sig), manifest.json, manifest.sig; new: articles 7 and 8.
    expect(results.map((r) => [r.target, r.status, r.files])).toEqual([['local', 'ok', 8], ['off', 'skipped', 0], ['pages', 'ok', 8]]);
    expect(results[0]?.detail).toMatch(/, 1 removed, in /);
    const published = join(root, '.newsmirror/public');
    expect(await readdir(join(published, 'articles'))).toEqual(['1.html', '2.html', '3.html', '4.html', '7.html', '8.html']);
    expect(git(['rev-list', '--count', 'gh-pages'], remote).trim()).toBe('1');
    expect(git(['ls-tree', '-r', '--name-only', 'gh-pages', 'articles'], remote).trim().split('\n')).toEqual(['articles/1.html', 'articles/2.html', 'articles/3.html', 'articles/4.html', 'articles/7.html', 'articles/8.html']);
    // Publishing the same build again moves nothing.
    const again = await publish({ root, targets: ['local', 'pages'] });
    expect(again.map((r) => [r.target, r.files, r.bytes])).toEqual([['local', 0, 0], ['pages', 0, 0]]);
    expect(again[1]?.detail).toMatch(/already at [0-9a-f]{12}$/);
  });

  it('repairs a copy whose file was altered or removed', async () => {
    const published = join(root, '.newsmirror/public');
    // Same size, other bytes: found by its hash (it changed after the copy's manifest was written).
    const page = await readFile(join(published, 'articles/2.html'), 'utf8');
    await writeFile(join(published, 'articles/2.html'), page.replace('Independent', 'Dependent!!'));
    await rm(join(published, 'style.css'));
    await writeFile(join(published, 'articles/.3.html.a1b2c3.tmp'), 'left by a killed run');
    const [local] = await publish({ root, targets: ['local'] });
    expect(local?.files).toBe(2);
    expect(local?.detail).toMatch(/, 1 removed, in /);
    expect(await readdir(join(published, 'articles'))).toEqual(['1.html', '2.html', '3.html', '4.html', '7.html', '8.html']);
    expect(await readFile(join(published, 'articles/2.html'))).toEqual(await readFile(join(root, '_site/articles/2.html')));
  });

  it('refuses to publish into a non-empty folder that is not a mirror, and into the project itself', async () => {
    await write(join(root, 'elsewhere/notes.txt'), 'mine');
    await write(join(root, 'mirrors/bad.yaml'), 'name: bad\ntype: dir\nbundles: false\npath: elsewhere\n');
    await write(join(root, 'mirrors/self.yaml'), 'name: self\ntype: dir\nbundles: false\npath: .\n');
    const results = await publish({ root, targets: ['bad', 'self'] });
    expect(results.map((r) => [r.target, r.status])).toEqual([['bad', 'failed'], ['self', 'failed']]);
    expect(results[0]?.reason).toBe(`mirror "bad": ${join(root, 'elsewhere')} is not empty and holds no manifest.json, so it is not a newsmirror mirror; refusing to replace its files (empty it or choose another path)`);
    expect(results[1]?.reason).toMatch(/^mirror "self": path .* is the project, or inside _site\/, dist\/, content\/ or mirrors\/; choose a folder of its own/);
    expect(await readFile(join(root, 'elsewhere/notes.txt'), 'utf8')).toBe('mine');
    await rm(join(root, 'mirrors/bad.yaml'));
    await rm(join(root, 'mirrors/self.yaml'));
  });

  it('the CLI prints JSON results and exits 0 on a dry-run, 2 on an unknown target', () => {
    const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'publish', '--root', root, ...args], { encoding: 'utf8' });
    const dry = cli(['--dry-run', '--json', '--target', 'local', '--target', 'off']);
    expect(dry.status).toBe(0);
    expect((JSON.parse(dry.stdout) as { target: string; status: string; files: number }[]).map((r) => [r.target, r.status, r.files])).toEqual([['local', 'ok', 0], ['off', 'skipped', 0]]);
    const unknown = cli(['--target', 'nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('newsmirror publish: no mirror named "nope" in mirrors/*.yaml (known: local, off, pages)\n');
  });

  it('a push to a repository that does not exist fails at once, naming it', async () => {
    await write(join(root, 'mirrors/gone.yaml'), `name: gone\ntype: git\nbundles: false\nrepo: ${root}/missing.git\nretryDelay: 30\n`);
    const [result] = await publish({ root, targets: ['gone'] });
    expect(result?.status).toBe('failed');
    expect(result?.reason).toMatch(new RegExp(`^mirror "gone": ${root}/missing\\.git refused the push or does not exist \\(.*does not appear to be a git repository.*\\); check "repo" and the credentials \\(tokenEnv / identityFile\\)`));
    expect(result?.ms).toBeLessThan(30_000);
    await rm(join(root, 'mirrors/gone.yaml'));
    await rm(join(root, '.newsmirror/git/gone.git'), { recursive: true });
  });

  it('names unknown targets', async () => {
    await expect(publish({ root, targets: ['nope'] })).rejects.toThrow('no mirror named "nope" in mirrors/*.yaml (known: local, off, pages)');
  });
});
