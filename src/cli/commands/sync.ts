/** `newsmirror sync [--root DIR]`: bring an operator folder to the newest signed build any of its sources offers. */
import { EXIT, printJson, type Command } from '../command.ts';
import { socksOption } from '../socks-option.ts';
import { runLockPath, withLock } from '../../core/lock.ts';
import { sync, syncLine } from '../../operator/sync.ts';

const command: Command = {
  description: 'update an operator folder (made by clone) from its source and every mirror in its mirrors.json\nNewest verifying build wins; older builds are refused; the live copy is switched atomically or left as it was. Safe from cron.',
  usage: 'sync [--root DIR] [--socks HOST:PORT] [--json]',
  options: {
    socks: { type: 'string', description: 'read every URL through this SOCKS5 proxy (tor, e.g. 127.0.0.1:9050), onion mirrors included; default: the one clone --socks kept' },
  },
  async run(ctx) {
    // Never two at once (cron every few minutes, a slow link): the second waits a little, then gives up.
    const report = await withLock(runLockPath(ctx.root), { waitMs: 10_000, signal: ctx.signal }, () => sync({ dir: ctx.root, socks: socksOption(ctx), signal: ctx.signal }));
    if (ctx.json) printJson(report);
    else process.stdout.write(`${syncLine(report)}\n`);
    return report.status === 'refused' ? EXIT.failed : EXIT.ok;
  },
};
export default command;
