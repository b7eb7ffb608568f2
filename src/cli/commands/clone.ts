/** `newsmirror clone <source> [DIR] --key ed25519:…`: make an operator folder holding a verified copy of the site. */
import { basename } from 'node:path';
import { EXIT, printJson, stringOption, type Command } from '../command.ts';
import { UsageError } from '../../core/errors.ts';
import { clone } from '../../operator/clone.ts';
import { ipfsPath } from '../../operator/source.ts';
import { socksOption } from '../socks-option.ts';
import { KEY_HELP, parseKeyOption } from '../trusted-key.ts';

/** The folder name clone picks when none is given: the mirror's host, the CID, or the file's name. */
export function defaultDir(source: string): string {
  const ipfs = ipfsPath(source);
  if (ipfs) return `ipfs-${ipfs.split('/')[0]!.slice(0, 16)}`;
  if (/^https?:\/\//i.test(source)) return `${new URL(source).hostname}${new URL(source).pathname.replace(/\/+$/, '').replace(/\//g, '-')}`;
  return `${basename(source.replace(/\/+$/, '')).replace(/\.(car|zip)$/i, '')}-copy`;
}

const command: Command = {
  description: 'take a verified copy of the site from a mirror URL, ipfs://<cid>, a .car, a .zip or a folder into a new operator folder\nThe signature and every file are checked before anything is written; refused without --key.',
  usage: 'clone <source> [DIR] --key ed25519:... [--gateway URL ...] [--socks HOST:PORT]',
  positionals: true,
  options: {
    key: { type: 'string', description: 'the outlet\'s public key (ed25519:…), pinned in the operator folder' },
    gateway: { type: 'string', multiple: true, description: 'an IPFS gateway for ipfs:// and /ipfs/ sources (repeatable; none by default)' },
    socks: { type: 'string', description: 'read URLs through this SOCKS5 proxy (tor, e.g. 127.0.0.1:9050; needed for .onion); kept for sync' },
  },
  async run(ctx) {
    const [source, dir, ...rest] = ctx.positionals;
    if (!source || rest.length > 0) throw new UsageError('give the source and, optionally, the folder: clone <source> [DIR] --key ed25519:...');
    const keyText = stringOption(ctx, 'key');
    if (!keyText) throw new UsageError(`--key is required: the copy is checked against the outlet's key, and that key is pinned for every later sync. ${KEY_HELP}`);
    const gateways = ctx.values.gateway;
    const report = await clone({ source, dir: dir ?? defaultDir(source), key: parseKeyOption(keyText), gateways: Array.isArray(gateways) ? gateways : [], socks: socksOption(ctx), signal: ctx.signal });
    if (ctx.json) printJson(report);
    else process.stdout.write(`cloned v${report.version} (${report.files} files, ${report.bytes} bytes${report.bundles ? `, ${report.bundles} bytes of bundles` : ''}) from ${report.source} into ${report.dir}\nnext: read ${report.dir}/README.md; keep it current with \`newsmirror sync --root ${report.dir}\` from cron\n`);
    return EXIT.ok;
  },
};
export default command;
