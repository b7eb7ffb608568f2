/**
 * SIGKILL during an incremental seal (at named steps through
 * NEWSMIRROR_TEST_KILL_AT, and at a timed moment): before the commit point
 * dist/ and _site/'s seal files are exactly the previous seal's (its site.car
 * and site.zip verify); at or after it, recovery (what the next seal does
 * first) moves the rest of the new seal into place. After recovery there is
 * always exactly one whole seal, never a mix, and the next seal gives exactly
 * the bytes of a clean seal.
 */
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverSeal, seal } from '../../src/seal/index.ts';
import { parsePublicKey } from '../../src/sealed/index.ts';
import { verify } from '../../src/verify/index.ts';
import { changeSite, cleanSeal, differences, makeIncrementalProject, sealOutputs } from './incremental-fixture.ts';
import type { Project } from './site-fixture.ts';

const CHILD = fileURLToPath(new URL('./seal-child.ts', import.meta.url));
let project: Project;
let keyFile: string;
let round = 0;

beforeAll(async () => {
  project = await makeIncrementalProject();
  keyFile = join(project.root, 'key.pem');
  await writeFile(keyFile, project.key.export({ format: 'pem', type: 'pkcs8' }));
  await seal({ root: project.root, key: project.key });
});
afterAll(async () => {
  await project.cleanup();
});

/** Run the child; kill it at `step` (env hook) or `delayMs` after it says ready. */
function runChild(options: { step?: string; delayMs?: number }): Promise<{ signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, NEWSMIRROR_TEST_KILL_AT: options.step ?? '' };
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, project.root, keyFile], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (options.delayMs !== undefined && d.includes('ready')) setTimeout(() => child.kill('SIGKILL'), options.delayMs);
    });
    child.on('close', (_code, signal) => resolve({ signal, stdout }));
  });
}

async function verifies(source: string, version: number): Promise<void> {
  const result = await verify({ source, publicKey: parsePublicKey(project.publicKey) });
  expect(result.problems).toEqual([]);
  expect(result.version).toBe(version);
}

const versionOf = (outputs: Map<string, Buffer>) => (JSON.parse(outputs.get('dist/manifest.json')!.toString('utf8')) as { version: number }).version;

/**
 * One round: change the site, kill a seal, check what it left (the previous
 * seal whole, or a committed set recovery finishes), recover, seal again and
 * compare with a clean seal. Returns what the kill left and what recovery did.
 */
async function killedRound(kill: { step?: string; delayMs?: number }): Promise<{ left: 'old' | 'new' | 'moving'; recovery: string }> {
  const old = await sealOutputs(project.root);
  await changeSite(project.site, ++round);
  const clean = await cleanSeal(project);
  const { signal, stdout } = await runChild(kill);
  let left: 'old' | 'new' | 'moving';
  if (stdout.includes('finished')) {
    expect(signal).toBe(null); // a timed kill that came too late
    left = 'new';
  } else {
    expect(signal).toBe('SIGKILL');
    const now = await sealOutputs(project.root);
    left = differences(now, old).length === 0 ? 'old' : differences(now, clean).length === 0 ? 'new' : 'moving';
    if (left === 'old') {
      await verifies(join(project.dist, 'site.car'), versionOf(old));
      await verifies(join(project.dist, 'site.zip'), versionOf(old));
    }
  }
  // Recovery (what the next seal does first) leaves exactly one of the two seals.
  const recovery = await recoverSeal(project.root);
  const recovered = await sealOutputs(project.root);
  expect(differences(recovered, recovery === 'forward' ? clean : left === 'new' ? clean : old)).toEqual([]);
  const report = await seal({ root: project.root, key: project.key });
  expect(differences(await sealOutputs(project.root), clean)).toEqual([]);
  await verifies(project.site, report.version);
  return { left, recovery };
}

describe('SIGKILL during an incremental seal', () => {
  for (const step of ['manifest', 'journal']) {
    it(`at "${step}" (before the commit point) leaves the previous seal whole; recovery throws the staged one away`, async () => {
      expect(await killedRound({ step })).toEqual({ left: 'old', recovery: 'back' });
    });
  }
  it('at "committed" (journal in place, nothing moved) leaves the previous seal; recovery moves the new one in', async () => {
    expect(await killedRound({ step: 'committed' })).toEqual({ left: 'old', recovery: 'forward' });
  });
  it('at "apply:3" (three files moved) is rolled forward to the new seal', async () => {
    expect(await killedRound({ step: 'apply:3' })).toEqual({ left: 'moving', recovery: 'forward' });
  });
  it('at "apply:1" with the moved file then lost: recovery says so, and the next seal drops the staged set and writes every output afresh', async () => {
    await changeSite(project.site, ++round);
    const clean = await cleanSeal(project);
    expect((await runChild({ step: 'apply:1' })).signal).toBe('SIGKILL');
    // What a build of an older newsmirror did: replace _site/, with the seal's first moved file in it.
    await rm(join(project.site, 'manifest.json'));
    const message = 'an interrupted seal cannot be finished: _site/manifest.json is neither in .newsmirror/seal-commit/ nor in place (something replaced it after the seal was cut short)';
    await expect(recoverSeal(project.root)).rejects.toMatchObject({ code: 'ERR_SEAL_RECOVERY', message: `${message}; run \`newsmirror seal\` to seal again` });
    const warnings: string[] = [];
    const report = await seal({ root: project.root, key: project.key, reporter: { info: () => {}, progress: () => {}, warn: (line) => warnings.push(line) } });
    expect(warnings).toEqual([`${message}; it is dropped, and this seal writes every output afresh`]);
    expect(differences(await sealOutputs(project.root), clean)).toEqual([]);
    await verifies(project.site, report.version);
  });
  it('at timed moments: after recovery the previous or the new seal, never a mix', async () => {
    for (const delayMs of [150]) {
      const { left, recovery } = await killedRound({ delayMs });
      expect(['old/back', 'old/none', 'new/none', 'old/forward', 'moving/forward']).toContain(`${left}/${recovery}`);
    }
  });
});
