/** `newsmirror serve [dir|car|zip]`: serve a site folder, CAR or bundle over HTTP (with /ipfs/ trustless responses). */
import { networkInterfaces } from 'node:os';
import { EXIT, numberOption, printJson, stringOption, type Command } from '../command.ts';
import { UsageError } from '../../core/errors.ts';
import { createPipelineTrigger } from '../pipeline.ts';
import { startSite } from '../serving.ts';

const command: Command = {
  description: 'serve a site folder, .car or .zip over HTTP (default: _site of --root); Ctrl-C stops',
  usage: 'serve [dir|car|zip] [--host 127.0.0.1] [--port 8080] [--trigger [--secrets FILE]]',
  operatorFolder: true,
  needsProject: ({ values, positionals }) => positionals.length === 0 || values.trigger === true,
  positionals: true,
  options: {
    host: { type: 'string', description: 'address to listen on (0.0.0.0 to share on a LAN; default 127.0.0.1)' },
    port: { type: 'string', description: 'port (default 8080; 0 picks a free one)' },
    trigger: { type: 'boolean', description: 'also accept signed rebuild requests (POST /-/rebuild) and run the job for --root; GET /-/status shows runs' },
    secrets: { type: 'string', description: 'with --trigger: YAML file with triggers: { <outlet>: <secret> } (default $NEWSMIRROR_SECRETS, else env NEWSMIRROR_TRIGGER_SECRET_<OUTLET>)' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 1) throw new UsageError('give at most one folder, .car or .zip to serve');
    const source = ctx.positionals[0] ?? ctx.project.paths.site;
    const port = numberOption(ctx, 'port', 8080, 65535);
    const trigger = ctx.values.trigger === true ? await createPipelineTrigger({ root: ctx.root, secretsFile: stringOption(ctx, 'secrets'), signal: ctx.signal, reporter: ctx.reporter }) : undefined;
    const server = await startSite({ source, host: stringOption(ctx, 'host') ?? '127.0.0.1', port, handlers: trigger ? [trigger.handler] : [] });
    // --json: one document once listening (with --port 0 it is how a script learns the port).
    if (ctx.json) printJson({ url: server.url, source, trigger: Boolean(trigger) });
    ctx.reporter.info(`serving ${source} at ${server.url} (Ctrl-C stops)`);
    if (server.url.includes('0.0.0.0') || server.url.includes('[::]')) {
      // Listening on every interface: say which addresses others on the network can open.
      const lan = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal && a.family === 'IPv4');
      for (const a of lan) ctx.reporter.info(`  on this network: http://${a!.address}:${new URL(server.url).port}/`);
    }
    if (trigger) ctx.reporter.info(`rebuild trigger: POST ${server.url}-/rebuild (signed), status at ${server.url}-/status`);
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    await server.close();
    return EXIT.ok;
  },
};
export default command;
