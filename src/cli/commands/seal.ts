/** `newsmirror seal`: sign the built site and write dist/ (manifest, CAR, CID, offline bundle). */
import { EXIT, holdingRunLock, printJson, stringOption, type Command } from '../command.ts';
import { checkSiteKey, loadSigningKey, seal } from '../../seal/index.ts';

const command: Command = {
  description:
    "sign _site/ and write dist/: manifest.json, manifest.sig, site.car, cid.txt, site.zip\nA key that is not site.yaml's publicKey is refused; --rekey makes it the site's key (readers must then be told).",
  usage: 'seal [--key FILE] [--rekey]',
  needsProject: true,
  options: {
    key: { type: 'string', description: 'private key file (PEM); NEWSMIRROR_SIGNING_KEY wins over it; default: the keygen file' },
    rekey: { type: 'boolean', description: "make this key the site's publicKey in site.yaml (only when the old key is lost or stolen), rebuild and seal" },
  },
  async run(ctx) {
    const key = await loadSigningKey({ keyFile: stringOption(ctx, 'key'), root: ctx.root });
    const report = await holdingRunLock(ctx, async () => {
      if (ctx.values.rekey === true && (await checkSiteKey({ root: ctx.root, key, rekey: true, reporter: ctx.reporter })) === 'rekeyed') {
        // The verify page of _site/ shows the site's key: rebuild it before signing, so it shows the new one.
        const { build } = await import('../../render/index.ts');
        await build({ root: ctx.root, signal: ctx.signal, reporter: ctx.reporter });
      }
      return seal({ root: ctx.root, project: ctx.project, key, signal: ctx.signal, reporter: ctx.reporter });
    });
    if (ctx.json) printJson(report);
    else ctx.reporter.info(`dist: ${report.dist}\nroot CID: ${report.cid}`);
    return EXIT.ok;
  },
};
export default command;
