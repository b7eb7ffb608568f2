/**
 * `git` target (GitHub/GitLab/Codeberg Pages): the build becomes ONE orphan
 * commit (the manifest's files + `.nojekyll`), force-pushed to `branch`. The
 * branch never grows history; the host drops the old objects. Author and date
 * come from the manifest, so the same build gives the same commit id. A local
 * bare repo in .newsmirror/git/<name>.git keeps the objects already pushed, so
 * a push only sends new and changed files.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Mirror } from '../core/config.ts';
import { projectPaths } from '../core/project.ts';
import { run } from './exec.ts';
import { PublishError, secretFromEnv, type BuildFile, type Target, type TargetContext } from './types.ts';

type GitMirror = Extract<Mirror, { type: 'git' }>;

const PUSHED_REF = 'refs/newsmirror/pushed';

/** A local path (relative to the project) or a URL / scp-like address, left as is. */
export function resolveRepo(root: string, repo: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || /^[^/]+@[^/:]+:/.test(repo)) return repo;
  return resolve(root, repo);
}

/** Environment for every git call: the state repo, a private index, fixed identity and date, credentials. */
export function gitEnv(ctx: TargetContext<GitMirror>, gitDir: string): NodeJS.ProcessEnv {
  const built = ctx.build.manifest.built;
  const env: NodeJS.ProcessEnv = {
    PATH: ctx.env.PATH ?? process.env.PATH,
    HOME: ctx.env.HOME ?? process.env.HOME,
    GIT_DIR: gitDir,
    // A dry-run stages into a throwaway index so it changes nothing, not even the local cache.
    GIT_INDEX_FILE: ctx.dryRun ? join(tmpdir(), `newsmirror-index-${process.pid}-${randomBytes(4).toString('hex')}`) : join(gitDir, 'newsmirror-index'),
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'newsmirror',
    GIT_AUTHOR_EMAIL: 'newsmirror@localhost',
    GIT_COMMITTER_NAME: 'newsmirror',
    GIT_COMMITTER_EMAIL: 'newsmirror@localhost',
    GIT_AUTHOR_DATE: built,
    GIT_COMMITTER_DATE: built,
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const { mirror } = ctx;
  if (mirror.tokenEnv) {
    const token = secretFromEnv(ctx.env, mirror.tokenEnv, mirror, 'tokenEnv');
    // Passed by environment, never on the command line (where `ps` would show it).
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
  }
  if (mirror.identityFile) {
    env.GIT_SSH_COMMAND = `ssh -i '${resolve(ctx.root, mirror.identityFile).replace(/'/g, `'\\''`)}' -o IdentitiesOnly=yes -o BatchMode=yes`;
  }
  return env;
}

/** The index lines of the build: every file's blob, plus .nojekyll and CNAME. */
async function stageTree(ctx: TargetContext<GitMirror>, git: (args: string[], input?: string) => Promise<string>, indexFile: string): Promise<string> {
  const write = ctx.dryRun ? [] : ['-w'];
  const files = publishedFiles(ctx);
  const shas = (await git(['hash-object', ...write, '--no-filters', '--stdin-paths'], files.map((f) => f.abs).join('\n') + '\n')).trim().split('\n');
  const extra: [string, string][] = [['.nojekyll', '']];
  if (ctx.mirror.cname) extra.push(['CNAME', `${ctx.mirror.cname}\n`]);
  const lines = files.map((f, i) => `100644 blob ${shas[i]}\t${f.path}`);
  // The full bundle sent last time stays (same blobs) until bundleRefresh says to send it again.
  if (ctx.bundles.keep.length) {
    const kept = await git(['ls-tree', '-z', PUSHED_REF, '--', ...ctx.bundles.keep]).catch(() => '');
    lines.push(...kept.split('\0').filter(Boolean));
  }
  for (const [path, text] of extra) {
    if (files.some((f) => f.path === path)) continue;
    lines.push(`100644 blob ${(await git(['hash-object', ...write, '--stdin'], text)).trim()}\t${path}`);
  }
  await rm(indexFile, { force: true });
  await git(['update-index', '--add', '--index-info'], lines.join('\n') + '\n');
  return (await git(['write-tree', ...(ctx.dryRun ? ['--missing-ok'] : [])])).trim();
}

function gitEnvDir(ctx: TargetContext<GitMirror>): string {
  return join(projectPaths(ctx.root).state, 'git', `${ctx.mirror.name}.git`);
}

/** Paths that differ between two trees (all of `to` when `from` is unknown). */
async function changedPaths(git: (args: string[]) => Promise<string>, from: string | undefined, to: string): Promise<string[] | undefined> {
  if (!from) return undefined;
  const out = await git(['diff-tree', '-r', '--no-renames', '--name-only', '--diff-filter=AMT', '-z', from, to]).catch(() => undefined);
  return out?.split('\0').filter(Boolean);
}

/** Problems another attempt cannot fix (no such repo, refused credentials) fail at once, with a hint. */
function pushError(error: unknown, name: string, repo: string): unknown {
  const message = (error as Error).message ?? '';
  if (/does not appear to be a git repository|Could not read from remote repository|Repository not found|not found|Authentication failed|Permission denied|could not read Username|403/i.test(message)) {
    return new PublishError('ERR_GIT_REFUSED', `mirror "${name}": ${repo} refused the push or does not exist (${message.replace(/^.*?: /, '')}); check "repo" and the credentials (tokenEnv / identityFile)`, { cause: error, retryable: false });
  }
  return error;
}

/** The site's files and the bundles sent this run. */
function publishedFiles(ctx: TargetContext<GitMirror>): BuildFile[] {
  return [...ctx.build.files, ...ctx.bundles.send];
}

function sum(files: BuildFile[], paths: string[] | undefined): { files: number; bytes: number } {
  const chosen = paths ? files.filter((f) => paths.includes(f.path)) : files;
  return { files: chosen.length, bytes: chosen.reduce((s, f) => s + f.size, 0) };
}

export const gitTarget: Target<GitMirror> = {
  type: 'git',
  async publish(ctx: TargetContext<GitMirror>) {
    const gitDir = gitEnvDir(ctx);
    const env = gitEnv(ctx, gitDir);
    const label = `mirror "${ctx.mirror.name}"`;
    const git = async (args: string[], input?: string) => (await run('git', args, { env, input, signal: ctx.signal, label })).stdout;
    const repo = resolveRepo(ctx.root, ctx.mirror.repo);
    const branch = ctx.mirror.branch;
    const fresh = await stat(join(gitDir, 'HEAD')).then(() => false, () => true);
    if (fresh) {
      if (ctx.dryRun) return { ...sum(publishedFiles(ctx), undefined), url: ctx.mirror.url, detail: `would force-push ${publishedFiles(ctx).length} files as one commit to ${repo} ${branch}` };
      await mkdir(gitDir, { recursive: true });
      await git(['init', '--bare', '--quiet']);
    }
    const tree = await stageTree(ctx, git, env.GIT_INDEX_FILE as string).finally(async () => {
      if (ctx.dryRun) await rm(env.GIT_INDEX_FILE as string, { force: true });
    });
    const pushed = (await git(['rev-parse', '--verify', '--quiet', `${PUSHED_REF}^{tree}`]).catch(() => '')).trim() || undefined;
    if (ctx.dryRun) {
      const count = sum(publishedFiles(ctx), pushed === tree ? [] : await changedPaths(git, pushed, tree));
      return { ...count, url: ctx.mirror.url, detail: `would force-push one commit (tree ${tree.slice(0, 12)}, ${count.files} changed files) to ${repo} ${branch}` };
    }
    const message = `newsmirror build ${ctx.build.manifest.version} (${ctx.build.manifest.built})\n\nSigned manifest: manifest.json + manifest.sig${ctx.build.cid ? `\nIPFS: ${ctx.build.cid}` : ''}\n`;
    const commit = (await git(['commit-tree', tree], message)).trim();
    const out = await git(['push', '--force', '--porcelain', repo, `${commit}:refs/heads/${branch}`]).catch((error: unknown) => {
      throw pushError(error, ctx.mirror.name, repo);
    });
    // Porcelain: "<flag>\t<from>:<to>\t<old>...<new> (forced update)" or "=\t...\t[up to date]".
    const line = out.split('\n').find((l) => l.includes(`refs/heads/${branch}`)) ?? '';
    const old = /\t([0-9a-f]{7,64})(?:\.\.\.?)[0-9a-f]+/.exec(line)?.[1];
    const upToDate = line.startsWith('=');
    const changed = upToDate ? [] : await changedPaths(git, old, commit);
    await git(['update-ref', PUSHED_REF, commit]);
    const count = sum(publishedFiles(ctx), changed);
    return {
      ...count,
      url: ctx.mirror.url,
      detail: upToDate ? `${repo} ${branch} already at ${commit.slice(0, 12)}` : `pushed ${commit.slice(0, 12)} to ${repo} ${branch} (${count.files} changed files)`,
    };
  },
};
