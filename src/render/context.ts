/** Everything a render needs besides the articles, loaded once per build from the project's config files. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { loadMirrors, loadOutlets, loadSite, loadTakedowns, type Outlet, type Site } from '../core/config.ts';
import { loadHealth } from '../core/health.ts';
import { TakedownIndex } from '../core/takedowns.ts';
// The leaf module, not the sealed/ barrel: a page's key covers the code that renders it (build-cache/inputs.ts renderCodeFiles), and the CAR and zip writers do not.
import { parsePublicKey } from '../sealed/manifest.ts';
import { projectPaths } from '../core/project.ts';
import { STRINGS, type Strings, type UiLang } from './i18n.ts';
import { mirrorEntries, type MirrorEntry } from './mirrors.ts';
import { pathExists } from '../core/fs.ts';

/** Folder names the site itself uses at its root: no outlet may be called so. */
export const RESERVED_OUTLET_IDS = new Set(['archive', 'titles', 'pagefind']);

export interface RenderContext {
  root: string;
  site: Site;
  lang: UiLang;
  t: Strings;
  /** outlets.yaml in file order (empty when the file does not exist yet). */
  outlets: Outlet[];
  outletById: Map<string, Outlet>;
  /** Active tombstones of content/_data/takedowns.yaml. */
  takedowns: TakedownIndex;
  /** Latest takedown time (ISO UTC), part of the build time. */
  takedownLatest: string | null;
  mirrors: MirrorEntry[];
  /** Minified stylesheet inlined into every page. */
  css: string;
  /** The Content-Security-Policy of every HTML page. */
  csp: string;
  /** The site's public key as SPKI PEM (for openssl), or null when none is configured. */
  publicKeyPem: string | null;
}

const STYLE_FILE = new URL('../../content/_includes/style.css', import.meta.url);

/** Strip comments and spaces the browser does not need. */
export function minifyCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{}:;,>])\s*/g, '$1')
    .replace(/;}/g, '}')
    .trim();
}

/** A CSP that allows nothing remote: the inline stylesheet by hash, images from the site itself. */
export function contentSecurityPolicy(css: string): string {
  const hash = createHash('sha256').update(css).digest('base64');
  return `default-src 'none'; img-src 'self' data:; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`;
}


/** Load site, outlets, takedowns, mirrors and health for one project folder. */
export async function loadRenderContext(root: string): Promise<RenderContext> {
  const paths = projectPaths(root);
  const site = await loadSite(paths.root);
  const outlets = (await pathExists(join(paths.data, 'outlets.yaml'))) ? await loadOutlets(paths.root) : [];
  for (const outlet of outlets) {
    if (RESERVED_OUTLET_IDS.has(outlet.id)) throw new ConfigError(`content/_data/outlets.yaml: outlet id "${outlet.id}" is used by the site itself (${[...RESERVED_OUTLET_IDS].join(', ')}); choose another id`);
  }
  const takedowns = new TakedownIndex(await loadTakedowns(paths.root));
  const css = minifyCss(readFileSync(STYLE_FILE, 'utf8'));
  return {
    root: paths.root,
    site,
    lang: site.lang,
    t: STRINGS[site.lang],
    outlets,
    outletById: new Map(outlets.map((o) => [o.id, o])),
    takedowns,
    takedownLatest: takedowns.latest,
    mirrors: mirrorEntries(await loadMirrors(paths.root), await loadHealth(paths.root)),
    css,
    csp: contentSecurityPolicy(css),
    publicKeyPem: site.publicKey ? String(parsePublicKey(site.publicKey).export({ format: 'pem', type: 'spki' })) : null,
  };
}
