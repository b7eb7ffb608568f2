/** seal end to end on a temp project: manifest, signature, CAR, cid.txt, bundle; byte-identical reruns; monotonic versions. */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { parseManifest, parsePublicKey, verifyBytes, discardBlocks, importTree, ZipReader } from '../../src/sealed/index.ts';
import { seal } from '../../src/seal/index.ts';
import { BUILT, makeProject, siteFiles, type Project } from './site-fixture.ts';

const run = promisify(execFile);
const projects: Project[] = [];
afterEach(async () => {
  for (const p of projects.splice(0)) await p.cleanup();
});
async function project(): Promise<Project> {
  const p = await makeProject();
  projects.push(p);
  return p;
}
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('seal', () => {
  it('writes a signed manifest of every file, the CAR, cid.txt and the bundle', async () => {
    const p = await project();
    const report = await seal({ root: p.root, key: p.key });
    const files = siteFiles();
    const manifestBytes = await readFile(join(p.dist, 'manifest.json'));
    const manifest = parseManifest(manifestBytes, 'manifest.json');
    expect(Object.keys(manifest)).toEqual(['format', 'version', 'built', 'publicKey', 'contentCid', 'files']);
    expect(manifest.version).toBe(Date.parse(BUILT) / 1000);
    expect(manifest.built).toBe(BUILT);
    expect(manifest.publicKey).toBe(p.publicKey);
    const rendered = ['build.json', 'index.html', 'media/photo.bin', 'steppe-herald/2026/01/first.html', 'steppe-herald/2026/02/second.html', 'style.css'];
    // SHA256SUMS lists the rendered files (coreutils format, sorted); it and its signature are in the manifest.
    const sums = Buffer.from(rendered.map((path) => `${sha(Buffer.from(files[path]!))}  ${path}\n`).join(''));
    const sumsSig = await readFile(join(p.site, 'SHA256SUMS.sig'));
    expect((await readFile(join(p.site, 'SHA256SUMS'))).toString()).toBe(sums.toString());
    expect(verifyBytes(sums, sumsSig, parsePublicKey(p.publicKey))).toBe(true);
    const withSums: Record<string, string | Buffer> = { ...files, SHA256SUMS: sums, 'SHA256SUMS.sig': sumsSig };
    expect(manifest.files).toEqual(
      ['SHA256SUMS', 'SHA256SUMS.sig', ...rendered].map((path) => {
        const bytes = Buffer.from(withSums[path]!);
        return { path, size: bytes.length, sha256: sha(bytes) };
      }),
    );
    // The content CID is the site without manifest.json and manifest.sig.
    const content = Object.entries(withSums).map(([path, c]) => ({ path, content: Buffer.from(c) }));
    expect(manifest.contentCid).toBe((await importTree(content, discardBlocks)).toString());
    const signature = await readFile(join(p.dist, 'manifest.sig'));
    expect(signature.length).toBe(64);
    expect(verifyBytes(manifestBytes, signature, parsePublicKey(p.publicKey))).toBe(true);
    expect(Buffer.compare(await readFile(join(p.site, 'manifest.json')), manifestBytes)).toBe(0);
    expect(Buffer.compare(await readFile(join(p.site, 'manifest.sig')), signature)).toBe(0);
    // cid.txt is the CID of the whole _site, manifest and signature included.
    const whole = [...content, { path: 'manifest.json', content: manifestBytes }, { path: 'manifest.sig', content: signature }];
    const cid = (await importTree(whole, discardBlocks)).toString();
    expect(await readFile(join(p.dist, 'cid.txt'), 'utf8')).toBe(`${cid}\n`);
    expect(report).toEqual({ version: manifest.version, built: BUILT, files: 8, bytes: manifest.files.reduce((s, f) => s + f.size, 0), cid, dist: p.dist, deltas: 0 });
  });

  it('makes a bundle with the readme in kk/ru/en, the site under site/ and the same CAR', async () => {
    const p = await project();
    const report = await seal({ root: p.root, key: p.key });
    const zip = await ZipReader.open(join(p.dist, 'site.zip'));
    try {
      expect([...zip.entries.keys()]).toEqual([
        'README.txt', 'cid.txt', 'site/SHA256SUMS', 'site/SHA256SUMS.sig', 'site/build.json', 'site/index.html', 'site/manifest.json', 'site/manifest.sig', 'site/media/photo.bin',
        'site/steppe-herald/2026/01/first.html', 'site/steppe-herald/2026/02/second.html', 'site/style.css', 'site.car',
      ]);
      const readme = (await zip.read('README.txt')).toString('utf8');
      expect(readme).toContain('Қалай ашу керек: архивті бір папкаға шығарыңыз');
      expect(readme).toContain('Как открыть: распакуйте архив в папку');
      expect(readme).toContain('How to open: extract the archive into a folder, then open site/index.html');
      expect(readme).toContain(`CID: ${report.cid}`);
      expect(readme.startsWith('Тестовое зеркало — 2026-02-03 (v')).toBe(true);
      expect(Buffer.compare(await zip.read('site/media/photo.bin'), Buffer.from(siteFiles()['media/photo.bin']!))).toBe(0);
      const inner = join(p.root, 'inner.car');
      await zip.extract('site.car', inner);
      expect(Buffer.compare(await readFile(inner), await readFile(join(p.dist, 'site.car')))).toBe(0);
    } finally {
      await zip.close();
    }
    const { stdout } = await run('unzip', ['-t', join(p.dist, 'site.zip')]);
    expect(stdout).toContain('No errors detected in compressed data');
  });

  it('gives byte-identical manifest, CAR and bundle for the same site, in another folder and again in place', async () => {
    const a = await project();
    const b = await project();
    await seal({ root: a.root, key: a.key });
    // Same key and site (site.yaml included: it pins the key), different project folder.
    await cp(join(a.root, 'content/_data/site.yaml'), join(b.root, 'content/_data/site.yaml'));
    await rm(b.site, { recursive: true });
    await cp(join(a.root, '_site'), b.site, { recursive: true, filter: (src) => !/manifest\.(json|sig)$/.test(src) });
    await seal({ root: b.root, key: a.key });
    for (const name of ['manifest.json', 'manifest.sig', 'site.car', 'site.zip', 'cid.txt']) {
      expect(Buffer.compare(await readFile(join(a.dist, name)), await readFile(join(b.dist, name))), name).toBe(0);
    }
    const car = await readFile(join(a.dist, 'site.car'));
    await seal({ root: a.root, key: a.key });
    expect(Buffer.compare(await readFile(join(a.dist, 'site.car')), car)).toBe(0);
  });

  it('keeps the version monotonic when the files change but the build time does not', async () => {
    const p = await project();
    const first = await seal({ root: p.root, key: p.key });
    expect((await seal({ root: p.root, key: p.key })).version).toBe(first.version);
    await writeFile(join(p.site, 'index.html'), '<h1>Исправлено</h1>\n');
    const second = await seal({ root: p.root, key: p.key });
    expect(second.version).toBe(first.version + 1);
    expect(second.cid).not.toBe(first.cid);
  });

  it('refuses a site without build.json, naming the file and what to run', async () => {
    const p = await project();
    await rm(join(p.site, 'build.json'));
    await expect(seal({ root: p.root, key: p.key })).rejects.toThrow(`${join(p.site, 'build.json')} is missing; run \`newsmirror build\` before sealing`);
  });
});

describe('seal CLI', () => {
  it('seals with the key from NEWSMIRROR_SIGNING_KEY and prints the report as JSON', async () => {
    const p = await project();
    const pem = p.key.export({ format: 'pem', type: 'pkcs8' }).toString();
    const dir = await mkdtemp(join(tmpdir(), 'newsmirror-xdg-'));
    try {
      const { stdout } = await run('npx', ['tsx', 'src/cli/main.ts', 'seal', '--root', p.root, '--json'], { env: { ...process.env, NEWSMIRROR_SIGNING_KEY: pem, XDG_CONFIG_HOME: dir } });
      const report = JSON.parse(stdout) as { cid: string; files: number };
      expect(report.files).toBe(8);
      expect(await readFile(join(p.dist, 'cid.txt'), 'utf8')).toBe(`${report.cid}\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
