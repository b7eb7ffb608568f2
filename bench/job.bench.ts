/**
 * The main job end to end (ingest → build → seal → publish to a folder) on
 * 40 outlets served from 127.0.0.1: a first run, then a run with nothing new.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline } from '../src/cli/pipeline.ts';
import { silentReporter } from '../src/core/log.ts';
import { DEMO_OUTLETS, startFeedServer } from '../src/demo/index.ts';

const OUTLETS = 40;
const root = await mkdtemp(join(tmpdir(), 'nm-bench-job-'));
const feeds = await startFeedServer();
try {
  await mkdir(join(root, 'content', '_data'), { recursive: true });
  await mkdir(join(root, 'mirrors'));
  const rows = Array.from({ length: OUTLETS }, (_, i) => {
    const o = DEMO_OUTLETS[i % DEMO_OUTLETS.length]!;
    return `- id: ${o.id}-${i}\n  name: ${o.name} ${i}\n  homepage: https://${o.id}.example/\n  lang: ${o.lang}\n  feeds: ['${feeds.url}${o.file}?copy=${i}']`;
  });
  await writeFile(join(root, 'content/_data/outlets.yaml'), `${rows.join('\n')}\n`);
  await writeFile(join(root, 'content/_data/site.yaml'), 'title: Bench\nlang: en\n');
  await writeFile(join(root, 'mirrors/local.yaml'), 'name: local\ntype: dir\npath: .newsmirror/public\n');
  const keyFile = join(root, 'key.pem');
  const { generateKey } = await import('../src/seal/index.ts');
  await generateKey(keyFile);
  for (const label of ['first run', 'nothing new']) {
    const t = performance.now();
    const s = await runPipeline({ root, keyFile, env: {}, reporter: silentReporter });
    const ms = performance.now() - t;
    const added = s.outlets.reduce((n, o) => n + o.new, 0);
    if (s.errors.length) console.log(s.errors.join("\n"));
    console.log(`${label}: ${Math.round(ms)} ms, ${OUTLETS} outlets, ${added} new, ${s.build?.articles} articles, ${s.seal?.files} files sealed (${s.seal?.bytes} bytes), exit ${s.exit}`);
  }
  console.log(`peak RSS: ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
} finally {
  await feeds.close();
  await rm(root, { recursive: true, force: true });
}
