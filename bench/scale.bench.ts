/**
 * `npm run bench scale`: a year of news. For each archive size (1,000 and 10,000;
 * add 100,000 with BENCH_SCALE=1000,10000,100000) it generates an archive of
 * realistic articles (600 words of Russian HTML, 10 outlets), serves 10 feeds
 * from 127.0.0.1 with ETags, and measures, each in its own process (so the
 * figures include process start and peak memory is that stage's own):
 *   first run, a run with nothing new (all 304), a run with 10 new articles
 *   (each `newsmirror run --json` through bin/newsmirror.js, as users start it),
 *   a cold build and a cold seal (caches deleted), plain Eleventy on the same
 *   article files with one minimal layout, and bytes each publish moved; then the
 *   cold build and seal again with site.yaml `fullTextSearch: month`.
 * The machine may be shared: every figure carries the 1-minute load average.
 */
import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeProject, articleHtml, generatedFrontMatter, prng, realClock, type Clock } from '../tests/render/fixtures.ts';
import { startFeedServer, type FeedServer } from '../tests/helpers/feed-server.ts';
import { plainEleventyCopy } from './plain-eleventy.ts';

const self = fileURLToPath(import.meta.url);
const OUTLETS = Array.from({ length: 10 }, (_, i) => `outlet-${String(i).padStart(2, '0')}`);
const SIZES = (process.env.BENCH_SCALE ?? '1000,10000').split(',').map(Number).filter((n) => n > 0);
/** Items each feed serves on the first run (new to the archive). */
const FEED_ITEMS = 5;

interface Sample {
  /** Wall time seen by the parent: process start included. */
  ms: number;
  /** Wall time of the work inside the child: process start excluded. */
  innerMs: number;
  /** CPU time of the child (user + system): steadier than wall time on a shared machine. */
  cpuMs: number;
  rssMb: number;
  load: number;
  detail: string;
}

/** Child side: one stage (or the whole run) in this process, timed from inside. */
async function child(mode: string, root: string, keyFile: string): Promise<void> {
  const start = performance.now();
  let detail = '';
  if (mode === 'build') {
    const { build } = await import('../src/render/index.ts');
    const r = await build({ root });
    detail = `${r.articles} articles, ${r.pages} files`;
  } else if (mode === 'seal') {
    const { seal, loadSigningKey } = await import('../src/seal/index.ts');
    const r = await seal({ root, key: await loadSigningKey({ keyFile, env: {} }) });
    detail = `${r.files} files, ${r.bytes} B`;
  } else if (mode === 'plain') {
    const { default: Eleventy } = await import('@11ty/eleventy');
    await new Eleventy(join(root, 'content'), join(root, '_site'), { quietMode: true }).write();
  }
  const innerMs = performance.now() - start;
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ innerMs, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.resourceUsage().maxRSS / 1024, detail })}\n`);
}

const BIN = fileURLToPath(new URL('../bin/newsmirror.js', import.meta.url));
const USAGE = fileURLToPath(new URL('./usage.mjs', import.meta.url));

/** A child process, timed from the parent (async: the feed server lives in this process and must keep answering). */
async function timed(args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string; ms: number; load: number }> {
  const load = loadavg()[0]!;
  const start = performance.now();
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
  return { code, stdout, stderr, ms: performance.now() - start, load };
}

/** `newsmirror run --json` as users start it (bin/newsmirror.js: the compiled CLI when .build/ is current), process start included. */
async function cliRun(root: string, keyFile: string): Promise<Sample> {
  const { code, stdout, stderr, ms, load } = await timed(['--import', USAGE, BIN, 'run', '--json', '--root', root, '--key', keyFile], { ...process.env, CI: '1' });
  const usage = /BENCH_USAGE (.*)/.exec(stderr);
  if (code !== 0 || !usage) throw new Error(`newsmirror run exited ${code}:\n${stderr}`);
  const s = JSON.parse(stdout) as { outlets: { new: number; updated: number }[]; build?: { articles: number }; cid?: string; reused?: boolean; errors: string[]; targets: { target: string; status: string; files: number; bytes: number }[] };
  const added = s.outlets.reduce((n, o) => n + o.new, 0);
  const updated = s.outlets.reduce((n, o) => n + o.updated, 0);
  const targets = s.targets.map((t) => `${t.target} ${t.status} ${t.files} files ${t.bytes} B`).join('; ');
  const detail = `${added} new, ${updated} updated, ${s.build?.articles ?? '?'} articles${s.reused ? ' (reused)' : ''}, cid ${s.cid?.slice(-8) ?? '-'}, publish: ${targets || 'none'}${s.errors.length ? `, errors: ${s.errors.join(' | ')}` : ''}`;
  return { ...(JSON.parse(usage[1]!) as Omit<Sample, 'ms' | 'load' | 'detail'>), ms, load, detail };
}

/** One stage in a child process of this file (build, seal, plain Eleventy). */
async function run(mode: string, root: string, keyFile = ''): Promise<Sample> {
  const { code, stdout, stderr, ms, load } = await timed(['--import', 'tsx', self, 'child', mode, root, keyFile]);
  if (code !== 0) throw new Error(`${mode} failed:\n${stderr}`);
  const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<Sample, 'ms' | 'load'>;
  return { ...out, ms, load };
}

function rss(item: { guid: string; title: string; date: string; html: string }[], outlet: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const items = item.map((i) => `<item><title>${esc(i.title)}</title><link>https://${outlet}.example/news/${i.guid}</link><guid>https://${outlet}.example/news/${i.guid}</guid><pubDate>${new Date(i.date).toUTCString()}</pubDate><description>${esc(i.html.slice(0, 200))}</description><content:encoded><![CDATA[${i.html}]]></content:encoded></item>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${outlet}</title><link>https://${outlet}.example/</link><description>bench</description>\n${items.join('\n')}\n</channel></rss>\n`;
}

