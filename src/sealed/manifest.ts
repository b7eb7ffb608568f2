/**
 * The signed manifest: shared by seal (writes it), verify, serve and the
 * mirrors health check (read it). `manifest.sig` holds the raw 64-byte Ed25519
 * signature over the exact bytes of `manifest.json`, so anyone can check it
 * with OpenSSL too:
 *   openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in manifest.json -sigfile manifest.sig
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { NewsmirrorError } from '../core/errors.ts';
import { parseJsonBytes } from './json.ts';

export interface ManifestFile {
  /** Site-relative path with forward slashes, e.g. "steppe-herald/2026/01/slug.html". */
  path: string;
  size: number;
  /** sha256, lowercase hex. */
  sha256: string;
}

export interface Manifest {
  format: 'newsmirror-manifest/1';
  /** Monotonic build version (grows with every content change). */
  version: number;
  /** Build time taken from content (not the clock), ISO 8601 UTC. */
  built: string;
  /** The signer's public key, `ed25519:<base64url>`; trust comes from site settings, not from this field. */
  publicKey: string;
  /** Sorted by path; every file of the site except manifest.json and manifest.sig. */
  files: ManifestFile[];
  /** Extra fields a stage adds (e.g. the content CID) are allowed. */
  [extra: string]: unknown;
}

/** The two files the manifest cannot cover: itself and its signature. */
export const MANIFEST_FILES: ReadonlySet<string> = new Set(['manifest.json', 'manifest.sig']);

const PREFIX = 'ed25519:';
/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32 key bytes follow it. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export class KeyError extends NewsmirrorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_KEY', message, options);
  }
}

/** `ed25519:<base64url of the raw 32 bytes>` → a public KeyObject. */
export function parsePublicKey(text: string): KeyObject {
  const raw = text.startsWith(PREFIX) ? Buffer.from(text.slice(PREFIX.length), 'base64url') : Buffer.alloc(0);
  if (raw.length !== 32) throw new KeyError(`"${text.slice(0, 60)}" is not a public key: expected "ed25519:" and 43 base64url characters, as printed by \`newsmirror keygen\``);
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** A public (or private) Ed25519 KeyObject → `ed25519:<base64url>`. */
export function formatPublicKey(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new KeyError(`expected an Ed25519 key, got ${publicKey.asymmetricKeyType ?? 'unknown'}`);
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return PREFIX + der.subarray(SPKI_PREFIX.length).toString('base64url');
}

/** A PKCS#8 PEM string → a private KeyObject. */
export function parsePrivateKey(pem: string, label: string): KeyObject {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`it is an ${key.asymmetricKeyType ?? 'unknown'} key`);
    return key;
  } catch (error) {
    throw new KeyError(`${label} is not an Ed25519 private key in PEM form (make one with \`newsmirror keygen\`)`, { cause: error });
  }
}

export function signBytes(bytes: Uint8Array, privateKey: KeyObject): Buffer {
  return sign(null, bytes, privateKey);
}

export function verifyBytes(bytes: Uint8Array, signature: Uint8Array, publicKey: KeyObject): boolean {
  return signature.length === 64 && verify(null, bytes, publicKey, signature);
}

/** The exact bytes written to manifest.json: compact JSON in the key order given, plus a newline. */
/**
 * A manifest whose signature was checked or just made: parsed, its exact bytes and its
 * signature. A copy's manifest as `clone`/`sync` read it; the one a seal in this process has
 * just written, which the main job hands to publish (which then neither parses it again nor
 * re-checks the files the seal hashed a moment before).
 */
export interface SignedManifest {
  manifest: Manifest;
  bytes: Buffer;
  signature: Buffer;
}

export function serializeManifest(manifest: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest)}\n`, 'utf8');
}

/** Parse manifest.json bytes; throws a NewsmirrorError naming `label` when it is not a manifest. */
export function parseManifest(bytes: Uint8Array, label: string): Manifest {
  const value = parseJsonBytes(bytes, 'ERR_MANIFEST', `${label} is not JSON`);
  const m = value as Partial<Manifest>;
  if (m?.format !== 'newsmirror-manifest/1' || typeof m.version !== 'number' || !Array.isArray(m.files)) {
    throw new NewsmirrorError('ERR_MANIFEST', `${label} is not a newsmirror manifest (format newsmirror-manifest/1)`);
  }
  return m as Manifest;
}

/**
 * The marker file `publish` writes into a folder or bucket it owns, so a first
 * publish cut short is still recognised as a mirror. Not part of the site:
 * never signed, `verify` does not count it as an extra file, and the CID
 * `serve` computes for a published folder leaves it out.
 */
export const MIRROR_MARKER = '.newsmirror-mirror';
