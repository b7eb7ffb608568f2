/**
 * `rsync` target: rsync over SSH into a fresh `<path>/releases/<version>`,
 * hard-linking unchanged files against the live release (--link-dest, by
 * checksum; times are not kept, so a rebuilt but identical file still links)
 * so only changed files move, then switch `<path>/current`
 * atomically (symlink to a temp name + mv -T) and keep the last `keep` releases.
 * A release cut short (the host died) is completed by the next run, never made
 * live half-sent. The web server's root is `<path>/current`.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Mirror } from '../core/config.ts';
import { run, shellQuote } from './exec.ts';
import { PublishError, secretFromEnv, type Target, type TargetContext } from './types.ts';

type RsyncMirror = Extract<Mirror, { type: 'rsync' }>;

/** ssh options: batch mode (never prompt), the key, host key checking. */
export function sshOptions(ctx: TargetContext<RsyncMirror>, keyFile: string | undefined): string[] {
  const { mirror } = ctx;
  const args = ['-p', String(mirror.port), '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=20', '-o', 'ServerAliveInterval=15', '-o', 'ServerAliveCountMax=2'];
  if (keyFile) args.push('-i', keyFile, '-o', 'IdentitiesOnly=yes');
  if (mirror.knownHostsFile) args.push('-o', `UserKnownHostsFile=${resolve(ctx.root, mirror.knownHostsFile)}`, '-o', 'StrictHostKeyChecking=yes');
  else args.push('-o', 'StrictHostKeyChecking=accept-new');
  return args;
}

/** Release folder names we create: "<version>" or "<version>-<n>"; sorted oldest first. */
export function sortReleases(names: string[]): string[] {
  const key = (name: string) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(name);
    return m ? [Number(m[1]), Number(m[2] ?? 1)] : undefined;
  };
  return names.filter((n) => key(n)).sort((a, b) => {
    const [ka, kb] = [key(a) as number[], key(b) as number[]];
    return (ka[0] as number) - (kb[0] as number) || (ka[1] as number) - (kb[1] as number);
  });
}

/** The release to write: "<version>", or "<version>-<n>" when that version is live (never write into the live one). */
export function releaseName(version: number, current: string | undefined, existing: string[]): string {
  const base = String(version);
  // A leftover "<version>" from a cut-short run is completed; a live one is never touched.
  if (current !== base && !current?.startsWith(`${base}-`)) return base;
  for (let n = 2; ; n++) if (!existing.includes(`${base}-${n}`) && current !== `${base}-${n}`) return `${base}-${n}`;
}

/** "Number of regular files transferred: 1,234" → 1234 */
export function rsyncStat(stats: string, label: string): number {
  const m = new RegExp(`${label}: ([\\d,.]+)`).exec(stats);
  return m ? Number((m[1] as string).replace(/[,.]/g, '')) : 0;
}

function hostError(error: unknown, ctx: TargetContext<RsyncMirror>): unknown {
  const message = (error as Error).message ?? '';
  if (/Permission denied|Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(message)) {
    return new PublishError('ERR_SSH_AUTH', `mirror "${ctx.mirror.name}": ${ctx.mirror.user}@${ctx.mirror.host}:${ctx.mirror.port} refused us (${message.replace(/^.*?: /, '')}); check the key (identityFile/keyEnv) and knownHostsFile`, { cause: error, retryable: false });
  }
  return error;
}

