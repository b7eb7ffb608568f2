/** `newsmirror keygen`: a new Ed25519 signing key outside the repo; prints the public key for site.yaml. */
import { relative, resolve } from 'node:path';
import { EXIT, printJson, stringOption, type Command } from '../command.ts';
import { UsageError } from '../../core/errors.ts';
import { defaultKeyPath, generateKey } from '../../seal/index.ts';

const command: Command = {
  description: 'make an Ed25519 signing key (PKCS#8 PEM, mode 0600) and print its public key',
  usage: 'keygen [--out FILE] [--force]',
  options: {
    out: { type: 'string', description: 'where to write the private key (default: $XDG_CONFIG_HOME/newsmirror/signing-key.pem)' },
    force: { type: 'boolean', description: 'replace an existing key file (readers will need the new public key)' },
  },
  async run(ctx) {
    const out = resolve(stringOption(ctx, 'out') ?? defaultKeyPath());
    // content/, _site/ and dist/ are published, mirrors/ is committed: a private key must never land there.
    const paths = ctx.project.paths;
    const exposed = [paths.content, paths.site, paths.dist, paths.mirrors].find((dir) => out === dir || out.startsWith(`${dir}/`));
    if (exposed) {
      throw new UsageError(`${out} is inside ${relative(paths.root, exposed)}/, which is published or committed; keep the private key outside the repo (e.g. the default ${defaultKeyPath()})`);
    }
    const { path, publicKey } = await generateKey(out, { force: ctx.values.force === true });
    if (ctx.json) printJson({ path, publicKey });
    else {
      process.stdout.write(`${publicKey}\n`);
      ctx.reporter.info(`private key written to ${path} (keep it secret; back it up offline)`);
      ctx.reporter.info(`put the public key into content/_data/site.yaml:\n  publicKey: ${publicKey}`);
    }
    return EXIT.ok;
  },
};
export default command;
