/** keygen and key loading: mode 0600, no silent overwrite, env > --key > default file, a clear error otherwise. */
import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatPublicKey } from '../../src/sealed/index.ts';
import { defaultKeyPath, generateKey, loadSigningKey } from '../../src/seal/index.ts';
import { useTempDir } from './site-fixture.ts';

const run = promisify(execFile);
const tmp = useTempDir('newsmirror-keys-', { each: true });

describe('keys', () => {
  it('defaults under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultKeyPath({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/u' })).toBe('/x/cfg/newsmirror/signing-key.pem');
    expect(defaultKeyPath({ HOME: '/home/u' })).toBe('/home/u/.config/newsmirror/signing-key.pem');
  });

  it('writes a 0600 PKCS#8 key, returns its public key, and refuses to overwrite without force', async () => {
    const dir = tmp();
    const file = join(dir, 'k', 'signing-key.pem');
    const { publicKey } = await generateKey(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const pem = await readFile(file, 'utf8');
    expect(pem.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    expect(publicKey).toMatch(/^ed25519:[A-Za-z0-9_-]{43}$/);
    expect(formatPublicKey(await loadSigningKey({ keyFile: file, env: {} }))).toBe(publicKey);
    await expect(generateKey(file)).rejects.toThrow(`${file} already exists`);
    expect(await readFile(file, 'utf8')).toBe(pem);
    const again = await generateKey(file, { force: true });
    expect(again.publicKey).not.toBe(publicKey);
  });

  it('takes NEWSMIRROR_SIGNING_KEY (PEM or path) over --key, --key over the default file', async () => {
    const dir = tmp();
    const a = await generateKey(join(dir, 'a.pem'));
    const b = await generateKey(join(dir, 'b.pem'));
    const c = await generateKey(join(dir, 'cfg', 'newsmirror', 'signing-key.pem'));
    const pemA = await readFile(join(dir, 'a.pem'), 'utf8');
    const env = { XDG_CONFIG_HOME: join(dir, 'cfg') };
    expect(formatPublicKey(await loadSigningKey({ keyFile: join(dir, 'b.pem'), env: { ...env, NEWSMIRROR_SIGNING_KEY: pemA } }))).toBe(a.publicKey);
    expect(formatPublicKey(await loadSigningKey({ keyFile: join(dir, 'b.pem'), env: { ...env, NEWSMIRROR_SIGNING_KEY: join(dir, 'a.pem') } }))).toBe(a.publicKey);
    expect(formatPublicKey(await loadSigningKey({ keyFile: join(dir, 'b.pem'), env }))).toBe(b.publicKey);
    expect(formatPublicKey(await loadSigningKey({ env }))).toBe(c.publicKey);
  });

  it('refuses a key file inside content/ of the project', async () => {
    const dir = tmp();
    await generateKey(join(dir, 'content', '_data', 'key.pem'));
    await expect(loadSigningKey({ keyFile: join(dir, 'content', '_data', 'key.pem'), env: {}, root: dir })).rejects.toThrow(`the signing key --key (${join(dir, 'content', '_data', 'key.pem')}) is inside content/, which is published with the site`);
    await expect(loadSigningKey({ env: { NEWSMIRROR_SIGNING_KEY: join(dir, 'content', '_data', 'key.pem') }, root: dir })).rejects.toThrow('is inside content/');
  });

  it('says how to make a key when there is none, and rejects a non-Ed25519 key', async () => {
    const dir = tmp();
    const env = { XDG_CONFIG_HOME: join(dir, 'none') };
    await expect(loadSigningKey({ env })).rejects.toThrow(/no signing key: set NEWSMIRROR_SIGNING_KEY .*run `newsmirror keygen`/);
    await writeFile(join(dir, 'rsa.pem'), '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n');
    await expect(loadSigningKey({ keyFile: join(dir, 'rsa.pem'), env })).rejects.toThrow(`--key (${join(dir, 'rsa.pem')}) is not an Ed25519 private key`);
  });

  it('keygen CLI prints the public key, refuses to overwrite (exit 1) and refuses content/', async () => {
    const dir = tmp();
    const out = join(dir, 'cli.pem');
    const { stdout } = await run('npx', ['tsx', 'src/cli/main.ts', 'keygen', '--out', out]);
    expect(stdout).toMatch(/^ed25519:[A-Za-z0-9_-]{43}\n$/);
    const second = await run('npx', ['tsx', 'src/cli/main.ts', 'keygen', '--out', out]).catch((e: { code: number; stderr: string }) => e);
    expect((second as { code: number }).code).toBe(1);
    const inside = await run('npx', ['tsx', 'src/cli/main.ts', 'keygen', '--root', dir, '--out', join(dir, 'content', 'k.pem')]).catch((e: { code: number; stderr: string }) => e);
    expect((inside as { code: number }).code).toBe(2);
    expect((inside as { stderr: string }).stderr).toContain('is inside content/, which is published');
  });
});
