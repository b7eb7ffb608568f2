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

const SHAPE = 'A secrets file looks like:\ntriggers:\n  steppe-herald: <a long random string, e.g. from `openssl rand -hex 32`>';

function shapeError(label: string, problem: string): ConfigError {
  return new ConfigError(`${label}: ${problem}.\n${SHAPE}`);
}

/**
 * Parse a secrets file's text: one top-level key, `triggers:`, a map of outlet
 * id to secret. A misspelt or unknown key, or a file naming no secret, is a
 * ConfigError showing the expected shape (accepted, it would refuse every
 * signed trigger later with 401).
 */
export function parseSecretsFile(text: string, label: string): Map<string, string> {
  let value: unknown;
  try {
    value = parseYaml(text.replace(/^\uFEFF/, ''), { maxAliasCount: 10 });
  } catch (error) {
    throw new ConfigError(`${label} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  if (value === undefined || value === null) throw shapeError(label, 'the file is empty and names no secret');
  if (typeof value !== 'object' || Array.isArray(value)) throw shapeError(label, 'the file must be a YAML map with a triggers: key');
  const unknown = Object.keys(value).filter((key) => key !== 'triggers');
  if (unknown.length) throw shapeError(label, `unknown top-level key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; the only key is "triggers"`);
  const triggers = (value as { triggers?: unknown }).triggers;
  if (triggers === undefined) throw shapeError(label, 'no triggers: map');
  if (triggers === null || typeof triggers !== 'object' || Array.isArray(triggers)) throw shapeError(label, 'triggers must be a map of outlet id to secret');
  const secrets = new Map<string, string>();
  for (const [outlet, secret] of Object.entries(triggers)) {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(outlet)) throw shapeError(label, `triggers: "${outlet}" is not an outlet id (lowercase letters, digits and dashes, as in outlets.yaml)`);
    if (typeof secret !== 'string' || secret.length < 16) throw new ConfigError(`${label}: triggers.${outlet} must be a string of at least 16 characters (make one with \`openssl rand -hex 32\`)`);
    secrets.set(outlet, secret);
  }
  if (!secrets.size) throw shapeError(label, 'triggers: names no secret');
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
