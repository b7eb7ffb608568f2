/** seal's release record and delta bundles, and `apply`: right base, wrong base, hostile delta zips. */
import { formatPublicKey, mergeManifestChanges, parseDeltaHeader, parseManifest, parsePublicKey, parseRelease, serializeDeltaHeader, serializeManifest, verifyBytes, ZipReader, ZipWriter, type DeltaHeader, type Manifest } from '../../src/sealed/index.ts';
import type { KeyObject } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha, tree } from './helpers.ts';
import { applyDelta } from '../../src/operator/apply.ts';
import { buildSite, makeProject, newKey, range, tempDir } from '../publish/helpers.ts';

/** The site/ part of an offline bundle, path → sha256. */
async function bundleSite(zipFile: string): Promise<Record<string, string>> {
  const zip = await ZipReader.open(zipFile);
  const out: Record<string, string> = {};
  for (const name of zip.entries.keys()) if (name.startsWith('site/') && !name.endsWith('/')) out[name.slice(5)] = sha(await zip.read(name));
  await zip.close();
  return out;
}

/** Change a delta's delta.json (the entries of rezip). */
function editHeader(entries: Map<string, Buffer>, change: (header: DeltaHeader) => DeltaHeader): void {
  entries.set('delta.json', serializeDeltaHeader(change(parseDeltaHeader(entries.get('delta.json')!, 'd'))));
}

/** Copy a delta zip, changing its entries. */
async function rezip(from: string, to: string, change: (entries: Map<string, Buffer>) => void): Promise<void> {
  const zip = await ZipReader.open(from);
  const entries = new Map<string, Buffer>();
  for (const name of zip.entries.keys()) entries.set(name, await zip.read(name));
  await zip.close();
  change(entries);
  const out = await ZipWriter.create(to);
  for (const [name, bytes] of entries) await out.addFile(name, bytes);
  await out.close();
}

