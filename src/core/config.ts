/**
 * The project's config files, each checked by one schema at the boundary.
 * A bad file fails with a ConfigError naming the file, the path of the bad
 * field and an example of a good entry.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { projectPaths } from './project.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes, e.g. "steppe-herald"');
const httpUrl = z.url({ protocol: /^https?$/ });
const lang = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/, 'must be a language code such as kk, ru or en');

export const outletSchema = z.strictObject({
  id,
  name: z.string().min(1),
  homepage: httpUrl,
  lang,
  feeds: z.array(httpUrl).default([]),
  /** Sitemaps (news, plain or index) for an outlet without a usable feed: new pages are fetched and extracted (src/ingest/sitemap-ingest.ts). */
  sitemaps: z.array(httpUrl).min(1).optional(),
  /** Pages taken from the sitemaps in one run, newest first (default 50); the rest wait for later runs. */
  sitemapPages: z.number().int().min(1).max(1000).optional(),
  /** true: the feed has summaries only; fetch each article page and extract the body. */
  fulltext: z.boolean().default(false),
  /** Photos kept in the archive as small WebP files: the first of each article (default "lead"), every one, or none. */
  images: z.enum(['lead', 'all', 'none']).optional(),
  /** Byte budget of one archived photo (default 40000): quality, then size, is lowered until it fits. */
  imageBytes: z.number().int().min(5_000).max(1_000_000).optional(),
  /** Free text for maintainers, e.g. "feed URL not confirmed". */
  note: z.string().optional(),
  enabled: z.boolean().default(true),
}).refine((o) => o.feeds.length > 0 || (o.sitemaps?.length ?? 0) > 0, { message: 'an outlet needs at least one URL in feeds or in sitemaps', path: ['feeds'] });
export type Outlet = z.infer<typeof outletSchema>;

const OUTLET_EXAMPLE = `- id: steppe-herald
  name: Степной вестник
  homepage: https://steppe-herald.example/
  lang: ru
  feeds: [https://steppe-herald.example/rss/]
  fulltext: false`;

/** Values of site.yaml's `fullTextSearch`. */
export const FULL_TEXT = ['all', 'year', 'month'] as const;
export type FullText = (typeof FULL_TEXT)[number];

export const siteSchema = z.strictObject({
  title: z.string().min(1),
  /** Interface language of the site: kk, ru or en. */
  lang: z.enum(['kk', 'ru', 'en']),
  description: z.string().default(''),
  /** The site's main address ("https://news.example/"), if it has one: RSS 2.0 links are made absolute against it. */
  url: z.string().regex(/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/, 'must be the http(s) address of the site\'s main copy, such as https://news.example/').optional(),
  /** `ed25519:<base64url of the raw 32 bytes>`, printed by `newsmirror keygen`. */
  publicKey: z.string().regex(/^ed25519:[A-Za-z0-9_-]{43}$/, 'must be "ed25519:" and 43 base64url characters, as printed by `newsmirror keygen`').optional(),
  /** Articles on the home page and on each page of a listing. */
  pageSize: z.number().int().min(5).max(500).default(30),
  /** `seal` writes delta bundles from this many earlier versions (dist/deltas/<from>-<to>.zip); 0 for none. */
  deltas: z.number().int().min(0).max(60).default(7),
  /**
   * Whose full text the search index holds: every article's (`all`), the newest year's (`year`) or
   * the newest month's (`month`); the others are searched by title and the first two blocks of their
   * text. Pagefind costs about a third as much for those, which is most of a cold build of a large archive.
   */
  fullTextSearch: z.enum(FULL_TEXT).default('all'),
});
export type Site = z.infer<typeof siteSchema>;

const SITE_EXAMPLE = `title: Newsmirror
lang: ru
description: Зеркало независимых СМИ
publicKey: ed25519:<43 characters printed by newsmirror keygen>`;

