import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.ts';
import { acquireLock } from '../../src/core/lock.ts';
import type { Reporter } from '../../src/core/log.ts';
import { formatPublicKey } from '../../src/sealed/index.ts';
import { loadProject } from '../../src/core/project.ts';
import { exitCodeFor, formatSummary, runPipeline, type OutletReport, type Stages, type TargetResult } from '../../src/cli/pipeline.ts';
import { defaultKeyPath, generateKey, loadSigningKey } from '../../src/seal/index.ts';

let root: string;
let config: string;
let lines: string[];
const reporter: Reporter = { info: (l) => lines.push(l), warn: (l) => lines.push(`warning: ${l}`), progress() {} };

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'nm-run-'));
  config = await mkdtemp(join(tmpdir(), 'nm-xdg-'));
  lines = [];
  await mkdir(join(root, 'content', '_data'), { recursive: true });
  await mkdir(join(root, 'mirrors'));
  await writeFile(join(root, 'content/_data/site.yaml'), 'title: Newsmirror\nlang: ru\n');
  await writeFile(join(root, 'mirrors/local.yaml'), 'name: local\ntype: dir\nurl: http://127.0.0.1:8080/\npath: .newsmirror/public\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(config, { recursive: true, force: true });
});

const ok = (outlet: string, n = 2): OutletReport => ({ outlet, new: n, updated: 1, unchanged: 0, skipped: 0, failed: [] });
const down = (outlet: string): OutletReport => ({ outlet, new: 0, updated: 0, unchanged: 0, skipped: 0, failed: [{ url: `https://${outlet}.example/rss`, code: 'ERR_NETWORK', reason: 'could not connect' }] });
const target = (name: string, status: TargetResult['status'], extra: Partial<TargetResult> = {}): TargetResult => ({ target: name, type: 'dir', status, files: 10, bytes: 1000, ms: 5, ...extra });

