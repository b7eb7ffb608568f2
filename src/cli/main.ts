/**
 * `newsmirror <command>`: parses the command line, loads the one sub-command
 * lazily, maps errors to exit codes. Known errors print their message; an
 * unknown one prints the whole error.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, type Command } from './command.ts';
import { ConfigError, NewsmirrorError, UsageError, describeError } from '../core/errors.ts';
import { createReporter } from '../core/log.ts';

const commands: Record<string, () => Promise<{ default: Command }>> = {
  ingest: () => import('./commands/ingest.ts'),
  build: () => import('./commands/build.ts'),
  seal: () => import('./commands/seal.ts'),
  publish: () => import('./commands/publish.ts'),
  check: () => import('./commands/check.ts'),
  verify: () => import('./commands/verify.ts'),
  serve: () => import('./commands/serve.ts'),
  keygen: () => import('./commands/keygen.ts'),
  takedown: () => import('./commands/takedown.ts'),
  new: () => import('./commands/new.ts'),
  trigger: () => import('./commands/trigger.ts'),
  run: () => import('./commands/run.ts'),
  demo: () => import('./commands/demo.ts'),
};

const common = {
  root: { type: 'string', description: 'project folder holding content/ and mirrors/ (default: current folder)' },
  json: { type: 'boolean', description: 'print a machine-readable result on stdout' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} as const;

function help(name: string, command: Command): string {
  const options = { ...command.options, ...common };
  const rows = Object.entries(options).map(([key, def]) => {
    const flag = `${'short' in def && def.short ? `-${def.short}, ` : ''}--${key}${def.type === 'string' ? ' VALUE' : ''}`;
    return `  ${flag.padEnd(28)} ${def.description}`;
  });
  return `${command.description}\n\nUsage: newsmirror ${command.usage}\n\nOptions:\n${rows.join('\n')}\n`;
}

async function overview(): Promise<string> {
  const rows: string[] = [];
  for (const [name, load] of Object.entries(commands)) {
    rows.push(`  ${name.padEnd(10)} ${(await load()).default.description.split('\n')[0]}`);
  }
  return `newsmirror: a censorship-resilient news mirror\n\nUsage: newsmirror <command> [options]  (newsmirror <command> --help)\n\nCommands:\n${rows.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(await overview());
    return name ? EXIT.ok : EXIT.usage;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`newsmirror: unknown command "${name}"\n\n${await overview()}`);
    return EXIT.usage;
  }
  const command = (await load()).default;
  const controller = new AbortController();
  const stop = () => controller.abort(new NewsmirrorError('ERR_ABORTED', 'interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...command.options, ...common },
        allowPositionals: command.positionals ?? false,
        strict: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message, { cause: error });
    }
    if (parsed.values.help) {
      process.stdout.write(help(name, command));
      return EXIT.ok;
    }
    const json = parsed.values.json === true;
    return await command.run({
      root: resolve(typeof parsed.values.root === 'string' ? parsed.values.root : '.'),
      json,
      values: parsed.values,
      positionals: parsed.positionals,
      reporter: createReporter(),
      signal: controller.signal,
    });
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`newsmirror ${name}: ${error.message}\n\n${help(name, command)}`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`newsmirror ${name}: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof NewsmirrorError) {
      process.stderr.write(`newsmirror ${name}: ${describeError(error)}\n`);
      return EXIT.failed;
    }
    process.stderr.write(`newsmirror ${name}: unexpected error\n${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.failed;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

process.exitCode = await main(process.argv.slice(2));
