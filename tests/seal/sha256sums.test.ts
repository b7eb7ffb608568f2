/**
 * The route for readers with only standard tools: on a copy downloaded from
 * `serve` and on the unzipped bundle, `openssl pkeyutl -verify … SHA256SUMS`
 * then `sha256sum -c SHA256SUMS` pass; one changed byte fails sha256sum, a
 * changed SHA256SUMS fails openssl; the verify page's key commands give the
 * site's own publickey.pem and fingerprint.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSums, parseManifest, sumsLine } from '../../src/sealed/index.ts';
import { build } from '../../src/render/index.ts';
import { keyFingerprint, verifyCommands } from '../../src/render/verify-key.ts';
import { seal } from '../../src/seal/index.ts';
import { startServer, type RunningServer } from '../../src/serve/index.ts';
import { searchProject, type SearchProject } from '../search/project.ts';

const exec = promisify(execFile);

/** Run a command in `cwd`; never throws: exit code and output. */
async function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(cmd, args, { cwd, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The two commands of the verify page, run for real, with key.pem written by the page's own one-liner from the ed25519: key. */
async function check(dir: string, publicKey: string): Promise<{ openssl: Awaited<ReturnType<typeof run>>; sums: Awaited<ReturnType<typeof run>> }> {
  const c = verifyCommands(publicKey);
  expect((await run('bash', ['-c', c.makePem], dir)).code).toBe(0);
  const openssl = await run('bash', ['-c', c.signature], dir);
  const sums = await run('bash', ['-c', c.sums], dir);
  return { openssl, sums };
}

let p: SearchProject;
let server: RunningServer;
let work: string;
let listed: string[];

beforeAll(async () => {
  p = await searchProject({ articles: 6 });
  await build({ root: p.root });
  await seal({ root: p.root, key: p.key });
  server = await startServer({ source: join(p.root, '_site'), port: 0 });
  work = await mkdtemp(join(tmpdir(), 'newsmirror-sums-'));
  listed = (await readFile(join(p.root, '_site', 'SHA256SUMS'), 'utf8')).trimEnd().split('\n').map((line) => line.slice(66));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
  await rm(p.root, { recursive: true, force: true });
});

describe('SHA256SUMS', () => {
  it('lists every file of the site but itself, its signature and the manifest pair, sorted, and the manifest covers it', async () => {
    const manifest = parseManifest(await readFile(join(p.root, '_site', 'manifest.json')), 'manifest.json');
    const paths = manifest.files.map((f) => f.path);
    expect(listed).toEqual(paths.filter((path) => path !== 'SHA256SUMS' && path !== 'SHA256SUMS.sig'));
    expect(paths).toEqual(expect.arrayContaining(['SHA256SUMS', 'SHA256SUMS.sig']));
    expect(listed).toEqual(expect.arrayContaining(['publickey.pem', 'search.html', 'search.js', 'pagefind/pagefind.js', 'pagefind/pagefind-entry.json', 'verify.html']));
    expect(listed).not.toContain('manifest.json');
    const bytes = await readFile(join(p.root, '_site', 'SHA256SUMS'));
    expect(bytes.toString()).toBe(formatSums(manifest.files.filter((f) => listed.includes(f.path))).toString());
  });

  it('escapes a name holding a backslash or a newline as sha256sum writes it', () => {
    const hash = 'ab'.repeat(32);
    expect(sumsLine('a/b.html', hash)).toBe(`${hash}  a/b.html\n`);
    expect(sumsLine('a\\b\nc.html', hash)).toBe(`\\${hash}  a\\\\b\\nc.html\n`);
  });

  it('passes openssl and sha256sum -c on a copy downloaded from serve; one changed byte fails sha256sum -c', async () => {
    const dir = join(work, 'served');
    for (const path of ['SHA256SUMS', 'SHA256SUMS.sig', ...listed]) {
      const res = await fetch(new URL(path.split('/').map(encodeURIComponent).join('/'), server.url));
      expect([path, res.status]).toEqual([path, 200]);
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), Buffer.from(await res.arrayBuffer()));
    }
    const ok = await check(dir, p.publicKey);
    expect([ok.openssl.code, ok.openssl.stdout]).toEqual([0, 'Signature Verified Successfully\n']);
    expect(ok.sums.code).toBe(0);
    expect(ok.sums.stdout).toBe(listed.map((path) => `${path}: OK\n`).join(''));

    const target = join(dir, 'verify.html');
    const page = await readFile(target);
    page[100] = page[100]! ^ 1;
    await writeFile(target, page);
    const bad = await check(dir, p.publicKey);
    expect(bad.openssl.code).toBe(0);
    expect(bad.sums.code).toBe(1);
    expect(bad.sums.stdout).toContain('verify.html: FAILED\n');
    expect(bad.sums.stdout.split('\n').filter((l) => l.endsWith('FAILED'))).toEqual(['verify.html: FAILED']);
    expect(bad.sums.stderr).toBe('sha256sum: WARNING: 1 computed checksum did NOT match\n');
  });

  it('passes both commands in the unzipped bundle; a changed SHA256SUMS fails openssl', async () => {
    const dir = join(work, 'unzipped');
    await mkdir(dir);
    expect((await run('unzip', ['-q', join(p.root, 'dist', 'site.zip')], dir)).code).toBe(0);
    const site = join(dir, 'site');
    const ok = await check(site, p.publicKey);
    expect([ok.openssl.code, ok.openssl.stdout, ok.sums.code]).toEqual([0, 'Signature Verified Successfully\n', 0]);
    expect(ok.sums.stdout.split('\n').filter(Boolean).length).toBe(listed.length);

    const sums = await readFile(join(site, 'SHA256SUMS'), 'utf8');
    // A forger who changes a page must change its line: the signature no longer matches.
    await writeFile(join(site, 'SHA256SUMS'), sums.replace(/^[0-9a-f]{64}(?= {2}about\.html$)/m, '0'.repeat(64)));
    const forged = await check(site, p.publicKey);
    expect([forged.openssl.code, forged.openssl.stdout]).toEqual([1, 'Signature Verification Failure\n']);
  });

  it('gives readers the same key three ways: publickey.pem, the one-liner from the ed25519: key, and the fingerprint on the verify page', async () => {
    const dir = join(work, 'key');
    await mkdir(dir);
    const pem = await readFile(join(p.root, '_site', 'publickey.pem'), 'utf8');
    await writeFile(join(dir, 'publickey.pem'), pem);
    const c = verifyCommands(p.publicKey);
    expect((await run('bash', ['-c', c.makePem], dir)).code).toBe(0);
    expect(await readFile(join(dir, 'key.pem'), 'utf8')).toBe(pem);
    const fingerprint = await run('bash', ['-c', c.fingerprint], dir);
    expect(fingerprint.stdout).toBe(`SHA2-256(stdin)= ${keyFingerprint(p.publicKey)}\n`);
    const page = await readFile(join(p.root, '_site', 'verify.html'), 'utf8');
    expect(page).toContain(`<code>${keyFingerprint(p.publicKey)}</code>`);
    expect(page).toContain(`<code>${p.publicKey}</code>`);
  });
});
