#!/usr/bin/env node
/**
 * `npx newsmirror`: runs the compiled CLI in .build/ (made by `npm ci` or
 * `npm run compile`) when it is up to date with every file under src/, so it
 * starts in a fraction of a second; otherwise (no build yet, or a source edited
 * since) the TypeScript itself through tsx, which is slower to start but always current.
 */
/* global process, URL */
import { fileURLToPath } from 'node:url';
import { buildIsFresh } from './fresh.js';

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.env.NEWSMIRROR_FROM_SOURCE !== '1' && buildIsFresh(root)) {
  await import('../.build/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
