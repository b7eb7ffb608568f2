/**
 * Named points where crash tests kill the process: with
 * NEWSMIRROR_TEST_KILL_AT=<step> set, reaching that step sends this process
 * SIGKILL, as a power cut or the OOM killer would (nothing is flushed, no
 * handler runs). Without the variable it costs one lookup.
 * Steps: run:after-ingest, run:after-build, run:after-seal, run:during-publish
 * (src/cli/pipeline.ts), build:before-swap, build:mid-swap (src/render/build.ts and, for a
 * build committed in place, src/build-cache/recover.ts, where build:remove:<n> and build:move:<n>
 * follow the n-th removal and move),
 * staged, hashed, manifest, bundle (src/seal/index.ts), journal, committed,
 * apply:<n> after the n-th move of a committed seal (src/seal/commit.ts).
 */
export function killPoint(step: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.NEWSMIRROR_TEST_KILL_AT === step) process.kill(process.pid, 'SIGKILL');
}
