/** verify against folders, CARs, bundles and URLs: every kind of damage is reported exactly, none crashes. */
import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPublicKey, parsePublicKey, serializeManifest, signBytes, type Manifest, rawCid, writeCar, listSite, ZipWriter } from '../../src/sealed/index.ts';
import { seal } from '../../src/seal/index.ts';
import { startServer } from '../../src/serve/index.ts';
import { verify } from '../../src/verify/index.ts';
import { makeProject, siteFiles, type Project } from '../seal/site-fixture.ts';

const run = promisify(execFile);
let p: Project;
let cid: string;
let version: number;
beforeAll(async () => {
  p = await makeProject();
  ({ cid, version } = await seal({ root: p.root, key: p.key }));
});
afterAll(async () => {
  await p.cleanup();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const check = (source: string, publicKey = parsePublicKey(p.publicKey)) => verify({ source, publicKey });

/** A copy of the sealed site in a sibling folder, changed by `change`. */
async function damagedCopy(name: string, change: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(p.root, name);
  await run('cp', ['-r', p.site, dir]);
  await change(dir);
  return dir;
}

describe('verify a folder', () => {
  it('passes the sealed site', async () => {
    expect(await check(p.site)).toEqual({ ok: true, version, cid: undefined, problems: [] });
  });

  it('reports one flipped byte in one file, a removed file and an added file', async () => {
    const dir = await damagedCopy('damaged', async (d) => {
      const photo = await readFile(join(d, 'media/photo.bin'));
      photo[1000] = photo[1000]! ^ 0x01;
      await writeFile(join(d, 'media/photo.bin'), photo);
      await rm(join(d, 'style.css'));
      await writeFile(join(d, 'steppe-herald/2026/01/injected.html'), '<script>alert(1)</script>');
    });
    const original = Buffer.from(siteFiles()['media/photo.bin']!);
    const flipped = Buffer.from(original);
    flipped[1000] = flipped[1000]! ^ 0x01;
    const report = await check(dir);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      { path: 'media/photo.bin', kind: 'altered', detail: `expected 1300000 bytes with sha256 ${sha(original)}, found 1300000 bytes with sha256 ${sha(flipped)}` },
      { path: 'style.css', kind: 'missing', detail: `named in the manifest (${Buffer.byteLength(siteFiles()['style.css']!)} bytes) but not in this copy` },
      { path: 'steppe-herald/2026/01/injected.html', kind: 'extra', detail: 'not in the signed manifest (added after sealing)' },
    ]);
  });

  it('reports a wrong key and an edited manifest as a signature problem', async () => {
    const other = generateKeyPairSync('ed25519').publicKey;
    const wrong = await check(p.site, other);
    expect(wrong.problems).toEqual([{
      path: 'manifest.sig',
      kind: 'signature',
      detail: `signed by ${p.publicKey}, not by the key you trust (${formatPublicKey(other)}): someone else sealed this copy, or the site changed its key without telling you`,
    }]);
    const dir = await damagedCopy('edited-manifest', async (d) => {
      const text = await readFile(join(d, 'manifest.json'), 'utf8');
      await writeFile(join(d, 'manifest.json'), text.replace(`"version":${version}`, `"version":${version + 1}`));
    });
    const edited = await check(dir);
    expect(edited.problems).toEqual([{ path: 'manifest.sig', kind: 'signature', detail: `the signature does not match manifest.json under the key ${p.publicKey} (wrong key, or the manifest was changed)` }]);
  });
});

