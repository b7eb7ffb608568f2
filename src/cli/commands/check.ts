/** `newsmirror check`: is each mirror fresh, stale, down or tampered? Saves .newsmirror/health.json for the next build. */
import { printJson, type Command } from '../command.ts';
import { socksOption } from '../socks-option.ts';
import { EXIT, worstExit } from '../exit.ts';
import type { MirrorHealth } from '../../core/health.ts';
import { check, formatHealth } from '../../mirrors/index.ts';

/** 1 when any mirror is tampered, 3 when any is down, else 0 (stale is reported, not an error). */
export function checkExitCode(health: MirrorHealth[]): number {
  return worstExit(...health.map((h) => (h.status === 'tampered' ? EXIT.failed : h.status === 'down' ? EXIT.partial : EXIT.ok)));
}

const command: Command = {
  description: 'check every enabled mirror: signature, version and a sample of files (fresh / stale / down / tampered)\nExit 1 when any mirror is tampered, 3 when any is down.',
  usage: 'check [--socks HOST:PORT]',
  needsProject: true,
  options: {
    socks: { type: 'string', description: 'SOCKS5 proxy for .onion mirrors, e.g. 127.0.0.1:9050 (tor); without it onions are "unknown"' },
  },
  async run(ctx) {
    const health = await check({ root: ctx.root, socksProxy: socksOption(ctx), signal: ctx.signal, reporter: ctx.reporter });
    if (ctx.json) printJson(health);
    else if (health.length === 0) ctx.reporter.warn('no enabled mirrors in mirrors/*.yaml');
    else process.stdout.write(`${formatHealth(health)}\n`);
    return checkExitCode(health);
  },
};
export default command;
