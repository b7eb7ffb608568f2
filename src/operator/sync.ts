/**
 * `sync`: bring an operator folder to the newest signed build any of its
 * sources offers: the source it was cloned from, the extra ones in
 * operator.json, and every mirror in the copy's own mirrors.json. Each is
 * asked for its (tiny) signed release record first, else its manifest; the
 * newest that verifies wins; older builds are refused as rollbacks. The new
 * version is staged beside the live one (a delta when offered, else only the
 * changed files), verified whole, then switched in with one rename.
 */
import type { KeyObject } from 'node:crypto';
import { readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { NewsmirrorError, describeError } from '../core/errors.ts';
import { projectPaths } from '../core/project.ts';
import { isOnion } from '../remote/index.ts';
import { deltaPath, parseManifest, parsePublicKey } from '../sealed/index.ts';
import { readHeldCopy, stageDelta, type HeldCopy } from './apply.ts';
import { RELEASES } from './clone.ts';
import { BUNDLE_REFRESH_MS, readRelease, writeDist } from './dist.ts';
import { readOperatorConfig, writeOperatorConfig, type OperatorConfig } from './folder.ts';
import { openSource, sourceCandidates, type CopySource } from './source.ts';
import { readSignedManifest, stageCopy } from './stage.ts';
import type { SignedManifest } from '../sealed/index.ts';
import { promote, siblingName } from './switch.ts';
import { sha256Hex } from '../core/hash.ts';

export interface SyncOptions {
  dir: string;
  /** host:port of a SOCKS5 proxy (tor) to read every URL through; default: the one operator.json keeps. */
  socks?: string;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface SourceNote {
  source: string;
  version?: number;
  status: 'newer' | 'current' | 'rollback' | 'failed';
  detail?: string;
}

export interface SyncReport {
  /** updated: a newer build is live; current: nothing newer anywhere; refused: only older builds were offered. */
  status: 'updated' | 'current' | 'refused';
  from: number;
  to: number;
  source?: string;
  /** How the new version came: a delta bundle or file by file. */
  via?: 'delta' | 'files';
  files: number;
  bytes: number;
  bundles: number;
  sources: SourceNote[];
}

/** The largest delta bundle taken (held in memory); a larger one is skipped for the changed files. */
const MAX_DELTA = 2 ** 30;

/** Mirror URLs listed in the copy's own mirrors.json; onions only with a SOCKS5 proxy (tor). */
async function listedMirrors(site: string, socks: string | undefined): Promise<string[]> {
  let list: { mirrors?: { url?: unknown }[] };
  try {
    list = JSON.parse(await readFile(join(site, 'mirrors.json'), 'utf8')) as typeof list;
  } catch {
    return [];
  }
  const usable = (url: unknown): url is string => {
    try {
      return typeof url === 'string' && /^https?:\/\//.test(url) && (socks !== undefined || !isOnion(url));
    } catch {
      return false; // not a URL: one bad entry does not hide the others
    }
  };
  return (Array.isArray(list?.mirrors) ? list.mirrors : []).map((m) => m?.url).filter(usable);
}

interface Offer {
  spec: string;
  source: CopySource;
  version: number;
  built?: string;
  signed?: SignedManifest;
}

/** What one source offers: the release record's version when it has one (a few hundred bytes), else the manifest's. */
async function ask(spec: string, key: KeyObject, socks: string | undefined, signal?: AbortSignal): Promise<Offer> {
  const source = await openSource(spec, { signal, timeoutMs: 30_000, socks });
  try {
    const release = await readRelease(source, key);
    if (release) return { spec, source, version: release.record.version, built: release.record.built };
    const signed = await readSignedManifest(source, key);
    return { spec, source, version: signed.manifest.version, built: signed.manifest.built, signed };
  } catch (error) {
    await source.close();
    throw error;
  }
}

/** Remove what a run cut short left in releases/ (anything but the live release). */
async function tidyReleases(dir: string, live: string): Promise<void> {
  const releases = join(dir, RELEASES);
  for (const name of await readdir(releases).catch(() => [] as string[])) {
    const path = join(releases, name);
    if (path !== live) await rm(path, { recursive: true, force: true });
  }
}

/** A delta from the held version, when the source offers one; undefined when it does not or it fails. */
async function viaDelta(offer: Offer, held: HeldCopy, key: KeyObject, out: string, signal?: AbortSignal): Promise<number | undefined> {
  const path = deltaPath(held.manifest.version, offer.version);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await offer.source.readBeside(path, MAX_DELTA);
  } catch {
    return undefined;
  }
  if (!bytes) return undefined;
  const file = join(tmpdir(), `newsmirror-delta-${process.pid}-${sha256Hex(bytes).slice(0, 12)}.zip`);
  try {
    await writeFile(file, bytes);
    await stageDelta(file, held, key, out, signal);
    return bytes.length;
  } catch {
    return undefined; // not a usable delta: the changed files are taken one by one instead
  } finally {
    await rm(file, { force: true });
  }
}

export async function sync(options: SyncOptions): Promise<SyncReport> {
  const { dir, signal } = options;
  const now = options.now ?? (() => new Date());
  const config = await readOperatorConfig(dir);
  if (!config) throw new NewsmirrorError('ERR_CONFIG', `${dir} is not an operator folder (no operator.json); make one with \`newsmirror clone <source> DIR --key ed25519:…\``);
  const key = parsePublicKey(config.key);
  const site = projectPaths(dir).site;
  const live = await realpath(site);
  await tidyReleases(dir, live);
  const held = await readHeldCopy(site, key);
  const from = held.manifest.version;
  if (config.version !== from || config.built !== held.manifest.built) {
    // A run killed between the switch and its bookkeeping (or an `apply`): dist/ and operator.json follow the live copy.
    const signature = await readFile(join(site, 'manifest.sig'));
    await writeDist(dir, { manifest: held.manifest, bytes: held.manifestBytes, signature }, { label: dir, kind: 'dir', read: async () => undefined, readBeside: async () => undefined, saveBeside: async () => undefined, close: async () => {} }, key, false);
    await writeOperatorConfig(dir, { ...config, version: from, built: held.manifest.built });
  }
  const heldBuilt = Date.parse(held.manifest.built);
  const socks = options.socks ?? config.socks;
  const specs = [...new Set([config.source, ...config.sources, ...(await listedMirrors(site, socks))])];
  const candidates = specs.flatMap((s) => {
    try {
      return sourceCandidates(s, config.gateways);
    } catch {
      return [];
    }
  });
  const notes: SourceNote[] = [];
  const offers: Offer[] = [];
  await Promise.all(candidates.map(async (spec) => {
    try {
      const offer = await ask(spec, key, socks, signal);
      const older = offer.version < from || (offer.built !== undefined && Date.parse(offer.built) < heldBuilt);
      if (older) {
        notes.push({ source: spec, version: offer.version, status: 'rollback', detail: `offers version ${offer.version} (built ${offer.built}), older than the held ${from} (built ${held.manifest.built}): refused as a rollback` });
        await offer.source.close();
      } else if (offer.version === from) {
        notes.push({ source: spec, version: offer.version, status: 'current' });
        await offer.source.close();
      } else {
        notes.push({ source: spec, version: offer.version, status: 'newer' });
        offers.push(offer);
      }
    } catch (error) {
      signal?.throwIfAborted();
      notes.push({ source: spec, status: 'failed', detail: describeError(error) });
    }
  }));
  notes.sort((a, b) => candidates.indexOf(a.source) - candidates.indexOf(b.source));
  offers.sort((a, b) => b.version - a.version || candidates.indexOf(a.spec) - candidates.indexOf(b.spec));
  const base = { from, to: from, files: 0, bytes: 0, bundles: 0, sources: notes };
  try {
    for (const offer of offers) {
      const staged = siblingName(live, 'next');
      try {
        // The delta first: it carries the new signed manifest, so a large manifest is not fetched as well.
        let via: 'delta' | 'files' = 'delta';
        let files = 1;
        let bytes = await viaDelta(offer, held, key, staged, signal);
        let signed: SignedManifest;
        if (bytes !== undefined) {
          const [manifestBytes, signature] = await Promise.all([readFile(join(staged, 'manifest.json')), readFile(join(staged, 'manifest.sig'))]);
          signed = { manifest: parseManifest(manifestBytes, 'manifest.json'), bytes: manifestBytes, signature };
        } else {
          signed = offer.signed ?? (await readSignedManifest(offer.source, key));
        }
        if (signed.manifest.version <= from || Date.parse(signed.manifest.built) < heldBuilt) throw new NewsmirrorError('ERR_ROLLBACK', `the manifest offers version ${signed.manifest.version} built ${signed.manifest.built}, not newer than the held ${from} built ${held.manifest.built}`);
        if (bytes === undefined) {
          via = 'files';
          const report = await stageCopy(offer.source, signed, key, staged, held, signal);
          files = report.fetched;
          bytes = report.bytes;
        }
        const old = await promote(site, staged, signed.manifest.version);
        if (old) await rm(old, { recursive: true, force: true });
        const due = !config.bundlesFetched || now().getTime() - Date.parse(config.bundlesFetched) >= BUNDLE_REFRESH_MS;
        const bundles = await writeDist(dir, signed, offer.source, key, due);
        const next: OperatorConfig = { ...config, version: signed.manifest.version, built: signed.manifest.built, ...(bundles ? { bundlesFetched: now().toISOString() } : {}) };
        await writeOperatorConfig(dir, next);
        return { ...base, status: 'updated', to: signed.manifest.version, source: offer.spec, via, files, bytes, bundles };
      } catch (error) {
        await rm(staged, { recursive: true, force: true });
        signal?.throwIfAborted();
        const note = notes.find((n) => n.source === offer.spec);
        if (note) Object.assign(note, { status: 'failed', detail: describeError(error) });
      }
    }
  } finally {
    await Promise.all(offers.map((o) => o.source.close()));
  }
  if (notes.some((n) => n.status === 'current')) return { ...base, status: 'current' };
  if (notes.some((n) => n.status === 'rollback')) return { ...base, status: 'refused' };
  throw new NewsmirrorError('ERR_SYNC', `no source could be read, the copy in ${dir} (version ${from}) is unchanged:\n  ${notes.map((n) => `${n.source}: ${n.detail ?? n.status}`).join('\n  ')}`);
}

/** One line for a terminal or a cron log. */
export function syncLine(report: SyncReport): string {
  const rollbacks = report.sources.filter((s) => s.status === 'rollback').length;
  const failed = report.sources.filter((s) => s.status === 'failed').length;
  const tail = `${report.sources.length} source(s)${failed ? `, ${failed} failed` : ''}${rollbacks ? `, ${rollbacks} offered an older build (refused)` : ''}`;
  if (report.status === 'updated') return `updated v${report.from} → v${report.to} from ${report.source} via ${report.via} (${report.bytes} bytes${report.bundles ? ` + ${report.bundles} bytes of bundles` : ''}); ${tail}`;
  if (report.status === 'current') return `current: v${report.from} is the newest signed build; ${tail}`;
  return `refused: only older builds offered (rollback), v${report.from} kept; ${tail}`;
}
