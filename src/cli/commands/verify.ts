/** `newsmirror verify <dir|car|zip|url>`: check a copy against the signed manifest; exit 1 on any problem. */
import { EXIT, printJson, stringOption, type Command } from '../command.ts';
import { socksOption } from '../socks-option.ts';
import { UsageError } from '../../core/errors.ts';
import { parsePublicKey } from '../../sealed/index.ts';
import { verify } from '../../verify/index.ts';

const command: Command = {
  description: 'check a copy of the site (folder, .car, .zip or URL) against its signed manifest',
  usage: 'verify <dir|car|zip|url> [--key ed25519:...] [--socks HOST:PORT]',
  needsProject: ({ values }) => typeof values.key !== 'string',
  positionals: true,
  options: {
    key: { type: 'string', description: 'the public key to trust (default: publicKey in content/_data/site.yaml of --root)' },
    socks: { type: 'string', description: 'SOCKS5 proxy for a URL, e.g. 127.0.0.1:9050 (tor; needed for .onion)' },
  },
  async run(ctx) {
    const [source, ...rest] = ctx.positionals;
    if (!source || rest.length > 0) throw new UsageError('give exactly one copy to check: a folder, a .car, a .zip or an http(s) URL');
    let keyText = stringOption(ctx, 'key');
    if (!keyText) {
      keyText = (await ctx.project.site()).publicKey;
      if (!keyText) throw new UsageError('no public key: pass --key ed25519:... or set publicKey in content/_data/site.yaml');
    }
    let publicKey;
    try {
      publicKey = parsePublicKey(keyText);
    } catch (error) {
      // A mistyped --key is bad usage (exit 2), not a copy that failed to verify (exit 1).
      throw new UsageError(`--key: ${(error as Error).message}`, { cause: error });
    }
    const report = await verify({ source, publicKey, signal: ctx.signal, socks: socksOption(ctx) });
    if (ctx.json) printJson(report);
    else {
      for (const p of report.problems) process.stdout.write(`${p.kind.padEnd(10)} ${p.path}: ${p.detail}\n`);
      const what = `${source}${report.version !== undefined ? ` (v${report.version})` : ''}${report.cid ? ` ${report.cid}` : ''}`;
      ctx.reporter.info(report.ok ? `ok: ${what} is exactly what the key holder sealed` : `FAILED: ${report.problems.length} problem(s) in ${what}`);
    }
    return report.ok ? EXIT.ok : EXIT.failed;
  },
};
export default command;
