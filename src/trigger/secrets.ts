/**
 * Per-outlet trigger secrets: a YAML file (`NEWSMIRROR_SECRETS` or --secrets,
 * `triggers: { <outlet-id>: <secret> }`), else env
 * NEWSMIRROR_TRIGGER_SECRET_<OUTLET_ID_UPPER_SNAKE>. Never inside the repo.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../core/errors.ts';

/** Looks up an outlet's secret; undefined when it has none. */
export type SecretLookup = (outlet: string) => string | undefined;

/** `steppe-herald` → `NEWSMIRROR_TRIGGER_SECRET_STEPPE_HERALD`. */
export function secretEnvName(outlet: string): string {
  return `NEWSMIRROR_TRIGGER_SECRET_${outlet.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Parse the `triggers:` map of a secrets file's text. */
export function parseSecretsFile(text: string, label: string): Map<string, string> {
  let value: unknown;
  try {
    value = parseYaml(text.replace(/^\uFEFF/, ''), { maxAliasCount: 10 });
  } catch (error) {
    throw new ConfigError(`${label} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  const triggers = (value as { triggers?: unknown } | null)?.triggers;
  if (triggers === undefined || triggers === null) return new Map();
  if (typeof triggers !== 'object' || Array.isArray(triggers)) throw new ConfigError(`${label}: triggers must be a map of outlet id to secret, e.g.\ntriggers:\n  steppe-herald: <a long random string>`);
  const secrets = new Map<string, string>();
  for (const [outlet, secret] of Object.entries(triggers)) {
    if (typeof secret !== 'string' || secret.length < 16) throw new ConfigError(`${label}: triggers.${outlet} must be a string of at least 16 characters (make one with \`openssl rand -hex 32\`)`);
    secrets.set(outlet, secret);
  }
  return secrets;
}

/** Secrets from the file (if any) and the environment; the file wins. `outlets` lists who has one. */
export async function loadTriggerSecrets(options: { file?: string; env?: NodeJS.ProcessEnv } = {}): Promise<SecretLookup & { outlets: string[] }> {
  const env = options.env ?? process.env;
  const file = options.file ?? env.NEWSMIRROR_SECRETS;
  let fromFile = new Map<string, string>();
  if (file) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`secrets file ${file} could not be read: ${(error as Error).message}`, { cause: error });
    }
    fromFile = parseSecretsFile(text, file);
  }
  const lookup: SecretLookup = (outlet) => {
    const value = fromFile.get(outlet) ?? env[secretEnvName(outlet)];
    return value ? value : undefined;
  };
  const prefix = secretEnvName('');
  const fromEnv = Object.keys(env).filter((k) => k.startsWith(prefix) && env[k]).map((k) => `${k.slice(prefix.length).toLowerCase().replace(/_/g, '-')}`);
  return Object.assign(lookup, { outlets: [...new Set([...fromFile.keys(), ...fromEnv])].sort() });
}
