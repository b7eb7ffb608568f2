/**
 * A rendered-looking site of ~100 articles for the incremental seal tests,
 * the changes an incremental build makes (new files replace changed ones,
 * unchanged files keep their inode), and a clean copy to seal from scratch.
 */
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { seal } from '../../src/seal/index.ts';
import { BUILT, makeProject, type Project } from './site-fixture.ts';

const WORDS = 'Степь город новости суд выборы вода дорога школа больница рынок'.split(' ');

export function article(i: number): string {
  const body = Array.from({ length: 8 }, (_, p) => `<p>${Array.from({ length: 40 }, (_, w) => WORDS[(i * 7 + p * 3 + w) % WORDS.length]).join(' ')}.</p>`).join('\n');
  return `<!doctype html><html lang="ru"><meta charset="utf-8"><title>Статья ${i}</title><h1>Статья ${i}</h1>\n${body}\n</html>\n`;
}

export function articlePath(i: number): string {
  return `${['steppe-herald', 'alma-daily', 'kz-voice'][i % 3]}/2026/${String((i % 4) + 1).padStart(2, '0')}/article-${i}.html`;
}

/** 100 articles, listings, a file of two chunks (1.3 MB), an empty file, a search folder of small files, an empty folder. */
export function incrementalSite(): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {};
  for (let i = 0; i < 100; i++) files[articlePath(i)] = article(i);
  for (const outlet of ['steppe-herald', 'alma-daily', 'kz-voice']) files[`${outlet}/index.html`] = `<h1>${outlet}</h1>${Array.from({ length: 30 }, (_, i) => `<a href="${i}">${i}</a>`).join('')}\n`;
  files['index.html'] = `<h1>Главная</h1>${'<p>Новости</p>'.repeat(50)}\n`;
  files['build.json'] = `${JSON.stringify({ built: BUILT, articles: 100 })}\n`;
  files['empty.txt'] = '';
  const big = Buffer.alloc(1_300_000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 13 + (i >> 11)) & 0xff;
  files['media/big.bin'] = big;
  for (let i = 0; i < 40; i++) files[`search/fragment/f${i}.pf`] = `{"url":"/a/${i}","w":${i * 17}}`;
  return files;
}

export async function makeIncrementalProject(): Promise<Project> {
  const project = await makeProject(incrementalSite());
  await mkdir(join(project.site, 'empty-folder'), { recursive: true });
  return project;
}

/** Write as a build does: a new file moved over the old one (new inode). */
export async function replace(site: string, path: string, content: string | Buffer): Promise<void> {
  const abs = join(site, ...path.split('/'));
  await mkdir(dirname(abs), { recursive: true });
  await writeFile(`${abs}.new`, content);
  await rename(`${abs}.new`, abs);
}

/** A later build: 3 new articles, 2 changed listings, a changed multi-chunk file, 2 articles taken down, a later build time. */
export async function changeSite(site: string, round = 1): Promise<{ changed: number }> {
  for (let i = 0; i < 3; i++) await replace(site, articlePath(100 * round + i), article(100 * round + i));
  await replace(site, 'index.html', `<h1>Главная ${round}</h1>${'<p>Новости</p>'.repeat(51)}\n`);
  await replace(site, 'kz-voice/index.html', `<h1>kz-voice ${round}</h1>\n`);
  const big = Buffer.alloc(1_300_000 + round, round);
  await replace(site, 'media/big.bin', big);
  await rm(join(site, ...articlePath(round * 2).split('/')));
  await rm(join(site, ...articlePath(round * 2 + 1).split('/')));
  const built = new Date(Date.parse(BUILT) + round * 3_600_000).toISOString();
  await replace(site, 'build.json', `${JSON.stringify({ built, articles: 100 + round })}\n`);
  return { changed: 3 + 2 + 1 + 1 };
}

/** The project copied without dist/ and without .newsmirror/cache (kept manifests stay: deltas come from them). */
export async function cleanCopy(root: string, to: string): Promise<void> {
  await cp(root, to, { recursive: true, filter: (src) => !/[/\\](dist|cache|seal-commit)$/.test(src) });
}

/** The seal's outputs (dist/ and _site/'s manifest pair and SHA256SUMS pair): relative path → bytes. */
export async function sealOutputs(root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(join(root, 'dist'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const abs = join(entry.parentPath, entry.name);
    out.set(abs.slice(root.length + 1), await readFile(abs));
  }
  for (const name of ['manifest.json', 'manifest.sig', 'SHA256SUMS', 'SHA256SUMS.sig']) {
    const bytes = await readFile(join(root, '_site', name)).catch(() => undefined);
    if (bytes) out.set(`_site/${name}`, bytes);
  }
  return out;
}

/** Compare two output maps with a readable failure (which files differ), not a 200 MB diff. */
export function differences(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].sort().filter((n) => !a.get(n) || !b.get(n) || !a.get(n)!.equals(b.get(n)!));
}

/** Seal a clean copy of the project (no dist/, no cache) and return its outputs. */
export async function cleanSeal(project: Project): Promise<Map<string, Buffer>> {
  const copy = `${project.root}-clean`;
  await cleanCopy(project.root, copy);
  try {
    await seal({ root: copy, key: project.key });
    return await sealOutputs(copy);
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}
