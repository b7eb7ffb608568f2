/** The public key an operator command trusts: --key, else the operator folder's pinned key, else site.publicKey of --root. */
import { parsePublicKey } from '../sealed/index.ts';
import type { KeyObject } from 'node:crypto';
import { loadSite } from '../core/config.ts';
import { UsageError } from '../core/errors.ts';
import { readOperatorConfig } from '../operator/folder.ts';

export const KEY_HELP = 'Get the outlet\'s public key (ed25519:… , 51 characters) from the outlet itself: its verify page (/verify/ on any of its mirrors, compare it on two mirrors you reach by different routes), its README or staff you know. Never take it only from the copy you are about to trust.';

export function parseKeyOption(text: string): KeyObject {
  try {
    return parsePublicKey(text);
  } catch (error) {
    throw new UsageError(`--key: ${(error as Error).message}`, { cause: error });
  }
}

export async function trustedKey(options: { key?: string; dirs: string[]; root: string }): Promise<KeyObject> {
  if (options.key) return parseKeyOption(options.key);
  for (const dir of options.dirs) {
    const config = await readOperatorConfig(dir);
    if (config) return parsePublicKey(config.key);
  }
  const site = await loadSite(options.root).catch(() => undefined);
  if (site?.publicKey) return parsePublicKey(site.publicKey);
  throw new UsageError(`no trusted key: pass --key ed25519:… . ${KEY_HELP}`);
}