const takedownSchema = z.strictObject({
  id: z.string().min(1),
  url: z.string().optional(),
  outlet: z.string().optional(),
  time: z.string().datetime(),
  reason: z.string().min(1),
  /** Set by `takedown --undo`: the tombstone no longer applies; the entry stays as the audit log. */
  undone: z.strictObject({ time: z.string().datetime(), reason: z.string().min(1) }).optional(),
});
export type Takedown = z.infer<typeof takedownSchema>;

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be the NAME of an environment variable, never the secret itself');
const mirrorBase = {
  name: id,
  /** The public URL readers open, if any. */
  url: httpUrl.optional(),
  enabled: z.boolean().default(true),
  /** Seconds one attempt may take. */
  timeout: z.number().positive().default(300),
  retries: z.number().int().min(0).max(10).default(2),
  /** Seconds before the first retry; doubled for each next one. */
  retryDelay: z.number().min(0).max(600).default(5),
};
/** Settings of the targets that hold a copy of files (dir, git, s3, rsync). */
const copyTarget = {
  /** Carry site.zip, site.car, release.json/.sig and deltas/ beside the site (default true; false for a host with a size limit). */
  bundles: z.boolean().optional(),
  /** How often the full site.zip and site.car are sent again (deltas go with every run): e.g. 30m, 24h (default), 7d; 0s = every run. */
  bundleRefresh: z.string().regex(/^\d{1,6}[smhd]$/, 'must be a number and a unit, e.g. 30m, 24h or 7d (0s: every run)').optional(),
};

/** `24h` → milliseconds. */
export function durationMs(text: string): number {
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[text.slice(-1)] ?? 1_000;
  return Number(text.slice(0, -1)) * unit;
}
export const mirrorSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...mirrorBase, ...copyTarget, type: z.literal('dir'), path: z.string().min(1) }),
  z.strictObject({
    ...mirrorBase,
    ...copyTarget,
    type: z.literal('git'),
    repo: z.string().min(1),
    branch: z.string().regex(/^[A-Za-z0-9._/-]+$/, 'must be a branch name such as gh-pages or pages').default('gh-pages'),
    /** Env var holding an HTTPS token (GitHub/GitLab/Codeberg); sent as a header, never stored. */
    tokenEnv: envName.optional(),
    /** SSH private key for git@host:… repos. */
    identityFile: z.string().optional(),
    /** Custom domain for GitHub Pages: written as the CNAME file. */
    cname: z.string().regex(/^[a-z0-9.-]+$/i, 'must be a host name, e.g. news.example.org').optional(),
  }),
  z.strictObject({
    ...mirrorBase,
    ...copyTarget,
    type: z.literal('s3'),
    bucket: z.string().min(1),
    endpoint: httpUrl.optional(),
    region: z.string().default('us-east-1'),
    prefix: z.string().default(''),
    accessKeyEnv: envName,
    secretKeyEnv: envName,
    /** Path-style URLs (endpoint/bucket/key): MinIO and most self-hosted servers need it. */
    forcePathStyle: z.boolean().default(false),
  }),
  z.strictObject({
    ...mirrorBase,
    ...copyTarget,
    type: z.literal('rsync'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(22),
    user: z.string().min(1),
    path: z.string().min(1),
    identityFile: z.string().optional(),
    keyEnv: envName.optional(),
    knownHostsFile: z.string().optional(),
    /** Releases kept on the server (the live one included). */
    keep: z.number().int().min(1).max(50).default(3),
    /** Upload bandwidth cap in KiB/s (rsync --bwlimit), to spare a newsroom's uplink. */
    bwlimit: z.number().int().positive().optional(),
  }),
  z.strictObject({
    ...mirrorBase,
    type: z.literal('ipfs'),
    api: httpUrl.optional(),
    /** Env var with a Bearer token for the Kubo RPC API (API.Authorizations). */
    apiTokenEnv: envName.optional(),
    pinning: z.strictObject({ endpoint: httpUrl, tokenEnv: envName }).optional(),
    gateway: httpUrl.optional(),
    dnslink: z.string().optional(),
  }),
  z.strictObject({
    ...mirrorBase,
    type: z.literal('onion'),
    serves: id,
    out: z.string().min(1),
    hostname: z.string().regex(/^[a-z2-7]{56}\.onion$/, 'must be a v3 onion address (56 characters + .onion)').optional(),
    port: z.number().int().min(1).max(65535).default(8081),
    /** Folder for tor's DataDirectory and HiddenServiceDir (default /var/lib/tor/newsmirror-<name>). */
    torDir: z.string().optional(),
    /** The folder nginx serves, when it cannot be derived from the served mirror (an rsync path relative to home). */
    webRoot: z.string().optional(),
  }),
  z.strictObject({
    ...mirrorBase,
    type: z.literal('external'),
    /** The address readers open on the copy someone else runs. */
    url: httpUrl,
    /** What kind of address it is (default: onion for a .onion host, ipfs for a /ipfs/ or /ipns/ path, else https). */
    kind: z.enum(['onion', 'ipfs', 'https']).optional(),
  }),
]);
export type Mirror = z.infer<typeof mirrorSchema>;

