/** The command registry: `--help` lists every command from summaries alone, and each summary is its command's own first line. */
import { describe, expect, it } from 'vitest';
import { COMMANDS, overview } from '../../src/cli/registry.ts';

describe('command registry', () => {
  it('each summary is the first line of the command description (the overview never drifts from the command)', async () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const command = (await entry.load()).default;
      expect([name, entry.summary]).toEqual([name, command.description.split('\n')[0]]);
    }
  });

  it('the overview lists every command in table order without loading any', () => {
    const rows = overview().split('Commands:\n')[1]!.trimEnd().split('\n');
    expect(rows.map((r) => r.trim().split(/\s+/)[0])).toEqual(['ingest', 'build', 'seal', 'publish', 'check', 'verify', 'serve', 'keygen', 'takedown', 'new', 'trigger', 'run', 'demo', 'outlets', 'clone', 'sync', 'apply']);
    expect(rows[0]).toBe("  ingest     Fetch the outlets' feeds and mirror new and changed articles into content/");
  });
});
