import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatPublicKey, parseManifest, parsePrivateKey, parsePublicKey, serializeManifest, signBytes, verifyBytes, type Manifest } from '../../src/sealed/index.ts';

const manifest: Manifest = { format: 'newsmirror-manifest/1', version: 1767607200, built: '2026-01-05T10:00:00Z', publicKey: '', files: [{ path: 'index.html', size: 3, sha256: 'a'.repeat(64) }] };

describe('keys and signatures', () => {
  it('round-trips the ed25519:<base64url> public key form', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const text = formatPublicKey(publicKey);
    expect(text).toMatch(/^ed25519:[A-Za-z0-9_-]{43}$/);
    expect(formatPublicKey(parsePublicKey(text))).toBe(text);
  });

  it('verifies a signature over the manifest bytes and rejects one flipped byte', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const bytes = serializeManifest(manifest);
    const signature = signBytes(bytes, privateKey);
    expect(signature.length).toBe(64);
    expect(verifyBytes(bytes, signature, publicKey)).toBe(true);
    const altered = Buffer.from(bytes);
    altered[10] = altered[10]! ^ 1;
    expect(verifyBytes(altered, signature, publicKey)).toBe(false);
  });

  it('rejects a non-Ed25519 private key with a message saying how to make one', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => parsePrivateKey(pem, 'NEWSMIRROR_SIGNING_KEY')).toThrow('NEWSMIRROR_SIGNING_KEY is not an Ed25519 private key in PEM form (make one with `newsmirror keygen`)');
  });

  it('rejects a short public key', () => {
    expect(() => parsePublicKey('ed25519:AAAA')).toThrow('"ed25519:AAAA" is not a public key');
  });

  it('parses what it serializes and refuses other JSON', () => {
    expect(parseManifest(serializeManifest(manifest), 'm')).toEqual(manifest);
    expect(() => parseManifest(Buffer.from('{"files":[]}'), 'https://m.example/manifest.json')).toThrow('https://m.example/manifest.json is not a newsmirror manifest (format newsmirror-manifest/1)');
  });
});
