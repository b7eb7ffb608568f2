/** `newsmirror trigger --outlet ID --url URL`: sign and send one rebuild request (for staff without a CMS hook). */
import { UsageError } from '../../core/errors.ts';
import { loadTriggerSecrets, secretEnvName } from '../../trigger/secrets.ts';
import { rebuildUrl, sendTrigger } from '../../trigger/send.ts';
import { EXIT, printJson, stringOption, type Command } from '../command.ts';

const command: Command = {
  description: 'ask a mirror running `serve --trigger` to rebuild now: signs {"outlet","timestamp"} with the outlet secret and POSTs it',
  usage: 'trigger --outlet ID --url URL [--secret-env NAME] [--secrets FILE]',
  options: {
    outlet: { type: 'string', description: 'the outlet id' },
    url: { type: 'string', description: 'the mirror server, e.g. https://mirror.example:8080 (/-/rebuild is added)' },
    'secret-env': { type: 'string', description: 'the environment variable holding the secret (default NEWSMIRROR_TRIGGER_SECRET_<OUTLET>)' },
    secrets: { type: 'string', description: 'YAML secrets file with triggers: { <outlet>: <secret> } (default $NEWSMIRROR_SECRETS)' },
  },
  async run(ctx) {
    const outlet = stringOption(ctx, 'outlet');
    const url = stringOption(ctx, 'url');
    if (!outlet || !url) throw new UsageError('both --outlet ID and --url URL are required');
    let target: URL;
    try {
      target = rebuildUrl(url);
    } catch (error) {
      throw new UsageError(`--url "${url}" is not a URL`, { cause: error });
    }
    if (!/^https?:$/.test(target.protocol) || target.username || target.password) {
      throw new UsageError(`--url must be the mirror's http(s) address without user or password, e.g. https://mirror.example:8080, not "${url}"`);
    }
    const envName = stringOption(ctx, 'secret-env');
    const secret = envName ? process.env[envName] : (await loadTriggerSecrets({ file: stringOption(ctx, 'secrets') }))(outlet);
    if (!secret) {
      throw new UsageError(`no trigger secret for "${outlet}": set ${envName ?? secretEnvName(outlet)}, or put it in a secrets file (--secrets FILE or $NEWSMIRROR_SECRETS) under triggers: { ${outlet}: ... }`);
    }
    const response = await sendTrigger({ url, outlet, secret, signal: ctx.signal });
    if (ctx.json) printJson(response);
    const ok = response.status === 202;
    const line = `${target.href} answered ${response.status}: ${response.body.trim()}`;
    if (ok) ctx.reporter.info(`${line}\nThe rebuild is queued; GET ${target.href.replace(/\/-\/rebuild$/, '/-/status')} shows its progress.`);
    else ctx.reporter.warn(line);
    return ok ? EXIT.ok : EXIT.failed;
  },
};
export default command;
