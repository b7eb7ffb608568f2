/**
 * `node --import ./record-modules.mjs …`: appends every module URL the process
 * loads (one per line) to the file named by NM_RECORD_MODULES. Tests use it to
 * check which packages a command pulls in.
 */
/* global process */
import { register } from 'node:module';

register('./record-modules-hooks.mjs', import.meta.url, { data: { file: process.env.NM_RECORD_MODULES } });
