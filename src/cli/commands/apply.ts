/** `newsmirror apply <delta.zip> DIR`: bring a copy from version A to B with a delta bundle, verified, switched atomically. */
import { dirname, resolve } from 'node:path';
import { EXIT, printJson, stringOption, type Command } from '../command.ts';
import { UsageError } from '../../core/errors.ts';
import { runLockPath, withLock } from '../../core/lock.ts';
import { readOperatorConfig } from '../../operator/folder.ts';
import { applyDelta } from '../../operator/apply.ts';
import { trustedKey } from '../trusted-key.ts';

const command: Command = {
  description: 'apply a delta bundle (deltas/<from>-<to>.zip) to a copy: a site folder, an unzipped bundle or an operator folder\nThe result is checked against the new signed manifest before it replaces the copy; a delta for another base is refused.',
  usage: 'apply <delta.zip> DIR [--key ed25519:...]',
  positionals: true,
  options: {
    key: { type: 'string', description: 'the public key to trust (default: the operator folder\'s pinned key, else publicKey in site.yaml of --root)' },
  },
  async run(ctx) {
    const [delta, dir, ...rest] = ctx.positionals;
    if (!delta || !dir || rest.length > 0) throw new UsageError('give a delta bundle and the copy to bring up to date: apply <delta.zip> DIR');
    const key = await trustedKey({ key: stringOption(ctx, 'key'), dirs: [dir, dirname(dir)], root: ctx.root });
    // An operator folder shares sync's lock; any other copy gets a lock file beside it.
    const lock = (await readOperatorConfig(dir)) ? runLockPath(dir) : `${resolve(dir)}.newsmirror-lock`;
    const report = await withLock(lock, { waitMs: 120_000, signal: ctx.signal }, () => applyDelta({ delta, dir, key, signal: ctx.signal }));
    if (ctx.json) printJson(report);
    else process.stdout.write(`applied: ${report.dir} v${report.from} → v${report.to} (${report.changed} changed or added, ${report.removed} removed, ${report.bytes} bytes from the delta)\n`);
    return EXIT.ok;
  },
};
export default command;
