/** The bundle format: ZIP64 end records past 65,535 entries, CRC checks, a cut-short file as a clear error. */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ZipReader, ZipWriter } from '../../src/sealed/index.ts';
import { useTempDir } from '../seal/site-fixture.ts';

const run = promisify(execFile);
const tmp = useTempDir('newsmirror-zip-');

describe('zip', () => {
  it('writes ZIP64 end records for 70,000 entries; unzip and our reader both read them', async () => {
    const dir = tmp();
    const file = join(dir, 'many.zip');
    const zip = await ZipWriter.create(file);
    await zip.addFiles((async function* () {
      for (let i = 0; i < 70_000; i++) yield { name: `p/${i}.html`, bytes: Buffer.from(`<p>${i}</p>`) };
    })());
    await zip.close();
    const reader = await ZipReader.open(file);
    try {
      expect(reader.entries.size).toBe(70_000);
      expect((await reader.read('p/69999.html')).toString()).toBe('<p>69999</p>');
    } finally {
      await reader.close();
    }
    const { stdout } = await run('unzip', ['-l', file], { maxBuffer: 64 << 20 });
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/\s70000 files$/);
  });

  it('reports a CRC mismatch and a cut-short file as ERR_ZIP naming the file', async () => {
    const dir = tmp();
    const file = join(dir, 'one.zip');
    const zip = await ZipWriter.create(file);
    await zip.addFile('a.txt', Buffer.from('stored because tiny'));
    await zip.close();
    const bytes = await readFile(file);
    const damaged = Buffer.from(bytes);
    const at = damaged.indexOf('stored because tiny');
    damaged[at] = 0x53; // 's' → 'S'
    await writeFile(join(dir, 'crc.zip'), damaged);
    const reader = await ZipReader.open(join(dir, 'crc.zip'));
    await expect(reader.read('a.txt')).rejects.toThrow(`${join(dir, 'crc.zip')}: a.txt fails its CRC check; the bundle is damaged, fetch it again`);
    await reader.close();
    await writeFile(join(dir, 'cut.zip'), bytes.subarray(0, 40));
    await expect(ZipReader.open(join(dir, 'cut.zip'))).rejects.toMatchObject({ code: 'ERR_ZIP' });
  });
});
