/**
 * `newsmirror <command>`: parses the command line, loads the one sub-command
 * lazily, maps errors to exit codes. Known errors print their message; an
 * unknown one prints the whole error.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, printJson, printedJson, type Command } from './command.ts';
import { NewsmirrorError, UsageError } from '../core/errors.ts';
import { failure } from './exit.ts';
import { createReporter } from '../core/log.ts';
import { assertProject, isOperatorFolder, loadProject } from '../core/project.ts';
import { COMMANDS, overview } from './registry.ts';

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

/** `--root DIR` must name an existing folder: a typo must not create a project (or a lock) somewhere else. */
async function projectRoot(value: string | boolean | string[] | undefined): Promise<string> {
  if (typeof value !== 'string') return resolve('.');
  const root = resolve(value);
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new UsageError(`--root ${value}: no such folder; pass the project folder, the one holding content/ and mirrors/`);
  if (!info.isDirectory()) throw new UsageError(`--root ${value} is not a folder; pass the project folder, the one holding content/ and mirrors/`);
  return root;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    // Asked for: the overview on stdout. Nothing asked: a usage error, on stderr.
    (name ? process.stdout : process.stderr).write(overview());
    return name ? EXIT.ok : EXIT.usage;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    process.stderr.write(`newsmirror: unknown command "${name}"\n\n${overview()}`);
    return EXIT.usage;
  }
  const command = (await entry.load()).default;
  const controller = new AbortController();
  const stop = () => controller.abort(new NewsmirrorError('ERR_ABORTED', 'interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Before the options are parsed (they may be what is wrong), --json anywhere asks for JSON.
  let json = rest.includes('--json');
  const stdoutWrite = process.stdout.write;
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
    json = parsed.values.json === true;
    // No option means anything when empty: `--root "$DIR"` with DIR unset must not quietly mean the current folder.
    for (const [key, value] of Object.entries(parsed.values)) {
      if ([value].flat().some((v) => typeof v === 'string' && !v.trim())) throw new UsageError(`--${key} is empty; give it a value (is a shell variable unset?)`);
    }
    const root = await projectRoot(parsed.values.root);
    const needsProject = typeof command.needsProject === 'function' ? command.needsProject(parsed) : command.needsProject === true;
    if (needsProject && !(command.operatorFolder && (await isOperatorFolder(root)))) await assertProject(root);
    // --json: stdout carries the one JSON document (printJson); any other line written there goes to stderr.
    if (json) process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
    return await command.run({ root, project: loadProject(root), json, values: parsed.values, positionals: parsed.positionals, reporter: createReporter({ plain: json }), signal: controller.signal });
  } catch (error) {
    process.stdout.write = stdoutWrite;
    const { exit, code, message } = failure(error);
    if (json && !printedJson()) printJson({ error: { code, message }, exit });
    if (error instanceof UsageError) process.stderr.write(`newsmirror ${name}: ${message}\n\n${help(name, command)}`);
    else if (code === 'ERR_UNEXPECTED') process.stderr.write(`newsmirror ${name}: unexpected error\n${(error as Error)?.stack ?? String(error)}\n`);
    else process.stderr.write(`newsmirror ${name}: ${message}\n`);
    return exit;
  } finally {
    process.stdout.write = stdoutWrite;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

process.exitCode = await main(process.argv.slice(2));
