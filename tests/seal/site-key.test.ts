/**
 * Regression: sealing with a key that is not site.yaml's publicKey printed
 * "Put this line into content/_data/site.yaml", advice that silently re-keyed
 * the site. Now it is refused (exit 2, naming both keys and where each was
 * found); only --rekey changes site.yaml, and says what readers must be told.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatPublicKey } from '../../src/sealed/index.ts';
import type { Reporter } from '../../src/core/log.ts';
import { checkSiteKey, loadSigningKey, seal } from '../../src/seal/index.ts';
import { makeProject, type Project } from './site-fixture.ts';

const projects: Project[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of projects.splice(0)) await p.cleanup();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A second key, written to a PEM file and loaded as seal would (so its source is known). */
async function otherKey() {
  const dir = await mkdtemp(join(tmpdir(), 'nm-other-key-'));
  dirs.push(dir);
  const file = join(dir, 'stolen-laptop.pem');
  await writeFile(file, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  const key = await loadSigningKey({ keyFile: file, env: {} });
  return { file, key, publicKey: formatPublicKey(key) };
}

function recorder(): { lines: string[]; reporter: Reporter } {
  const lines: string[] = [];
  return { lines, reporter: { info: (l) => lines.push(l), warn: (l) => lines.push(`warning: ${l}`), progress() {} } };
}

describe('sealing with a key that differs from site.yaml publicKey', () => {
  it('is refused with ERR_KEY_MISMATCH naming both keys and where each was found; nothing is written', async () => {
    const p = await makeProject();
    projects.push(p);
    const other = await otherKey();
    const siteYaml = await readFile(join(p.root, 'content/_data/site.yaml'), 'utf8');
    const error = await seal({ root: p.root, key: other.key }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_KEY_MISMATCH',
      message:
        `the signing key from --key (${other.file}) has the public key ${other.publicKey}, but content/_data/site.yaml has publicKey ${p.publicKey}: ` +
        `readers and mirrors check every copy against ${p.publicKey}, so they would reject this build as forged. Nothing was signed. ` +
        'Sign with the key that matches content/_data/site.yaml (set $NEWSMIRROR_SIGNING_KEY or pass --key FILE). ' +
        `Only if that key is lost or stolen, run again with --rekey to make ${other.publicKey} the site's key.`,
    });
    expect(String((error as Error).message)).not.toContain('Put this line');
    await expect(readFile(join(p.dist, 'manifest.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(join(p.root, 'content/_data/site.yaml'), 'utf8')).toBe(siteYaml);
  });

  it('--rekey replaces publicKey in site.yaml (comments kept) and says what readers must be told; then seal signs with it', async () => {
    const p = await makeProject();
    projects.push(p);
    await writeFile(join(p.root, 'content/_data/site.yaml'), `# settings\ntitle: Тестовое зеркало\nlang: ru\n# the key readers trust\npublicKey: ${p.publicKey}\n`);
    const other = await otherKey();
    const { lines, reporter } = recorder();
    expect(await checkSiteKey({ root: p.root, key: other.key, rekey: true, reporter })).toBe('rekeyed');
    expect(await readFile(join(p.root, 'content/_data/site.yaml'), 'utf8')).toBe(`# settings\ntitle: Тестовое зеркало\nlang: ru\n# the key readers trust\npublicKey: ${other.publicKey}\n`);
    expect(lines).toEqual([
      `warning: --rekey: content/_data/site.yaml publicKey changed from ${p.publicKey} to ${other.publicKey} (the key from --key (${other.file})). ` +
        `Every reader, mirror operator and verify script that trusts ${p.publicKey} will reject new copies until told: ` +
        'publish the new key through channels they already trust (your own site, social accounts, a message signed with the old key if you still have it), ' +
        'and say why the key changed. If the old key was stolen, say so: copies signed with it after today are not yours.',
    ]);
    const report = await seal({ root: p.root, key: other.key });
    expect(JSON.parse(await readFile(join(p.dist, 'manifest.json'), 'utf8')).publicKey).toBe(other.publicKey);
    expect(report.files).toBeGreaterThan(0);
    expect(await checkSiteKey({ root: p.root, key: other.key })).toBe('match');
  });

  it('a site.yaml without publicKey is "absent" (first key, not a re-key); the original key is a "match"', async () => {
    const p = await makeProject();
    projects.push(p);
    expect(await checkSiteKey({ root: p.root, key: p.key })).toBe('match');
    await writeFile(join(p.root, 'content/_data/site.yaml'), 'title: T\nlang: ru\n');
    expect(await checkSiteKey({ root: p.root, key: p.key })).toBe('absent');
  });
});
