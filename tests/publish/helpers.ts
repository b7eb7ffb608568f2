/** Test helpers for publish and check: temp projects sealed with the real seal(), and real servers (sshd, s3rver, nginx). */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { formatPublicKey } from '../../src/sealed/index.ts';
import { seal, type SealReport } from '../../src/seal/index.ts';

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `newsmirror-${prefix}-`));
}

export function newKey(): KeyObject {
  return generateKeyPairSync('ed25519').privateKey;
}

export async function write(path: string, text: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** A project with site.yaml (the key's public key) and an empty mirrors/ folder. */
export async function makeProject(key: KeyObject): Promise<string> {
  const root = await tempDir('project');
  await write(join(root, 'content/_data/site.yaml'), `title: Test mirror\nlang: en\npublicKey: ${formatPublicKey(key)}\n`);
  await mkdir(join(root, 'mirrors'), { recursive: true });
  return root;
}

export function article(i: number, edition = 1): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Article ${i}</title><link rel="stylesheet" href="../style.css"></head><body><h1>Article ${i}</h1><p>${'Independent reporting. '.repeat(20 + (i % 7))}</p><p>edition ${edition}</p></body></html>\n`;
}

/**
 * Render-like output: index.html, style.css, articles/<i>.html for each of
 * `articles`, build.json; then the real seal(). `built` sets the version.
 */
export async function buildSite(root: string, key: KeyObject, options: { articles: number[]; built: string; edition?: number }): Promise<SealReport> {
  const site = join(root, '_site');
  await rm(site, { recursive: true, force: true });
  const links = options.articles.map((i) => `<li><a href="articles/${i}.html">Article ${i}</a></li>`).join('');
  await write(join(site, 'index.html'), `<!doctype html><html><head><meta charset="utf-8"><title>Home</title></head><body><ul>${links}</ul><p>${options.built}</p></body></html>\n`);
  await write(join(site, 'style.css'), 'body { font: 16px/1.5 serif; max-width: 40em; margin: auto }\n');
  for (const i of options.articles) await write(join(site, 'articles', `${i}.html`), article(i, options.edition));
  await write(join(site, 'build.json'), `${JSON.stringify({ built: options.built, articles: options.articles.length })}\n`);
  return seal({ root, key });
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Resolve once something accepts TCP connections on 127.0.0.1:port. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Service {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

/** `signal`: SIGTERM for servers with worker processes (nginx), so the workers go too. */
function service(child: ChildProcess, port: number, signal: NodeJS.Signals = 'SIGKILL'): Service {
  let output = '';
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.once('exit', (code) => {
    if (code && code !== 0 && process.env.DEBUG_SERVICES) process.stderr.write(output);
  });
  return { port, child, stop: () => stopChild(child, signal) };
}

/** Pids of every descendant of `pid` (from /proc), deepest last. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** Kill sshd and every session it serves (by pid), as when the server dies. */
export function killSshd(sshd: Service): void {
  const pid = sshd.child.pid as number;
  for (const child of descendants(pid)) {
    try {
      process.kill(child, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  sshd.child.kill('SIGKILL');
}

export interface Sshd extends Service {
  /** The user key (private), for identityFile. */
  keyFile: string;
  /** A known_hosts file holding the server's host key for [127.0.0.1]:port. */
  knownHosts: string;
}

/** A real sshd on 127.0.0.1 with a throwaway host key and user key, logging to stderr. */
export async function startSshd(dir: string, port?: number): Promise<Sshd> {
  mkdirSync('/run/sshd', { recursive: true });
  const hostKey = join(dir, 'host_ed25519');
  const keyFile = join(dir, 'user_ed25519');
  for (const file of [hostKey, keyFile]) {
    if (!existsSync(file)) spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { stdio: 'ignore' });
  }
  await writeFile(join(dir, 'authorized_keys'), await readFile(`${keyFile}.pub`));
  const chosen = port ?? (await freePort());
  const config = join(dir, 'sshd_config');
  await writeFile(config, [
    `Port ${chosen}`, 'ListenAddress 127.0.0.1', `HostKey ${hostKey}`, `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin yes', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PubkeyAuthentication yes',
    'StrictModes no', 'UsePAM no', `PidFile ${join(dir, 'sshd.pid')}`, 'LogLevel ERROR', '',
  ].join('\n'));
  const knownHosts = join(dir, 'known_hosts');
  const hostPub = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
  await writeFile(knownHosts, `[127.0.0.1]:${chosen} ${hostPub}\n`);
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForPort(chosen);
  return { ...service(child, chosen, 'SIGTERM'), keyFile, knownHosts };
}

/** s3rver in its own process (so a test can kill it mid-upload), with bucket `bucket`. Credentials: S3RVER / S3RVER. */
export async function startS3rver(dir: string, bucket: string, port?: number): Promise<Service> {
  const chosen = port ?? (await freePort());
  const bin = join(process.cwd(), 'node_modules/.bin/s3rver');
  // s3rver's ListObjectsV2 continuation token uses a cipher OpenSSL 3 only has in its legacy provider.
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --openssl-legacy-provider`.trim() };
  const child = spawn(bin, ['-d', dir, '-a', '127.0.0.1', '-p', String(chosen), '-s', '--configure-bucket', bucket], { stdio: ['ignore', 'pipe', 'pipe'], env });
  await waitForPort(chosen, 20_000);
  return service(child, chosen);
}

export const S3_ENV = { S3_KEY: 'S3RVER', S3_SECRET: 'S3RVER' };

/** nginx serving `root` on 127.0.0.1:port (own config, pid and logs in `dir`). */
export async function startNginx(dir: string, root: string, port?: number): Promise<Service> {
  const chosen = port ?? (await freePort());
  await mkdir(join(dir, 'tmp'), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${join(dir, 'tmp', t)};`).join(' ');
  await writeFile(conf, `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;\nerror_log ${join(dir, 'error.log')} warn;\nevents { worker_connections 64; }\nhttp { access_log off; ${temp}\n  types { text/html html; application/json json; text/css css; }\n  default_type application/octet-stream;\n  server { listen 127.0.0.1:${chosen}; root ${root}; }\n}\n`);
  const child = spawn('nginx', ['-c', conf, '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForPort(chosen);
  return service(child, chosen, 'SIGTERM');
}
