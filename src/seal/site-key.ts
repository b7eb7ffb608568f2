/**
 * The one rule for the site's key: the key that signs a build must be the
 * `publicKey` in content/_data/site.yaml, which every reader and mirror checks
 * copies against. A different key is refused; only an explicit `--rekey`
 * writes the new public key into site.yaml, and then says what readers must be told.
 */
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { loadSite } from '../core/config.ts';
import { NewsmirrorError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs.ts';
import type { Reporter } from '../core/log.ts';
import { formatPublicKey } from '../sealed/manifest.ts';
import { projectPaths } from '../core/project.ts';
import { keySource } from './keys.ts';

/** The signing key is not the site's publicKey (exit 2: fix the key, or --rekey). */
export class KeyMismatchError extends NewsmirrorError {
  constructor(message: string) {
    super('ERR_KEY_MISMATCH', message);
  }
}

/** match: site.yaml has this key; absent: site.yaml names none (or cannot be read); rekeyed: --rekey wrote it. */
export type SiteKeyState = 'match' | 'absent' | 'rekeyed';

const SITE_YAML = 'content/_data/site.yaml';

/**
 * Check `key` against site.yaml's publicKey. A different key throws
 * KeyMismatchError naming both keys and where each was found, unless `rekey`:
 * then site.yaml's publicKey is replaced (comments kept) and a warning says
 * what readers and mirror operators must be told.
 */
export async function checkSiteKey(options: { root: string; key: KeyObject; rekey?: boolean; reporter?: Reporter }): Promise<SiteKeyState> {
  const publicKey = formatPublicKey(options.key);
  const site = await loadSite(options.root).catch(() => undefined);
  const current = site?.publicKey;
  if (current === publicKey) return 'match';
  if (!current && !options.rekey) return 'absent';
  const source = keySource(options.key);
  if (!options.rekey) {
    throw new KeyMismatchError(
      `the signing key from ${source} has the public key ${publicKey}, but ${SITE_YAML} has publicKey ${current}: ` +
        `readers and mirrors check every copy against ${current}, so they would reject this build as forged. Nothing was signed. ` +
        `Sign with the key that matches ${SITE_YAML} (set $NEWSMIRROR_SIGNING_KEY or pass --key FILE). ` +
        `Only if that key is lost or stolen, run again with --rekey to make ${publicKey} the site's key.`,
    );
  }
  const file = join(projectPaths(options.root).data, 'site.yaml');
  const doc = parseDocument((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
  doc.set('publicKey', publicKey);
  await writeFileAtomic(file, doc.toString({ lineWidth: 0 }));
  options.reporter?.warn(
    current
      ? `--rekey: ${SITE_YAML} publicKey changed from ${current} to ${publicKey} (the key from ${source}). ` +
          `Every reader, mirror operator and verify script that trusts ${current} will reject new copies until told: ` +
          `publish the new key through channels they already trust (your own site, social accounts, a message signed with the old key if you still have it), ` +
          `and say why the key changed. If the old key was stolen, say so: copies signed with it after today are not yours.`
      : `--rekey: ${SITE_YAML} had no publicKey; it is now ${publicKey} (the key from ${source}). Tell readers this key so they can verify copies.`,
  );
  return 'rekeyed';
}