describe('verify a CAR', () => {
  it('passes dist/site.car and reports its root', async () => {
    expect(await check(join(p.dist, 'site.car'))).toEqual({ ok: true, version, cid, problems: [] });
  });

  it('reports a truncated CAR as problems, not a crash', async () => {
    const car = await readFile(join(p.dist, 'site.car'));
    const cut = join(p.root, 'truncated.car');
    await writeFile(cut, car.subarray(0, Math.floor(car.length / 2)));
    const report = await check(cut);
    expect(report.ok).toBe(false);
    expect(report.cid).toBe(cid);
    expect(report.problems.map((x) => [x.kind, x.path])).toEqual([
      ['unreadable', cut],
      ['root', cid],
      ['unreadable', 'manifest.json'],
    ]);
    expect(report.problems[0]!.detail).toMatch(/^the CAR ends early or is damaged after byte \d+: Unexpected end of data$/);
  });

  it('reports a tampered block by its CID and byte offset, and the file it breaks', async () => {
    const car = await readFile(join(p.dist, 'site.car'));
    const html = Buffer.from(siteFiles()['index.html']!);
    const at = car.indexOf(html);
    expect(at).toBeGreaterThan(0);
    const tampered = Buffer.from(car);
    tampered[at + 20] = tampered[at + 20]! ^ 0x20;
    const file = join(p.root, 'tampered.car');
    await writeFile(file, tampered);
    const report = await check(file);
    const sectionStart = at - 36 - 2; // the varint of (36-byte CID + block) takes 2 bytes here
    expect(report.problems).toEqual([
      { kind: 'block', path: rawCid(html).toString(), detail: `block at byte ${sectionStart} does not hash to its CID (tampered or damaged)` },
      { kind: 'unreadable', path: 'index.html', code: 'ERR_MISSING_BLOCK', detail: `block ${rawCid(html).toString()} is not in the archive (or failed its hash check)` },
    ]);
  });
  it('reports a signed manifest whose contentCid is not the content of the CAR', async () => {
    const dir = await damagedCopy('wrong-content-cid', async (d) => {
      const manifest = JSON.parse(await readFile(join(d, 'manifest.json'), 'utf8')) as Record<string, unknown>;
      manifest.contentCid = rawCid(Buffer.from('something else')).toString();
      const bytes = serializeManifest(manifest as unknown as Manifest);
      await writeFile(join(d, 'manifest.json'), bytes);
      await writeFile(join(d, 'manifest.sig'), signBytes(bytes, p.key));
    });
    const entries = (await listSite(dir)).files.map((f) => ({ path: f.path, abs: f.abs }));
    const file = join(p.root, 'wrong-content-cid.car');
    await writeCar((async function* () {
      for (const e of entries) yield { path: e.path, content: await readFile(e.abs) };
    })(), file);
    const report = await check(file);
    expect(report.problems).toEqual([{
      path: 'manifest.json',
      kind: 'root',
      detail: `the manifest's contentCid ${rawCid(Buffer.from('something else')).toString()} is not the CAR's content (its root without manifest.json and manifest.sig): ${JSON.parse(await readFile(join(p.dist, 'manifest.json'), 'utf8')).contentCid}`,
    }]);
  });
});

describe('verify a bundle', () => {
  it('passes dist/site.zip, checking the CAR inside too', async () => {
    expect(await check(join(p.dist, 'site.zip'))).toEqual({ ok: true, version, cid, problems: [] });
  });

  it('reports an altered file inside a bundle', async () => {
    const file = join(p.root, 'altered.zip');
    const zip = await ZipWriter.create(file);
    for (const name of ['manifest.json', 'manifest.sig', ...Object.keys(siteFiles())].sort()) {
      const bytes = name === 'index.html' ? Buffer.from('<h1>подмена</h1>') : await readFile(join(p.site, name));
      await zip.addFile(`site/${name}`, bytes);
    }
    await zip.close();
    const report = await check(file);
    expect(report.problems.map((x) => [x.kind, x.path])).toEqual([['altered', 'index.html']]);
  });
});

describe('verify a URL', () => {
  it('fetches the manifest, signature and every file; reports a missing and an altered one', async () => {
    const good = await startServer({ source: p.site, port: 0 });
    try {
      expect(await check(good.url)).toEqual({ ok: true, version, cid: undefined, problems: [] });
    } finally {
      await good.close();
    }
    const dir = await damagedCopy('served-damaged', async (d) => {
      await writeFile(join(d, 'index.html'), 'blocked by order of the ministry');
      await rm(join(d, 'steppe-herald/2026/02/second.html'));
    });
    const bad = await startServer({ source: dir, port: 0 });
    try {
      const report = await check(`${bad.url}`);
      expect(report.problems.map((x) => [x.kind, x.path])).toEqual([['altered', 'index.html'], ['missing', 'steppe-herald/2026/02/second.html']]);
    } finally {
      await bad.close();
    }
  });

  it('reports an unreachable URL as unreadable, not a crash', async () => {
    const report = await verify({ source: 'http://127.0.0.1:9/', publicKey: parsePublicKey(p.publicKey), timeoutMs: 2000 });
    expect(report.ok).toBe(false);
    expect(report.problems.map((x) => [x.kind, x.path])).toEqual([['unreadable', 'manifest.json']]);
  });
});

describe('verify CLI', () => {
  it('exits 1 and prints each problem; takes the key from site.yaml of --root', async () => {
    const dir = await damagedCopy('cli-damaged', (d) => rm(join(d, 'style.css')));
    const result = await run('npx', ['tsx', 'src/cli/main.ts', 'verify', dir, '--root', p.root]).catch((e: { code: number; stdout: string }) => e);
    expect((result as { code: number }).code).toBe(1);
    expect((result as { stdout: string }).stdout).toBe(`missing    style.css: named in the manifest (${Buffer.byteLength(siteFiles()['style.css']!)} bytes) but not in this copy\n`);
    const ok = await run('npx', ['tsx', 'src/cli/main.ts', 'verify', join(p.dist, 'site.car'), '--key', p.publicKey, '--json']);
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, version, cid, problems: [] });
  });
});
