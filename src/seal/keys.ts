/** The signing key: make one (`keygen`), find it (env, --key, default file), never inside content/. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { projectPaths } from '../core/project.ts';
import { KeyError, formatPublicKey, parsePrivateKey } from '../sealed/manifest.ts';

export const KEY_ENV = 'NEWSMIRROR_SIGNING_KEY';

/** `$XDG_CONFIG_HOME/newsmirror/signing-key.pem`, else `~/.config/newsmirror/signing-key.pem`. */
export function defaultKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), '.config');
  return join(base, 'newsmirror', 'signing-key.pem');
}

/**
 * Write a new Ed25519 private key (PKCS#8 PEM, mode 0600) to `outFile` and
 * return its public key as `ed25519:<base64url>`. Refuses to replace an
 * existing file unless `force`.
 */
export async function generateKey(outFile: string, options: { force?: boolean } = {}): Promise<{ path: string; publicKey: string }> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' });
  await mkdir(dirname(outFile), { recursive: true, mode: 0o700 });
  let handle;
  try {
    handle = await open(outFile, options.force ? 'w' : 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new KeyError(`${outFile} already exists; it may be the key your readers trust. Keep it, or pass --force to replace it (readers will then need the new public key)`, { cause: error });
    }
    throw new KeyError(`cannot write the key to ${outFile}: ${(error as Error).message}`, { cause: error });
  }
  try {
    await handle.chmod(0o600);
    await handle.writeFile(pem);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { path: outFile, publicKey: formatPublicKey(privateKey) };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** A private key inside content/ would be published with the site: refuse it. */
function refuseInsideContent(path: string, label: string, root: string | undefined): void {
  if (!root) return;
  const content = projectPaths(root).content;
  const abs = resolve(path);
  if (abs === content || abs.startsWith(`${content}${sep}`)) {
    throw new KeyError(`the signing key ${label} (${abs}) is inside content/, which is published with the site; move it out (e.g. to ${defaultKeyPath()}), make a new one with \`newsmirror keygen --force\` and put the new public key in site.yaml`);
  }
}

const sources = new WeakMap<KeyObject, string>();

/** Where loadSigningKey found this key, e.g. "--key /home/me/key.pem" or "$NEWSMIRROR_SIGNING_KEY". */
export function keySource(key: KeyObject): string {
  return sources.get(key) ?? 'the signing key';
}

function fromSource(key: KeyObject, source: string): KeyObject {
  sources.set(key, source);
  return key;
}

async function readKeyFile(path: string, label: string): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    throw new KeyError(`cannot read the signing key ${label} (${path}): ${(error as Error).message}`, { cause: error });
  }
  return fromSource(parsePrivateKey(pem, `${label} (${path})`), `${label} (${path})`);
}

/**
 * The private key for `seal`: NEWSMIRROR_SIGNING_KEY (a PEM string or a path
 * to one), else `keyFile` (--key), else the default keygen file if it
 * exists, else a KeyError saying how to make one. With `root`, a key file
 * inside the project's content/ (published with the site) is refused.
 */
export async function loadSigningKey(options: { keyFile?: string; env?: NodeJS.ProcessEnv; root?: string } = {}): Promise<KeyObject> {
  const env = options.env ?? process.env;
  const fromEnv = env[KEY_ENV]?.trim();
  if (fromEnv) {
    if (fromEnv.includes('-----BEGIN')) return fromSource(parsePrivateKey(fromEnv, `$${KEY_ENV}`), `$${KEY_ENV}`);
    refuseInsideContent(fromEnv, `$${KEY_ENV}`, options.root);
    return readKeyFile(fromEnv, `$${KEY_ENV}`);
  }
  if (options.keyFile) {
    refuseInsideContent(options.keyFile, '--key', options.root);
    return readKeyFile(options.keyFile, '--key');
  }
  const fallback = defaultKeyPath(env);
  if (await isFile(fallback)) return readKeyFile(fallback, 'the default signing key');
  throw new KeyError(
    `no signing key: set ${KEY_ENV} (a PEM string or a path), pass --key FILE, or run \`newsmirror keygen\` to create ${fallback} and put the public key it prints into content/_data/site.yaml as publicKey`,
  );
}
