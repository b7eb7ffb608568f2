/** `newsmirror seal`: sign the built site and write dist/ (manifest, CAR, CID, offline bundle). */
import { EXIT, holdingRunLock, printJson, stringOption, type Command } from '../command.ts';
import { loadSigningKey, seal } from '../../seal/index.ts';

const command: Command = {
  description: 'sign _site/ and write dist/: manifest.json, manifest.sig, site.car, cid.txt, site.zip',
  usage: 'seal [--key FILE]',
  options: {
    key: { type: 'string', description: 'private key file (PEM); NEWSMIRROR_SIGNING_KEY wins over it; default: the keygen file' },
  },
  async run(ctx) {
    const key = await loadSigningKey({ keyFile: stringOption(ctx, 'key'), root: ctx.root });
    const report = await holdingRunLock(ctx, () => seal({ root: ctx.root, key, signal: ctx.signal, reporter: ctx.reporter }));
    if (ctx.json) printJson(report);
    else ctx.reporter.info(`dist: ${report.dist}\nroot CID: ${report.cid}`);
    return EXIT.ok;
  },
};
export default command;
