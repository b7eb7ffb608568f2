/** Hostile bundles (shared hand to hand, so anyone may have made them): duplicate names, lying sizes, spoofed local names, zip-slip names. */
import { generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPublicKey, serializeManifest, signBytes, ZipReader, ZipWriter } from '../../src/sealed/index.ts';
import { verify } from '../../src/verify/index.ts';
import { useTempDir } from '../seal/site-fixture.ts';

const tmp = useTempDir('newsmirror-zip-hostile-');
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const PAGE = Buffer.from(`<!doctype html><h1>News</h1>${'<p>text</p>'.repeat(50)}\n`);

async function makeZip(file: string, entries: [string, Buffer][]): Promise<Buffer> {
  const zip = await ZipWriter.create(file);
  for (const [name, bytes] of entries) await zip.addFile(name, bytes);
  await zip.close();
  return readFile(file);
}

/** The offset of the central directory entry of `name`. */
function centralEntry(zip: Buffer, name: string): number {
  const sig = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let at = zip.indexOf(sig); at >= 0; at = zip.indexOf(sig, at + 1)) {
    if (zip.toString('utf8', at + 46, at + 46 + zip.readUInt16LE(at + 28)) === name) return at;
  }
  throw new Error(`no ${name}`);
}

describe('a hostile bundle', () => {
  it('a name stored twice is refused (tools disagree on which copy they extract); verify reports it', async () => {
    const file = join(tmp(), 'dup.zip');
    await makeZip(file, [['site/index.html', Buffer.from('evil')], ['site/index.html', PAGE]]);
    await expect(ZipReader.open(file)).rejects.toThrow(`${file}: site/index.html is in the bundle twice (tools disagree on which copy they extract); the bundle is damaged, fetch it again`);
    expect(await verify({ source: file, publicKey })).toEqual({
      ok: false,
      problems: [{ path: file, kind: 'unreadable', detail: `${file}: site/index.html is in the bundle twice (tools disagree on which copy they extract); the bundle is damaged, fetch it again` }],
    });
  });

  it('a declared size no deflate stream can reach (a bomb) is refused before anything is inflated', async () => {
    const dir = tmp();
    const bytes = await makeZip(join(dir, 'ok.zip'), [['site/index.html', PAGE]]);
    const at = centralEntry(bytes, 'site/index.html');
    const csize = bytes.readUInt32LE(at + 20);
    bytes.writeUInt32LE(0xfffffff0, at + 24);
    await writeFile(join(dir, 'bomb.zip'), bytes);
    await expect(ZipReader.open(join(dir, 'bomb.zip'))).rejects.toThrow(`${join(dir, 'bomb.zip')}: site/index.html claims 4294967280 bytes from ${csize} compressed bytes, which no real file does (a zip bomb?); the bundle is damaged, fetch it again`);
  });

  it('an entry whose local header carries another name is refused when read', async () => {
    const dir = tmp();
    const bytes = await makeZip(join(dir, 'ok.zip'), [['site/index.html', PAGE]]);
    const local = bytes.indexOf('site/index.html');
    bytes.write('../../index.htm', local, 'utf8');
    await writeFile(join(dir, 'spoof.zip'), bytes);
    const reader = await ZipReader.open(join(dir, 'spoof.zip'));
    await expect(reader.read('site/index.html')).rejects.toThrow(`${join(dir, 'spoof.zip')}: site/index.html is stored under another name ("../../index.htm"); the bundle is damaged, fetch it again`);
    await reader.close();
  });

  it('zip-slip names are extra files to verify, never paths it reads', async () => {
    const file = join(tmp(), 'slip.zip');
    const manifest = serializeManifest({ format: 'newsmirror-manifest/1', version: 3, built: '2026-01-01T00:00:00.000Z', publicKey: formatPublicKey(privateKey), files: [] });
    await makeZip(file, [['site/manifest.json', manifest], ['site/manifest.sig', signBytes(manifest, privateKey)], ['site/../../evil.html', Buffer.from('x')]]);
    expect(await verify({ source: file, publicKey })).toEqual({
      ok: false,
      version: 3,
      problems: [{ path: '../../evil.html', kind: 'extra', detail: 'not in the signed manifest (added after sealing)' }],
    });
  });

  it('a site.car inside that inflates past its declared size stops there', async () => {
    const dir = tmp();
    const bytes = await makeZip(join(dir, 'ok.zip'), [['site.car', PAGE]]);
    bytes.writeUInt32LE(100, centralEntry(bytes, 'site.car') + 24);
    await writeFile(join(dir, 'lying.zip'), bytes);
    const report = await verify({ source: join(dir, 'lying.zip'), publicKey });
    expect(report.problems).toEqual([
      { path: 'manifest.json', kind: 'missing', detail: 'no manifest: this copy was never sealed, or the manifest was removed' },
      { path: 'site.car', kind: 'unreadable', detail: `${join(dir, 'lying.zip')}: site.car inflates past its declared 100 bytes; the bundle is damaged, fetch it again` },
    ]);
  });
});
