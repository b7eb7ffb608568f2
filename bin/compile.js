#!/usr/bin/env node
/**
 * `npm run compile` (and `npm ci` / `npm install`, through the `prepare` script):
 * src/**\/*.ts → .build/**\/*.js, one file each (no bundle, so the CLI's lazy
 * imports stay lazy), with every other file under src/ copied beside. bin/newsmirror.js
 * runs .build/ when it is newer than src/, else the TypeScript through tsx.
 * .build/ sits at the depth of src/, so `new URL('../../content/…', import.meta.url)` finds the same files.
 */
/* global process, URL */
import { copyFile, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const out = join(root, '.build');
const tmp = join(root, `.build.tmp-${process.pid}`);

/** `from "./x.ts"`, `import("./x.ts")`, `export … from "../y.ts"`: relative TypeScript imports, as Node must load them now. */
export function rewriteImports(code) {
  return code.replace(/((?:\bfrom|\bimport)\s*\(?\s*)(["'])(\.{1,2}\/[^"'\n]*?)\.ts\2/g, '$1$2$3.js$2');
}

async function filesUnder(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name));
}

async function main() {
  const started = Date.now();
  const entries = await readdir(src, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name));
  // The newest source before compiling: a file saved during the compile makes the build stale, never fresh.
  let newest = 0;
  for (const file of files) newest = Math.max(newest, (await stat(file)).mtimeMs);
  const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  await rm(tmp, { recursive: true, force: true });
  await build({ entryPoints: sources, outdir: tmp, outbase: src, format: 'esm', platform: 'node', target: 'node20', bundle: false, logLevel: 'warning' });
  for (const file of sources) {
    const js = join(tmp, relative(src, file)).replace(/\.ts$/, '.js');
    await writeFile(js, rewriteImports(await readFile(js, 'utf8')));
  }
  for (const file of files.filter((f) => !f.endsWith('.ts'))) {
    await mkdir(dirname(join(tmp, relative(src, file))), { recursive: true });
    await copyFile(file, join(tmp, relative(src, file)));
  }
  // The Eleventy config with the templates it loads, bundled (packages stay imports): src/render/build.ts
  // uses it instead of reading .eleventy.ts through tsx while none of its sources is newer (same list there).
  const configFiles = [join(root, '.eleventy.ts'), ...(await filesUnder(join(root, 'content', '_includes'))), ...(await filesUnder(join(root, 'content', '_pages')))];
  let configNewest = 0;
  for (const file of configFiles) configNewest = Math.max(configNewest, (await stat(file)).mtimeMs);
  await build({ entryPoints: [join(root, '.eleventy.ts')], outfile: join(tmp, 'render', 'eleventy-config.js'), bundle: true, packages: 'external', format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  await writeFile(join(tmp, '.stamp.json'), `${JSON.stringify({ files: files.length, newest, config: { files: configFiles.length, newest: configNewest } })}\n`);
  await rm(out, { recursive: true, force: true });
  try {
    await rename(tmp, out);
  } catch (error) {
    // Another compile finished first: its build is as good as ours.
    await rm(tmp, { recursive: true, force: true });
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
  }
  process.stderr.write(`compiled ${sources.length} files from src/ to .build/ in ${Date.now() - started} ms\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    process.stderr.write(`newsmirror compile: ${error.stack ?? error}\n`);
    process.exitCode = 1;
  });
}