describe('release record and delta bundles', () => {
  let key: KeyObject;
  let root: string;
  let work: string;
  const versions: number[] = [];
  const copies: string[] = [];
  let baseManifest: Manifest;
  /** The sha256 of the manifest `apply` makes from version 1's and forged changed entries: what a forger would put in delta.json. */
  const forgedManifestSha = (changes: Buffer, header: DeltaHeader) => sha(serializeManifest(mergeManifestChanges(baseManifest, parseManifest(changes, 'forged'), header.removed)));

  beforeAll(async () => {
    key = newKey();
    root = await makeProject(key);
    work = await tempDir('delta-work');
    // v1: 20 articles; v2: 2 more; v3: article 5 gone, 3 new, article 1 edited.
    const builds = [
      { articles: range(0, 20), built: '2026-01-01T10:00:00Z' },
      { articles: range(0, 22), built: '2026-01-02T10:00:00Z' },
      { articles: [...range(0, 5), ...range(6, 25)], built: '2026-01-03T10:00:00Z', edition: 2 },
    ];
    for (const [i, b] of builds.entries()) {
      versions.push((await buildSite(root, key, b)).version);
      const copy = join(work, `v${i + 1}`);
      await cp(join(root, '_site'), copy, { recursive: true });
      copies.push(copy);
    }
    baseManifest = parseManifest(await readFile(join(copies[0]!, 'manifest.json')), 'v1');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('seal signs a release record naming the version, CIDs, and size and sha256 of site.zip, site.car and each delta', async () => {
    const dist = join(root, 'dist');
    const bytes = await readFile(join(dist, 'release.json'));
    expect(verifyBytes(bytes, await readFile(join(dist, 'release.sig')), parsePublicKey(formatPublicKey(key)))).toBe(true);
    const release = parseRelease(bytes, 'release.json');
    const manifest = JSON.parse(await readFile(join(dist, 'manifest.json'), 'utf8')) as { version: number; contentCid: string };
    expect(release.version).toBe(versions[2]);
    expect(release.cid).toBe((await readFile(join(dist, 'cid.txt'), 'utf8')).trim());
    expect(release.contentCid).toBe(manifest.contentCid);
    expect(release.manifestSha256).toBe(sha(await readFile(join(dist, 'manifest.json'))));
    for (const name of ['site.zip', 'site.car'] as const) {
      const file = await readFile(join(dist, name));
      expect(release.bundles[name]).toEqual({ size: file.length, sha256: sha(file) });
    }
    expect(release.deltas.map((d) => d.path)).toEqual([`deltas/${versions[1]}-${versions[2]}.zip`, `deltas/${versions[0]}-${versions[2]}.zip`]);
    expect((await readdir(join(dist, 'deltas'))).sort()).toEqual([`${versions[0]}-${versions[2]}.zip`, `${versions[1]}-${versions[2]}.zip`]);
    for (const d of release.deltas) {
      const file = await readFile(join(dist, d.path));
      expect({ size: d.size, sha256: d.sha256 }).toEqual({ size: file.length, sha256: sha(file) });
    }
    const zip = await ZipReader.open(join(dist, `deltas/${versions[0]}-${versions[2]}.zip`));
    const header = parseDeltaHeader(await zip.read('delta.json'), 'delta');
    await zip.close();
    expect(header.removed).toEqual(['articles/5.html']);
    // SHA256SUMS changed too, but is not carried: apply makes it from the signed manifest (format 2),
    // and the manifest is carried as its changed entries, with the sha256 of the whole (format 3).
    expect(header.format).toBe('newsmirror-delta/3');
    expect(header.derived).toEqual(['SHA256SUMS']);
    expect(header.manifest).toBe(sha(await readFile(join(dist, 'manifest.json'))));
    // Edition 2 changes every article page; index.html and build.json change with the date, SHA256SUMS's signature with them.
    expect(header.files).toEqual(['SHA256SUMS.sig', 'articles/0.html', 'articles/1.html', 'articles/10.html', 'articles/11.html', 'articles/12.html', 'articles/13.html', 'articles/14.html', 'articles/15.html', 'articles/16.html', 'articles/17.html', 'articles/18.html', 'articles/19.html', 'articles/2.html', 'articles/20.html', 'articles/21.html', 'articles/22.html', 'articles/23.html', 'articles/24.html', 'articles/3.html', 'articles/4.html', 'articles/6.html', 'articles/7.html', 'articles/8.html', 'articles/9.html', 'build.json', 'index.html']);
    expect(header.base).toBe(sha(await readFile(join(copies[0]!, 'manifest.json'))));
    const names = await ZipReader.open(join(dist, `deltas/${versions[0]}-${versions[2]}.zip`));
    expect([...names.entries.keys()].filter((n) => n.includes('SHA256SUMS'))).toEqual(['files/SHA256SUMS.sig']);
    expect([...names.entries.keys()].filter((n) => !n.startsWith('files/'))).toEqual(['delta.json', 'manifest-changes.json', 'manifest.sig']);
    const whole = JSON.parse(await readFile(join(dist, 'manifest.json'), 'utf8')) as { files: { path: string }[] };
    const changes = JSON.parse((await names.read('manifest-changes.json')).toString('utf8')) as { files: { path: string }[] };
    await names.close();
    expect(changes).toEqual({ ...whole, files: whole.files.filter((f) => [...header.files, 'SHA256SUMS'].includes(f.path)) });
    expect(changes.files.map((f) => f.path)).toEqual(['SHA256SUMS', ...header.files]);
  });

  /** The delta from v1 to v3 as an older seal wrote it: the whole new manifest.json (format 2), and SHA256SUMS carried (format 1). */
  async function olderFormat(format: 1 | 2, to: string): Promise<void> {
    const [manifest, sums] = await Promise.all([readFile(join(copies[2]!, 'manifest.json')), readFile(join(copies[2]!, 'SHA256SUMS'))]);
    await rezip(join(root, 'dist', 'deltas', `${versions[0]}-${versions[2]}.zip`), to, (e) => {
      e.delete('manifest-changes.json');
      e.set('manifest.json', manifest);
      editHeader(e, ({ derived, manifest: _, ...h }) => (format === 2 ? { ...h, derived, format: 'newsmirror-delta/2' } : { ...h, format: 'newsmirror-delta/1', files: ['SHA256SUMS', ...h.files] }));
      if (format === 1) e.set('files/SHA256SUMS', sums);
    });
  }

  for (const format of [1, 2] as const) {
    it(`apply still takes a format ${format} delta, which carries the whole manifest${format === 1 ? ' and SHA256SUMS' : ''}`, async () => {
      const dir = join(work, `apply-format-${format}`);
      await cp(copies[0]!, dir, { recursive: true });
      const old = join(work, `format-${format}.zip`);
      await olderFormat(format, old);
      const report = await applyDelta({ delta: old, dir, key: parsePublicKey(formatPublicKey(key)) });
      expect(report).toMatchObject({ from: versions[0], to: versions[2], changed: 28, removed: 1, bytes: expect.any(Number) });
      expect(await tree(dir)).toEqual(await bundleSite(join(root, 'dist', 'site.zip')));
    });
  }

  it('apply onto the right base gives a copy byte-identical to the fresh full bundle', async () => {
    const dir = join(work, 'apply-right');
    await cp(copies[0]!, dir, { recursive: true });
    const report = await applyDelta({ delta: join(root, 'dist', 'deltas', `${versions[0]}-${versions[2]}.zip`), dir, key: parsePublicKey(formatPublicKey(key)) });
    expect(report).toMatchObject({ from: versions[0], to: versions[2], changed: 28, removed: 1 });
    expect(await tree(dir)).toEqual(await bundleSite(join(root, 'dist', 'site.zip')));
    // Nothing left beside it.
    expect((await readdir(work)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('apply of an unzipped bundle updates its site/ folder', async () => {
    const dir = join(work, 'unzipped');
    await cp(copies[1]!, join(dir, 'site'), { recursive: true });
    await applyDelta({ delta: join(root, 'dist', 'deltas', `${versions[1]}-${versions[2]}.zip`), dir, key: parsePublicKey(formatPublicKey(key)) });
    expect(await tree(join(dir, 'site'))).toEqual(await bundleSite(join(root, 'dist', 'site.zip')));
  });

  it('apply onto the wrong base is refused and changes nothing', async () => {
    const dir = join(work, 'apply-wrong');
    await cp(copies[1]!, dir, { recursive: true });
    const before = await tree(dir);
    await expect(applyDelta({ delta: join(root, 'dist', 'deltas', `${versions[0]}-${versions[2]}.zip`), dir, key: parsePublicKey(formatPublicKey(key)) }))
      .rejects.toThrow(`goes from version ${versions[0]} to ${versions[2]}, but ${dir} holds version ${versions[1]}`);
    expect(await tree(dir)).toEqual(before);
  });

  it('apply with another key than the signer\'s is refused', async () => {
    const dir = join(work, 'apply-key');
    await cp(copies[0]!, dir, { recursive: true });
    await expect(applyDelta({ delta: join(root, 'dist', 'deltas', `${versions[0]}-${versions[2]}.zip`), dir, key: parsePublicKey(formatPublicKey(newKey())) })).rejects.toMatchObject({ code: 'ERR_SIGNATURE' });
  });

  /** [what, the change, the error; and `2` to make it on the delta as format 2 wrote it, where the checks of the whole manifest are the last line] */
  const hostile: [string, (e: Map<string, Buffer>) => void, string, 2?][] = [
    ['path traversal in the carried files', (e) => {
      editHeader(e, (h) => ({ ...h, files: [...h.files, '../../escaped.html'] }));
      e.set('files/../../escaped.html', Buffer.from('pwned'));
    }, 'manifest-changes.json lists other entries than the files delta.json names as changed'],
    ['path traversal in the carried files of format 2', (e) => {
      editHeader(e, (h) => ({ ...h, files: [...h.files, '../../escaped.html'] }));
      e.set('files/../../escaped.html', Buffer.from('pwned'));
    }, 'carries "../../escaped.html", which the new manifest does not list', 2],
    ['an entry delta.json does not name', (e) => {
      e.set('../outside.txt', Buffer.from('pwned'));
    }, 'holds an entry "../outside.txt" that delta.json does not name'],
    ['a removed list escaping DIR', (e) => {
      editHeader(e, (h) => ({ ...h, removed: [...h.removed, '../victim/index.html'] }));
    }, 'removes "../victim/index.html", which is not a file of version'],
    ['a tampered file', (e) => {
      e.set('files/articles/1.html', Buffer.from('<p>forged</p>'));
    }, 'articles/1.html does not match its sha256 in the signed manifest'],
    ['a zip bomb in place of a page', (e) => {
      e.set('files/index.html', Buffer.alloc(8 << 20));
    }, 'index.html'],
    ['a file other than SHA256SUMS to be made from the manifest', (e) => {
      editHeader(e, (h) => ({ ...h, files: h.files.filter((p) => p !== 'index.html'), derived: ['SHA256SUMS', 'index.html'] }));
      e.delete('files/index.html');
    }, 'says "index.html" is made from the manifest; only SHA256SUMS is'],
    ['SHA256SUMS both carried and made', (e) => {
      editHeader(e, (h) => ({ ...h, files: ['SHA256SUMS', ...h.files] }));
      e.set('files/SHA256SUMS', Buffer.from('forged'));
    }, 'says "SHA256SUMS" is made from the manifest; only SHA256SUMS is, and not when carried too'],
    ['a format 1 header naming files to make', (e) => {
      editHeader(e, (h) => ({ ...h, format: 'newsmirror-delta/1' }));
    }, 'is not a newsmirror delta bundle (delta.json of format newsmirror-delta/1, /2 or /3)'],
    ['a format 2 header on a delta carrying the changed entries', (e) => {
      editHeader(e, ({ manifest: _, ...h }) => ({ ...h, format: 'newsmirror-delta/2' }));
    }, 'has no manifest.json: not a delta bundle of newsmirror-delta/2'],
    ['no manifest-changes.json', (e) => {
      e.delete('manifest-changes.json');
    }, 'has no manifest-changes.json: not a delta bundle of newsmirror-delta/3'],
    ['a whole manifest.json beside the changed entries', (e) => {
      e.set('manifest.json', Buffer.from('{}'));
    }, 'holds an entry "manifest.json" that delta.json does not name'],
    ['a changed entry forged', (e) => {
      e.set('manifest-changes.json', Buffer.from(e.get('manifest-changes.json')!.toString().replace(/("path":"index.html","size":\d+,"sha256":")[0-9a-f]{64}/, `$1${'0'.repeat(64)}`)));
    }, 'the manifest made from'],
    ['a changed entry forged and delta.json naming the forged manifest', (e) => {
      const forged = Buffer.from(e.get('manifest-changes.json')!.toString().replace(/("path":"index.html","size":)\d+/, '$1999'));
      e.set('manifest-changes.json', forged);
      editHeader(e, (h) => ({ ...h, manifest: forgedManifestSha(forged, h) }));
    }, 'signature does not verify'],
    ['an unchanged entry slipped into the changed ones', (e) => {
      const changes = JSON.parse(e.get('manifest-changes.json')!.toString()) as { files: { path: string }[] };
      changes.files.push({ path: 'articles/9.html', size: 1, sha256: '0'.repeat(64) } as { path: string });
      e.set('manifest-changes.json', Buffer.from(JSON.stringify(changes)));
    }, 'manifest-changes.json lists other entries than the files delta.json names as changed'],
    ['a removed path listed as changed too', (e) => {
      editHeader(e, (h) => ({ ...h, removed: [...h.removed, 'index.html'] }));
    }, 'removes "index.html", which is not a file of version'],
    ['SHA256SUMS neither carried nor made', (e) => {
      editHeader(e, (h) => ({ ...h, derived: [] }));
    }, 'manifest-changes.json lists other entries than the files delta.json names as changed'],
    ['SHA256SUMS neither carried nor made in format 2', (e) => {
      editHeader(e, (h) => ({ ...h, derived: [] }));
    }, 'does not carry SHA256SUMS, which changed since version', 2],
    ['a forged manifest', (e) => {
      const changes = e.get('manifest-changes.json')!.toString().replace('"version":', '"version":1,"x":');
      e.set('manifest-changes.json', Buffer.from(changes));
      editHeader(e, (h) => ({ ...h, manifest: forgedManifestSha(Buffer.from(changes), h) }));
    }, 'signature does not verify'],
  ];
  for (const [name, change, message, format] of hostile) {
    it(`apply refuses a delta with ${name}, changing nothing`, async () => {
      const dir = join(work, `hostile-${name.replace(/\W+/g, '-')}`);
      await mkdir(join(work, 'victim'), { recursive: true });
      await cp(copies[0]!, join(work, 'victim'), { recursive: true });
      await cp(copies[0]!, dir, { recursive: true });
      const before = { dir: await tree(dir), victim: await tree(join(work, 'victim')) };
      const bad = join(work, `${name.replace(/\W+/g, '-')}.zip`);
      let good = join(root, 'dist', 'deltas', `${versions[0]}-${versions[2]}.zip`);
      if (format === 2) await olderFormat(2, (good = join(work, `${name.replace(/\W+/g, '-')}.format-2.zip`)));
      await rezip(good, bad, change);
      await expect(applyDelta({ delta: bad, dir, key: parsePublicKey(formatPublicKey(key)) })).rejects.toThrow(message);
      expect({ dir: await tree(dir), victim: await tree(join(work, 'victim')) }).toEqual(before);
      expect((await readdir(work)).filter((n) => n.startsWith('.'))).toEqual([]);
    });
  }
});
