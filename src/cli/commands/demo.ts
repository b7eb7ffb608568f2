/** `newsmirror demo` (`npm run demo`): the whole job against shipped feeds on a local server, then serve the result. */
import { join } from 'node:path';
import { formatPublicKey } from '../../sealed/index.ts';
import { projectPaths } from '../../core/project.ts';
import { prepareDemoProject, startFeedServer } from '../../demo/index.ts';
import { EXIT, numberOption, printJson, stringOption, type Command } from '../command.ts';
import { formatSummary, loadStages, runPipeline, withStdoutOnStderr } from '../pipeline.ts';
import { serveUntilStopped } from '../serving.ts';

const command: Command = {
  description: 'see a full mirror offline: fictional outlets served from 127.0.0.1 are ingested, built, sealed, published to a folder and served',
  usage: 'demo [--port N] [--dir DIR] [--no-serve]',
  options: {
    port: { type: 'string', description: 'port to serve the demo site on (default 8080)' },
    dir: { type: 'string', description: 'the demo project folder (default .newsmirror/demo under --root)' },
    'no-serve': { type: 'boolean', description: 'build the demo and exit instead of serving it' },
  },
  async run(ctx) {
    const port = numberOption(ctx, 'port', 8080, 65535);
    const demoRoot = stringOption(ctx, 'dir') ?? join(projectPaths(ctx.root).state, 'demo');
    const stages = await loadStages();
    // The demo signs with its own key, kept inside the demo folder: never the real one.
    const keyFile = join(projectPaths(demoRoot).state, 'demo-signing-key.pem');
    const key = await stages.loadSigningKey({ keyFile, env: {} }).catch(async () => {
      await stages.generateKey(keyFile);
      return stages.loadSigningKey({ keyFile, env: {} });
    });
    const feeds = await startFeedServer();
    let summary;
    try {
      ctx.reporter.info(`demo: feeds of 4 fictional outlets on ${feeds.url}, project in ${demoRoot}`);
      await prepareDemoProject({ demoRoot, feedBase: feeds.url, publicKey: formatPublicKey(key) });
      const job = () => runPipeline({ root: demoRoot, keyFile, env: {}, stages, signal: ctx.signal, reporter: ctx.reporter, waitMs: 60_000 });
      summary = ctx.json ? await withStdoutOnStderr(job) : await job();
    } finally {
      await feeds.close();
    }
    if (ctx.json) printJson(summary);
    else process.stderr.write(formatSummary(summary));
    if (summary.exit === EXIT.failed || ctx.values['no-serve'] === true) return summary.exit;
    await serveUntilStopped({ source: summary.localDirs[0] ?? projectPaths(demoRoot).site, host: '127.0.0.1', port, signal: ctx.signal, reporter: ctx.reporter, what: 'the demo mirror' });
    return summary.exit;
  },
};
export default command;
