/**
 * Every sub-command: its one-line summary (for the `--help` overview) beside a
 * lazy import, so `newsmirror --help` loads no command module and no stage.
 * A new command is one line here; tests/run/registry.test.ts checks each
 * summary is the first line of its command's own description.
 */
import type { Command } from './command.ts';

export interface CommandEntry {
  summary: string;
  load(): Promise<{ default: Command }>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  ingest: { summary: "Fetch the outlets' feeds and mirror new and changed articles into content/", load: () => import('./commands/ingest.ts') },
  build: { summary: 'render content/ into _site/: article, outlet, home and archive pages, feeds, mirror lists, build.json', load: () => import('./commands/build.ts') },
  seal: { summary: 'sign _site/ and write dist/: manifest.json, manifest.sig, site.car, cid.txt, site.zip', load: () => import('./commands/seal.ts') },
  publish: { summary: 'publish the sealed build (dist/ + _site/) to every enabled target in mirrors/*.yaml', load: () => import('./commands/publish.ts') },
  check: { summary: 'check every enabled mirror: signature, version and a sample of files (fresh / stale / down / tampered)', load: () => import('./commands/check.ts') },
  verify: { summary: 'check a copy of the site (folder, .car, .zip or URL) against its signed manifest', load: () => import('./commands/verify.ts') },
  serve: { summary: 'serve a site folder, .car or .zip over HTTP (default: _site of --root); Ctrl-C stops', load: () => import('./commands/serve.ts') },
  keygen: { summary: 'make an Ed25519 signing key (PKCS#8 PEM, mode 0600) and print its public key', load: () => import('./commands/keygen.ts') },
  takedown: { summary: 'remove an article from the mirror for good: deletes its file and records a tombstone in content/_data/takedowns.yaml', load: () => import('./commands/takedown.ts') },
  new: { summary: 'write a new staff article (Markdown with front matter) under content/<outlet>/ and print its path', load: () => import('./commands/new.ts') },
  trigger: { summary: 'ask a mirror running `serve --trigger` to rebuild now: signs {"outlet","timestamp"} with the outlet secret and POSTs it', load: () => import('./commands/trigger.ts') },
  run: { summary: 'the main job: ingest every outlet, build, seal and publish to every enabled target', load: () => import('./commands/run.ts') },
  demo: { summary: 'see a full mirror offline: fictional outlets served from 127.0.0.1 are ingested, built, sealed, published to a folder and served', load: () => import('./commands/demo.ts') },
  outlets: { summary: "check every outlet's feeds and homepage: ok (items, newest date), moved, not a feed → the feeds its homepage offers, challenge page, dead", load: () => import('./commands/outlets.ts') },
  clone: { summary: 'take a verified copy of the site from a mirror URL, ipfs://<cid>, a .car, a .zip or a folder into a new operator folder', load: () => import('./commands/clone.ts') },
  sync: { summary: 'update an operator folder (made by clone) from its source and every mirror in its mirrors.json', load: () => import('./commands/sync.ts') },
  apply: { summary: 'apply a delta bundle (deltas/<from>-<to>.zip) to a copy: a site folder, an unzipped bundle or an operator folder', load: () => import('./commands/apply.ts') },
};

/** The `newsmirror --help` overview, from the summaries alone. */
export function overview(): string {
  const rows = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(10)} ${entry.summary}`);
  return `newsmirror: a censorship-resilient news mirror\n\nUsage: newsmirror <command> [options]  (newsmirror <command> --help)\n\nCommands:\n${rows.join('\n')}\n`;
}