/**
 * Each outlet's feed: its `count` newest generated items after the archive's `base` articles.
 * Every item is generated from its own seed, so an item served again is the same bytes: the run
 * with 10 new finds exactly 10 new and nothing updated.
 */
function serveFeeds(server: FeedServer, base: number, count: number, clock: Clock): void {
  OUTLETS.forEach((outlet, o) => {
    const items = Array.from({ length: count }, (_, k) => {
      const i = base + k * OUTLETS.length + o;
      const random = prng(1_000_003 + i);
      const fm = generatedFrontMatter(i, outlet, 'ru', random, clock);
      return { guid: `feed-${i}`, title: fm.title, date: fm.date, html: articleHtml(600, 'ru', random) };
    });
    server.serve(`/${outlet}.xml`, rss(items, outlet), { contentType: 'application/rss+xml; charset=utf-8' });
  });
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const cell = (x: Sample) => `${s(x.ms)} (${s(x.innerMs)} w/o start, cpu ${s(x.cpuMs)}) ${Math.round(x.rssMb)} MB peak, load ${x.load.toFixed(1)}`;

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'newsmirror-bench-scale-'));
  const server = await startFeedServer({ mountFixtures: false });
  const rows: string[] = [];
  try {
    const { generateKey } = await import('../src/seal/index.ts');
    const keyFile = join(work, 'key.pem');
    await generateKey(keyFile);
    for (const n of SIZES) {
      const root = join(work, `ours-${n}`);
      const archive = n - FEED_ITEMS * OUTLETS.length;
      // Dated at the real rate (300 a day), ending now: the feeds' items are the next ones, all in the past.
      const clock = realClock(n + 10);
      await makeProject(root, { articles: archive, outlets: OUTLETS, lang: 'ru', words: 600, clock });
      await writeFile(
        join(root, 'content/_data/outlets.yaml'),
        OUTLETS.map((id) => `- id: ${id}\n  name: "${id}"\n  homepage: https://${id}.example/\n  lang: ru\n  feeds: ['${server.url}/${id}.xml']\n`).join(''),
      );
      serveFeeds(server, archive, FEED_ITEMS, clock);
      const first = await cliRun(root, keyFile);
      const idle = await cliRun(root, keyFile);
      serveFeeds(server, archive, FEED_ITEMS + 1, clock);
      const ten = await cliRun(root, keyFile);
      // Cold build + seal: every cache and output of ours deleted.
      for (const dir of ['_site', 'dist', '.newsmirror/cache']) await rm(join(root, dir), { recursive: true, force: true });
      const build = await run('build', root, keyFile);
      const sealed = await run('seal', root, keyFile);
      const plain = join(work, `plain-${n}`);
      await plainEleventyCopy(root, plain);
      const eleventy = await run('plain', plain);
      await rm(plain, { recursive: true, force: true });
      const ratio = (build.ms + sealed.ms) / eleventy.ms;
      // The same cold build and seal with only the newest month's articles indexed in full (site.yaml fullTextSearch: month).
      await appendFile(join(root, 'content/_data/site.yaml'), 'fullTextSearch: month\n');
      for (const dir of ['_site', 'dist', '.newsmirror/cache']) await rm(join(root, dir), { recursive: true, force: true });
      const leadBuild = await run('build', root, keyFile);
      const leadSeal = await run('seal', root, keyFile);
      const leadRatio = (leadBuild.ms + leadSeal.ms) / eleventy.ms;
      rows.push(
        [
          `${n} articles`,
          `  first run:            ${cell(first)}  [${first.detail}]`,
          `  nothing new (304):    ${cell(idle)}  [${idle.detail}]`,
          `  10 new:               ${cell(ten)}  [${ten.detail}]`,
          `  cold build:           ${cell(build)}  [${build.detail}]`,
          `  cold seal:            ${cell(sealed)}  [${sealed.detail}]`,
          `  plain Eleventy:       ${cell(eleventy)}`,
          `  build + seal vs plain Eleventy: ${ratio.toFixed(2)}× (${s(build.ms)} + ${s(sealed.ms)} vs ${s(eleventy.ms)}); w/o process start ${((build.innerMs + sealed.innerMs) / eleventy.innerMs).toFixed(2)}×, cpu ${((build.cpuMs + sealed.cpuMs) / eleventy.cpuMs).toFixed(2)}×`,
          `  cold build, fullTextSearch: month: ${cell(leadBuild)}  [${leadBuild.detail}]`,
          `  cold seal, fullTextSearch: month:  ${cell(leadSeal)}`,
          `  build + seal vs plain Eleventy, fullTextSearch: month: ${leadRatio.toFixed(2)}× (${s(leadBuild.ms)} + ${s(leadSeal.ms)} vs ${s(eleventy.ms)}); cpu ${((leadBuild.cpuMs + leadSeal.cpuMs) / eleventy.cpuMs).toFixed(2)}×`,
        ].join('\n'),
      );
      process.stdout.write(`${rows.at(-1)}\n`);
      await rm(root, { recursive: true, force: true });
    }
  } finally {
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') await child(process.argv[3]!, process.argv[4]!, process.argv[5] ?? '');
else await main();
