/** `newsmirror run`: the main job (ingest → build → seal → publish), one summary, optionally serving the result. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { EXIT, numberOption, printJson, stringOption, type Command } from '../command.ts';
import { createPipelineTrigger, formatSummary, runPipeline, withStdoutOnStderr, type RunSummary } from '../pipeline.ts';

async function isDir(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

const command: Command = {
  description: 'the main job: ingest every outlet, build, seal and publish to every enabled target\nThe summary names each outlet and target, the root CID and where to read the site.',
  usage: 'run [--outlet ID ...] [--target NAME ...] [--no-publish] [--serve [--port N] [--host H] [--trigger]] [--wait SECONDS] [--key FILE] [--rekey]',
  needsProject: true,
  options: {
    outlet: { type: 'string', multiple: true, description: 'only this outlet (repeatable); default: every enabled outlet' },
    target: { type: 'string', multiple: true, description: 'only this publish target from mirrors/ (repeatable)' },
    'no-publish': { type: 'boolean', description: 'stop after sealing: nothing is sent to any target' },
    serve: { type: 'boolean', description: 'then serve the site (the local dir target, else _site/) until Ctrl-C' },
    port: { type: 'string', description: 'port for --serve (default 8080)' },
    host: { type: 'string', description: 'address for --serve (default 127.0.0.1)' },
    wait: { type: 'string', description: 'if another run holds the lock, wait up to SECONDS for it (default 0: exit 1 at once)' },
    key: { type: 'string', description: 'signing key file (default: $NEWSMIRROR_SIGNING_KEY, else the keygen default, made on first run)' },
    rekey: { type: 'boolean', description: "make the signing key the site's publicKey in site.yaml when it names another (only when the old key is lost or stolen)" },
    trigger: { type: 'boolean', description: 'with --serve: also accept signed rebuild requests (POST /-/rebuild), as `serve --trigger` does' },
    secrets: { type: 'string', description: 'with --trigger: YAML file with triggers: { <outlet>: <secret> } (default $NEWSMIRROR_SECRETS)' },
  },
  async run(ctx) {
    const port = numberOption(ctx, 'port', 8080, 65535);
    if (ctx.values.trigger === true && ctx.values.serve !== true) throw new UsageError('--trigger needs --serve (or use `newsmirror serve --trigger`)');
    const waitMs = numberOption(ctx, 'wait', 0, 86_400) * 1000;
    const list = (name: string) => (Array.isArray(ctx.values[name]) ? (ctx.values[name] as string[]) : undefined);
    const job = () => runPipeline({
      root: ctx.root,
      project: ctx.project,
      outlets: list('outlet'),
      targets: list('target'),
      publish: ctx.values['no-publish'] !== true,
      keyFile: stringOption(ctx, 'key'),
      rekey: ctx.values.rekey === true,
      waitMs,
      signal: ctx.signal,
      reporter: ctx.reporter,
    });
    const summary: RunSummary = ctx.json ? await withStdoutOnStderr(job) : await job();
    if (ctx.json) printJson(summary);
    else process.stderr.write(formatSummary(summary));
    if (ctx.values.serve !== true) return summary.exit;
    const folder = summary.localDirs[0] ?? ctx.project.paths.site;
    if (!(await isDir(folder)) || !(await stat(join(folder, 'index.html')).catch(() => undefined))) {
      ctx.reporter.warn(`nothing to serve: ${folder} has no index.html`);
      return EXIT.failed;
    }
    const trigger =
      ctx.values.trigger === true
        ? await createPipelineTrigger({ root: ctx.root, secretsFile: stringOption(ctx, 'secrets'), keyFile: stringOption(ctx, 'key'), signal: ctx.signal, reporter: ctx.reporter })
        : undefined;
    // Loaded only to serve: a plain run never loads the HTTP server.
    const { serveUntilStopped } = await import('../serving.ts');
    await serveUntilStopped({ source: folder, host: stringOption(ctx, 'host') ?? '127.0.0.1', port, handlers: trigger ? [trigger.handler] : [], signal: ctx.signal, reporter: ctx.reporter });
    return summary.exit;
  },
};
export default command;
