/**
 * Child process for crash.test.ts: build + seal `root`, killing itself with
 * SIGKILL when the reporter first sees a line starting with `killAt`
 * (after `delayMs`), as a power cut or the OOM killer would.
 *   node --import tsx crash-child.ts ROOT KEYFILE KILL_AT DELAY_MS
 */
import { build } from '../../src/render/index.ts';
import { loadSigningKey, seal } from '../../src/seal/index.ts';
import type { Reporter } from '../../src/core/log.ts';

const [root, keyFile, killAt, delay] = process.argv.slice(2) as [string, string, string, string];
const watch = (line: string) => {
  if (!line.startsWith(killAt)) return;
  const kill = () => process.kill(process.pid, 'SIGKILL');
  if (Number(delay) > 0) setTimeout(kill, Number(delay));
  else kill();
};
const reporter: Reporter = { info: watch, warn: watch, progress: watch };
const key = await loadSigningKey({ keyFile, env: {} });
await build({ root, reporter });
await seal({ root, key, reporter });
process.stdout.write('finished\n');
