/**
 * Child process for crash-seal.test.ts: seal ROOT with the key in KEYFILE.
 * NEWSMIRROR_TEST_KILL_AT=<step> makes the seal kill itself (SIGKILL) at that
 * step; "ready" on stdout says the seal is about to start (for timed kills).
 *   node --import tsx seal-child.ts ROOT KEYFILE
 */
import { loadSigningKey, seal } from '../../src/seal/index.ts';

const [root, keyFile] = process.argv.slice(2) as [string, string];
const key = await loadSigningKey({ keyFile, env: {} });
process.stdout.write('ready\n');
await seal({ root, key });
process.stdout.write('finished\n');