/** Fake stages that record their calls; key handling is the real seal stage's. */
function fakeStages(options: { outlets?: OutletReport[]; targets?: TargetResult[]; buildFails?: boolean } = {}) {
  const calls: string[] = [];
  const stages: Stages = {
    ingest: async (o) => {
      calls.push(`ingest ${o.outlets?.join(',') ?? 'all'}`);
      return { outlets: options.outlets ?? [ok('steppe-herald')] };
    },
    build: async () => {
      calls.push('build');
      if (options.buildFails) throw new Error('content/steppe-herald/2026/01/x.md: front matter date must be an ISO 8601 UTC time');
      return { articles: 7, pages: 12, outDir: join(root, '_site') };
    },
    seal: async (o) => {
      calls.push(`seal ${formatPublicKey(o.key).slice(0, 8)}`);
      return { version: 3, built: '2026-01-05T10:00:00Z', files: 14, bytes: 52_000, cid: 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi', dist: join(root, 'dist') };
    },
    publish: async () => {
      calls.push('publish');
      return options.targets ?? [target('local', 'ok', { url: 'http://127.0.0.1:8080/' })];
    },
    loadSigningKey,
    generateKey: (file) => generateKey(file),
    defaultKeyPath,
  };
  return { stages, calls };
}

describe('runPipeline', () => {
  it('makes a signing key on first run, says where and what to put into site.yaml, and runs every stage in order', async () => {
    const env = { XDG_CONFIG_HOME: config };
    const { stages, calls } = fakeStages();
    const summary = await runPipeline({ root, reporter, env, stages });
    const keyFile = join(config, 'newsmirror', 'signing-key.pem');
    const publicKey = formatPublicKey(await loadSigningKey({ env }));
    expect(calls).toEqual(['ingest all', 'build', 'seal ed25519:', 'publish']);
    expect(summary.key).toEqual({ publicKey, inSiteYaml: false, generated: keyFile });
    expect(summary.exit).toBe(0);
    expect(summary.read).toEqual([join(root, 'dist', 'site.zip')]);
    expect(summary.localDirs).toEqual([join(root, '.newsmirror', 'public')]);
    expect(lines.slice(0, 2)).toEqual([
      `No signing key was found, so a new one was made at ${keyFile} (keep it secret, keep a backup).`,
      `warning: content/_data/site.yaml has no publicKey, so readers cannot check this copy. Put this line into content/_data/site.yaml:\n  publicKey: ${publicKey}`,
    ]);
    expect(formatSummary(summary)).toBe(`newsmirror run: done
  outlets:
    steppe-herald            2 new, 1 updated, 0 failed
  site: 7 articles, 12 pages
  targets:
    local                    ok
  root CID: bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi
  read the site at:
    ${join(root, 'dist', 'site.zip')} (offline copy: unzip and open index.html, or pass it on)
    ${join(root, '.newsmirror', 'public')}/index.html (a folder; \`npx newsmirror serve ${join(root, '.newsmirror', 'public')}\` serves it over HTTP)
  check a copy (in its folder; key.pem and what it proves: verify.html):
    openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig
    sha256sum -c SHA256SUMS
  next: put this line into content/_data/site.yaml so readers can verify copies:
    publicKey: ${publicKey}
`);
    // Second run: the same key, nothing generated, no warning once site.yaml has it.
    await writeFile(join(root, 'content/_data/site.yaml'), `title: Newsmirror\nlang: ru\npublicKey: ${publicKey}\n`);
    lines = [];
    const second = await runPipeline({ root, reporter, env, stages });
    expect(second.key).toEqual({ publicKey, inSiteYaml: true });
    expect(lines.filter((l) => l.startsWith('warning'))).toEqual([]);
    expect(await readFile(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('a --target that no mirror file names: ConfigError before ingest, nothing run (was: after a whole build and seal)', async () => {
    const { stages, calls } = fakeStages();
    const error = await runPipeline({ root, reporter, env: { XDG_CONFIG_HOME: config }, stages, targets: ['local', 'nope'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe('no mirror named "nope" in mirrors/*.yaml (known: local); nothing was run');
    expect(calls).toEqual([]);
    // --no-publish never looks at targets.
    expect((await runPipeline({ root, reporter, env: { XDG_CONFIG_HOME: config }, stages, targets: ['nope'], publish: false })).exit).toBe(0);
  });

  it('a key made on a new machine while site.yaml names another key: refused before ingest, site.yaml unchanged (regression: "Put this line into site.yaml" re-keyed the site)', async () => {
    const trusted = 'ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    await writeFile(join(root, 'content/_data/site.yaml'), `title: Newsmirror\nlang: ru\npublicKey: ${trusted}\n`);
    const { stages, calls } = fakeStages();
    const error = await runPipeline({ root, reporter, env: { XDG_CONFIG_HOME: config }, stages }).catch((e: unknown) => e);
    const keyFile = join(config, 'newsmirror', 'signing-key.pem');
    const made = formatPublicKey(await loadSigningKey({ env: { XDG_CONFIG_HOME: config } }));
    expect(error).toMatchObject({ code: 'ERR_KEY_MISMATCH' });
    expect((error as Error).message).toMatch(new RegExp(`^the signing key from the default signing key \\(${keyFile}\\) has the public key ${made}, but content/_data/site.yaml has publicKey ${trusted}: `));
    expect(calls).toEqual([]);
    expect(lines.join('\n')).not.toMatch(/put this line/i);
    expect(await readFile(join(root, 'content/_data/site.yaml'), 'utf8')).toBe(`title: Newsmirror\nlang: ru\npublicKey: ${trusted}\n`);
    // --rekey: site.yaml takes the new key, and the run goes on.
    const summary = await runPipeline({ root, reporter, env: { XDG_CONFIG_HOME: config }, stages, rekey: true });
    expect([summary.exit, summary.key]).toEqual([0, { publicKey: made, inSiteYaml: true }]);
    expect(await readFile(join(root, 'content/_data/site.yaml'), 'utf8')).toBe(`title: Newsmirror\nlang: ru\npublicKey: ${made}\n`);
  });

  it('hands one project value to ingest, seal and publish: the configuration is read once per run', async () => {
    const { stages } = fakeStages();
    const seen: unknown[] = [];
    const wrap = <K extends 'ingest' | 'seal' | 'publish'>(name: K) => {
      const inner = stages[name] as (o: { project?: unknown }) => Promise<unknown>;
      (stages as unknown as Record<string, unknown>)[name] = (o: { project?: unknown }) => {
        seen.push(o.project);
        return inner(o);
      };
    };
    wrap('ingest');
    wrap('seal');
    wrap('publish');
    const project = loadProject(root);
    await runPipeline({ root, project, reporter, env: { XDG_CONFIG_HOME: config }, stages });
    expect(seen).toEqual([project, project, project]);
  });

  it('with no outlet reachable says so plainly and still builds, seals and publishes from the archive (exit 3)', async () => {
    const { stages, calls } = fakeStages({ outlets: [down('steppe-herald'), down('almaty-daily')] });
    const summary = await runPipeline({ root, reporter, env: { XDG_CONFIG_HOME: config }, stages });
    expect(calls).toEqual(['ingest all', 'build', 'seal ed25519:', 'publish']);
    expect([summary.offline, summary.exit, summary.cid]).toEqual([true, 3, 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi']);
    expect(lines).toContain('warning: no outlet could be reached (is this machine offline?); building, sealing and publishing from the archive in content/');
    expect(formatSummary(summary)).toContain('  no outlet could be reached: this build comes from the archive only\n');
  });

  it('maps failures to exit codes: a failed target is partial, all targets failed or a failed build is failed', async () => {
    const env = { XDG_CONFIG_HOME: config };
    const partial = await runPipeline({ root, reporter, env, stages: fakeStages({ targets: [target('local', 'ok'), target('s3', 'failed', { reason: 'access denied' })] }).stages });
    expect(partial.exit).toBe(3);
    const failed = await runPipeline({ root, reporter, env, stages: fakeStages({ targets: [target('s3', 'failed', { reason: 'access denied' })] }).stages });
    expect(failed.exit).toBe(1);
    const broken = fakeStages({ buildFails: true });
    const noBuild = await runPipeline({ root, reporter, env, stages: broken.stages });
    expect([noBuild.exit, noBuild.seal, broken.calls]).toEqual([1, undefined, ['ingest all', 'build']]);
    expect(noBuild.errors).toEqual(['content/steppe-herald/2026/01/x.md: front matter date must be an ISO 8601 UTC time']);
    expect(exitCodeFor({ seal: partial.seal, targets: [], outlets: [ok('a')], errors: [] }, false)).toBe(0);
    const throwing = fakeStages();
    throwing.stages.publish = async () => {
      throw new Error('mirrors/s3.yaml: bucket missing');
    };
    const publishThrew = await runPipeline({ root, reporter, env, stages: throwing.stages });
    expect([publishThrew.exit, publishThrew.targets.map((t) => [t.target, t.status, t.reason])]).toEqual([1, [['(publish)', 'failed', 'mirrors/s3.yaml: bucket missing']]]);
  });

  it('lists failed targets with their reason and folds disabled ones into one line', async () => {
    const targets = [
      target('bucket', 'skipped', { reason: 'disabled (enabled: false in its mirror file)' }),
      target('local', 'ok'),
      target('server', 'failed', { reason: 'ssh: connect to host mirror.example port 22: Connection refused' }),
      target('onion', 'skipped', { reason: 'disabled (enabled: false in its mirror file)' }),
    ];
    const summary = await runPipeline({ root, reporter, env: { XDG_CONFIG_HOME: config }, stages: fakeStages({ targets }).stages });
    expect(summary.exit).toBe(3);
    expect(formatSummary(summary)).toContain(`  targets:
    local                    ok
    server                   failed: ssh: connect to host mirror.example port 22: Connection refused
    (disabled in mirrors/: bucket, onion)
`);
  });

  it('never makes a throwaway key in CI: says how to provide one', async () => {
    const { stages, calls } = fakeStages();
    await expect(runPipeline({ root, reporter, env: { XDG_CONFIG_HOME: config, CI: 'true' }, stages })).rejects.toThrow('no signing key: set NEWSMIRROR_SIGNING_KEY (a PEM string or a path), pass --key FILE, or run `newsmirror keygen`');
    expect(calls).toEqual([]);
  });

  it('starts loading the build\'s code once, when the first outlet brings news, and not on a run without news', async () => {
    const env = { XDG_CONFIG_HOME: config };
    const { stages, calls } = fakeStages();
    const ingest = stages.ingest;
    stages.prepareBuild = () => calls.push('prepare');
    stages.ingest = async (o) => {
      o.onNews?.();
      o.onNews?.();
      return ingest(o);
    };
    await runPipeline({ root, reporter, env, stages, publish: false });
    expect(calls).toEqual(['prepare', 'ingest all', 'build', 'seal ed25519:']);
    const quiet = fakeStages();
    quiet.stages.prepareBuild = () => quiet.calls.push('prepare');
    await runPipeline({ root, reporter, env, stages: quiet.stages, publish: false });
    expect(quiet.calls).toEqual(['ingest all', 'build', 'seal ed25519:']);
  });

  it('hands the manifest its seal wrote to publish, and keeps it out of the run summary', async () => {
    const { stages } = fakeStages();
    const sealed = { manifest: { format: 'newsmirror-manifest/1' as const, version: 3, built: '2026-01-05T10:00:00Z', publicKey: 'ed25519:x', files: [] }, bytes: Buffer.from('{}\n'), signature: Buffer.alloc(64) };
    const report = { version: 3, built: '2026-01-05T10:00:00Z', files: 14, bytes: 52_000, cid: 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi', dist: join(root, 'dist') };
    stages.seal = async () => ({ ...report, sealed });
    const given: unknown[] = [];
    const publishStage = stages.publish;
    stages.publish = (o) => (given.push(o.sealed), publishStage(o));
    const summary = await runPipeline({ root, reporter, env: { XDG_CONFIG_HOME: config }, stages });
    expect(given).toEqual([sealed]);
    expect(given[0]).toBe(sealed);
    expect(summary.seal).toEqual(report);
    expect(Object.keys(summary.seal!)).toEqual(['version', 'built', 'files', 'bytes', 'cid', 'dist']);
  });

  it('passes --outlet through, skips publish with --no-publish, and refuses while another run holds the lock', async () => {
    const env = { XDG_CONFIG_HOME: config };
    const { stages, calls } = fakeStages();
    await runPipeline({ root, reporter, env, stages, outlets: ['steppe-herald'], publish: false });
    expect(calls).toEqual(['ingest steppe-herald', 'build', 'seal ed25519:']);
    const held = await acquireLock(join(root, '.newsmirror', 'run.lock'));
    await expect(runPipeline({ root, reporter, env, stages })).rejects.toThrow(`another newsmirror run holds ${join(root, '.newsmirror', 'run.lock')} (pid ${process.pid}`);
    await held.release();
  });
});