/** How a mirror is listed: its type, or for an external copy its kind (given, or told by its URL). */
export function mirrorKind(mirror: Mirror): string {
  if (mirror.type !== 'external') return mirror.type;
  if (mirror.kind) return mirror.kind;
  const url = new URL(mirror.url);
  if (url.hostname.endsWith('.onion')) return 'onion';
  return /^\/ip[fn]s\//.test(url.pathname) ? 'ipfs' : 'https';
}
export type MirrorType = Mirror['type'];

const MIRROR_EXAMPLE = `name: local
type: dir
url: http://127.0.0.1:8080/
enabled: true
path: ./public`;

/** Turn a schema failure into one message: file, field path, problem, example. */
function configError(file: string, error: z.ZodError, example: string, prefix: (string | number)[] = []): ConfigError {
  const lines = error.issues.slice(0, 5).map((issue) => {
    const path = [...prefix, ...issue.path].map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return `  ${path || '(top level)'}: ${issue.message}`;
  });
  return new ConfigError(`${file} is not valid:\n${lines.join('\n')}\nA good entry looks like:\n${example}`, { cause: error });
}

async function readYaml(path: string, label: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${label} could not be read: ${(error as Error).message}`, { cause: error });
  }
  try {
    // A byte order mark (Notepad saves one) is not content: before a list it breaks the YAML parser.
    return parseYaml(text.replace(/^\uFEFF/, ''), { maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError(`${label} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
}

async function readOptionalYaml(path: string, label: string): Promise<unknown> {
  try {
    await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  }
  return readYaml(path, label);
}

/** content/_data/outlets.yaml: the outlet registry. */
export async function loadOutlets(root: string): Promise<Outlet[]> {
  const paths = projectPaths(root);
  const file = join(paths.data, 'outlets.yaml');
  const label = relative(paths.root, file);
  const result = z.array(outletSchema).safeParse(await readYaml(file, label));
  if (!result.success) throw configError(label, result.error, OUTLET_EXAMPLE);
  const seen = new Set<string>();
  for (const [index, outlet] of result.data.entries()) {
    if (seen.has(outlet.id)) throw new ConfigError(`${label}: [${index}].id: "${outlet.id}" is used twice; each outlet needs its own id`);
    seen.add(outlet.id);
  }
  return result.data;
}

/** content/_data/site.yaml: site settings. */
export async function loadSite(root: string): Promise<Site> {
  const paths = projectPaths(root);
  const file = join(paths.data, 'site.yaml');
  const label = relative(paths.root, file);
  const result = siteSchema.safeParse(await readYaml(file, label));
  if (!result.success) throw configError(label, result.error, SITE_EXAMPLE);
  return result.data;
}

/** content/_data/takedowns.yaml: the audit log of removed articles (missing file = none). */
export async function loadTakedowns(root: string): Promise<Takedown[]> {
  const paths = projectPaths(root);
  const file = join(paths.data, 'takedowns.yaml');
  const label = relative(paths.root, file);
  const raw = await readOptionalYaml(file, label);
  if (raw === undefined || raw === null) return [];
  const result = z.array(takedownSchema).safeParse(raw);
  if (!result.success) throw configError(label, result.error, `- id: steppe-herald/0f3a9c2b7d1e4a56\n  time: 2026-01-05T10:00:00Z\n  reason: source safety`);
  return result.data;
}

/** mirrors/*.yaml, sorted by file name. A missing folder means no mirrors. */
export async function loadMirrors(root: string): Promise<Mirror[]> {
  const paths = projectPaths(root);
  let names: string[];
  try {
    names = (await readdir(paths.mirrors)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ConfigError(`mirrors/ could not be read (it must be a folder of <name>.yaml files): ${(error as Error).message}`, { cause: error });
  }
  const mirrors: Mirror[] = [];
  for (const name of names) {
    const label = `mirrors/${name}`;
    const result = mirrorSchema.safeParse(await readYaml(join(paths.mirrors, name), label));
    if (!result.success) throw configError(label, result.error, MIRROR_EXAMPLE);
    if (mirrors.some((m) => m.name === result.data.name)) throw new ConfigError(`${label}: name "${result.data.name}" is used by another mirror file`);
    mirrors.push(result.data);
  }
  return mirrors;
}