export const rsyncTarget: Target<RsyncMirror> = {
  type: 'rsync',
  async publish(ctx: TargetContext<RsyncMirror>) {
    const { mirror } = ctx;
    const label = `mirror "${mirror.name}"`;
    const tmp = await mkdtemp(join(tmpdir(), 'newsmirror-ssh-'));
    const login = `${mirror.user}@${mirror.host}`;
    // One SSH connection for the listing, the rsync and the switch.
    const control = ['-o', 'ControlMaster=auto', '-o', `ControlPath=${join(tmp, 'cm')}`, '-o', 'ControlPersist=60'];
    try {
      let keyFile = mirror.identityFile ? resolve(ctx.root, mirror.identityFile) : undefined;
      if (mirror.keyEnv) {
        keyFile = join(tmp, 'key');
        const key = secretFromEnv(ctx.env, mirror.keyEnv, mirror, 'keyEnv');
        await writeFile(keyFile, key.endsWith('\n') ? key : `${key}\n`, { mode: 0o600 });
        await chmod(keyFile, 0o600);
      }
      const ssh = [...sshOptions(ctx, keyFile), ...control];
      const remote = async (script: string) => (await run('ssh', [...ssh, login, script], { signal: ctx.signal, label, env: ctx.env })).stdout;
      const base = shellQuote(mirror.path);
      // Temp files go to <path>/.rsync-tmp, emptied first: a receiver killed mid-file leaves nothing in a release.
      const prepare = ctx.dryRun ? `cd ${base} 2>/dev/null || exit 0` : `mkdir -p ${base}/releases && cd ${base} && rm -rf .rsync-tmp && mkdir .rsync-tmp`;
      const listing = await remote(`${prepare} && printf 'dir=%s\\ncurrent=%s\\n' "$(pwd -P)" "$(readlink current 2>/dev/null)" && ls -1 releases 2>/dev/null; true`);
      const lines = listing.split('\n').filter(Boolean);
      const field = (key: string) => lines.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);
      const current = field('current')?.replace(/^releases\//, '').replace(/\/$/, '') || undefined;
      const absolute = field('dir');
      const releases = lines.filter((l) => !/^(dir|current)=/.test(l));
      const name = releaseName(ctx.build.manifest.version, current, releases);
      const args = [
        '-rlp', '--checksum', '--from0', '--files-from=-', '--stats', '--chmod=Du=rwx,Dgo=rx,Fu=rw,Fgo=r',
        `--timeout=${Math.ceil(mirror.timeout)}`,
        '-e', ['ssh', ...ssh].map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' '),
      ];
      if (current && releases.includes(current)) args.push(`--link-dest=../${current}`);
      if (mirror.bwlimit) args.push(`--bwlimit=${mirror.bwlimit}`);
      if (ctx.dryRun) args.push('--dry-run');
      else if (absolute) args.push(`--temp-dir=${absolute}/.rsync-tmp`);
      const dest = `${login}:${mirror.path}/releases/${name}/`;
      const list = ctx.build.files.map((f) => f.path).join('\0');
      const { stdout } = await run('rsync', [...args, `${ctx.build.siteDir}/`, dest], { input: list, signal: ctx.signal, label, env: ctx.env });
      let files = rsyncStat(stdout, 'Number of regular files transferred');
      let bytes = rsyncStat(stdout, 'Total transferred file size');
      let sent = rsyncStat(stdout, 'Total bytes sent');
      if (ctx.bundles.send.length) {
        // Bundles and deltas from dist/, into the same release (unchanged ones hard-linked too).
        const extra = (await run('rsync', [...args, `${ctx.build.distDir}/`, dest], { input: ctx.bundles.send.map((f) => f.path).join('\0'), signal: ctx.signal, label, env: ctx.env })).stdout;
        files += rsyncStat(extra, 'Number of regular files transferred');
        bytes += rsyncStat(extra, 'Total transferred file size');
        sent += rsyncStat(extra, 'Total bytes sent');
      }
      const where = `${login}:${mirror.path}`;
      if (ctx.dryRun) return { files, bytes, url: mirror.url, detail: `would send ${files} changed files (${bytes} bytes) to ${where}/releases/${name} and switch current to it` };
      const keep = new Set(sortReleases([...releases.filter((r) => r !== name), name]).slice(-mirror.keep));
      keep.add(name);
      const drop = sortReleases(releases).filter((r) => !keep.has(r) && r !== name);
      const tmpLink = `.current-${process.pid}-${Date.now()}`;
      await remote([
        `cd ${base}`,
        // The full bundle the live release has stays (hard-linked) until bundleRefresh sends it again.
        ...ctx.bundles.keep.map((f) => `{ [ ! -f ${shellQuote(`current/${f}`)} ] || [ -e ${shellQuote(`releases/${name}/${f}`)} ] || ln ${shellQuote(`current/${f}`)} ${shellQuote(`releases/${name}/${f}`)}; }`),
        `ln -sfn ${shellQuote(`releases/${name}`)} ${tmpLink}`,
        `mv -T ${tmpLink} current`,
        ...drop.map((r) => `rm -rf -- ${shellQuote(`releases/${r}`)}`),
      ].join(' && '));
      return { files, bytes, url: mirror.url, detail: `sent ${files} changed files (${bytes} bytes, ${sent} on the wire) to ${where}/releases/${name}; current → ${name}${drop.length ? `; removed releases ${drop.join(', ')}` : ''}` };
    } catch (error) {
      throw hostError(error, ctx);
    } finally {
      await run('ssh', [...control, '-O', 'exit', login], { label, env: ctx.env }).catch(() => {});
      await rm(tmp, { recursive: true, force: true });
    }
  },
};
