/** build() on disk: byte-identical output, the page budget, front matter errors naming file and field, interface languages, the verify page. */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, renderToJson } from '../../src/render/index.ts';
import { fileTree as tree } from '../helpers/tree.ts';
import { articleHtml, generatedFrontMatter, makeProject, prng, writeArticle } from './fixtures.ts';

const tmp: string[] = [];
async function project(options: Parameters<typeof makeProject>[1]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'newsmirror-build-'));
  tmp.push(root);
  await makeProject(root, options);
  return root;
}


async function pagesOf(root: string): Promise<Map<string, string>> {
  const site = `${join(root, '_site')}/`;
  return new Map((await renderToJson(root)).map((p) => [String(p.outputPath).replace(site, ''), p.content]));
}

afterAll(async () => {
  for (const dir of tmp) await rm(dir, { recursive: true, force: true });
});

describe('build', () => {
  let root: string;
  beforeAll(async () => {
    root = await project({ articles: 40 });
  });

  it('writes _site/ and build.json, and reports what it wrote', async () => {
    const report = await build({ root });
    // 64 rendered files and the search: search.html, search.js, 3 title pages, 92 Pagefind files (one fragment an article; the 40 articles,
    // one every 7 hours from 2020-01-01, fall on 12 days of the newest month: 12 day shards of entry, meta, index and filter files).
    // A first build renders every page: 40 articles and 17 listing pages and feeds (the others are always rendered).
    expect(report).toEqual({ articles: 40, pages: 165, images: { files: 0, bytes: 0 }, indexed: 40, outDir: join(root, '_site'), rendered: { articles: 40, listings: 17 }, kept: { articles: 0, listings: 0 } });
    expect(await readFile(join(root, '_site', 'build.json'), 'utf8')).toBe('{"built":"2020-01-12T09:00:00.000Z","articles":40}\n');
  });

  it('gives byte-identical _site/ for the same content, also from another folder', async () => {
    const first = await tree(join(root, '_site'));
    const other = await mkdtemp(join(tmpdir(), 'newsmirror-build-copy-'));
    tmp.push(other);
    await cp(join(root, 'content'), join(other, 'content'), { recursive: true });
    await cp(join(root, 'mirrors'), join(other, 'mirrors'), { recursive: true });
    await build({ root: other });
    await build({ root });
    expect(await tree(join(root, '_site'))).toEqual(first);
    expect(await tree(join(other, '_site'))).toEqual(first);
    expect(first.size).toBe(165);
  });

  it('removes a taken-down article from _site/ on the next build', async () => {
    const path = join(root, '_site', 'steppe-herald', '2020', '01', '0000000000000000.html');
    await readFile(path);
    await writeFile(join(root, 'content', '_data', 'takedowns.yaml'), '- id: steppe-herald/0000000000000000\n  time: 2026-02-01T00:00:00Z\n  reason: legal\n');
    expect((await build({ root })).articles).toBe(39);
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(join(root, '_site', 'build.json'), 'utf8')).toBe('{"built":"2026-02-01T00:00:00.000Z","articles":39}\n');
    await rm(join(root, 'content', '_data', 'takedowns.yaml'));
  });
});

describe('an empty project', () => {
  it('builds with no articles and no outlets.yaml yet', async () => {
    const root = await project({ articles: 0 });
    await rm(join(root, 'content', '_data', 'outlets.yaml'));
    const pages = await pagesOf(root);
    expect(pages.get('build.json')).toBe('{"built":"1970-01-01T00:00:00.000Z","articles":0}\n');
    expect(pages.get('index.html')).toContain('<h2>Последнее</h2><p>Статей пока нет.</p>');
    expect(JSON.parse(pages.get('mirrorSites.json')!)).toEqual({ version: '2.0', sites: [] });
  });
});

describe('newsmirror build', () => {
  it('prints only the JSON report on stdout with --json', async () => {
    const root = await project({ articles: 2 });
    const result = spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/newsmirror.js'), 'build', '--root', root, '--json'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ articles: 2, pages: 43, images: { files: 0, bytes: 0 }, indexed: 2, outDir: join(root, '_site'), rendered: { articles: 2, listings: 15 }, kept: { articles: 0, listings: 0 } });
    expect(result.stderr).toContain(`build: 2 articles, 43 files in ${join(root, '_site')}`);
  });
});

describe('page budget', () => {
  it('keeps a 3,000-word article page within 14,600 bytes gzip and the template overhead within 3,000 (kk, ru, en)', async () => {
    for (const lang of ['kk', 'ru', 'en'] as const) {
      const root = await project({ articles: 0, lang });
      const random = prng(7);
      await writeArticle(root, generatedFrontMatter(1, 'steppe-herald', lang, random), articleHtml(3000, lang, random));
      await writeArticle(root, generatedFrontMatter(2, 'steppe-herald', lang, random), '<p>Коротко.</p>');
      const pages = await pagesOf(root);
      const longPage = pages.get('steppe-herald/2020/01/0000000000000001.html')!;
      const shortPage = pages.get('steppe-herald/2020/01/0000000000000002.html')!;
      const gz = (s: string) => gzipSync(Buffer.from(s)).length;
      expect(longPage.replace(/<[^>]+>/g, ' ').split(/\s+/).filter(Boolean).length, lang).toBeGreaterThan(3000);
      expect(gz(longPage), lang).toBeLessThanOrEqual(14_600);
      expect(gz(shortPage), lang).toBeLessThanOrEqual(3_000);
    }
  });
});

describe('front matter errors', () => {
  const file = (root: string) => join(root, 'content', 'steppe-herald', '2020', '01', '0000000000000000.md');

  it('fails the build naming the file and the field', async () => {
    const root = await project({ articles: 1 });
    await writeFile(file(root), (await readFile(file(root), 'utf8')).replace(/^date: .*$/m, "date: 'yesterday'"));
    await expect(build({ root })).rejects.toMatchObject({
      code: 'ERR_FRONT_MATTER',
      message: 'content/steppe-herald/2020/01/0000000000000000.md: front matter field "date": must be an ISO 8601 UTC time such as 2026-01-05T10:00:00Z (got "yesterday"); fix the file',
    });
  });

  it('names the field the schema rejects', async () => {
    const root = await project({ articles: 1 });
    await writeFile(file(root), (await readFile(file(root), 'utf8')).replace(/^lang: .*$/m, 'lang: r'));
    await expect(renderToJson(root)).rejects.toMatchObject({
      code: 'ERR_FRONT_MATTER',
      message: 'content/steppe-herald/2020/01/0000000000000000.md: front matter field "lang": Too small: expected string to have >=2 characters; fix the file (see src/core/article.ts for every field)',
    });
  });

  it('refuses an article that sets how it renders (permalink, layout)', async () => {
    const root = await project({ articles: 1 });
    await writeFile(file(root), (await readFile(file(root), 'utf8')).replace(/^---\n/, '---\npermalink: /index.html\n'));
    await expect(renderToJson(root)).rejects.toMatchObject({ code: 'ERR_FRONT_MATTER', message: expect.stringContaining('content/steppe-herald/2020/01/0000000000000000.md: front matter field "permalink" is not allowed') });
  });

  it('refuses an article whose outlet does not match its folder', async () => {
    const root = await project({ articles: 1 });
    await writeFile(file(root), (await readFile(file(root), 'utf8')).replace(/^outlet: .*$/m, 'outlet: alma-daily'));
    await expect(renderToJson(root)).rejects.toMatchObject({ code: 'ERR_FRONT_MATTER', message: expect.stringContaining('front matter field "outlet" is "alma-daily" but the file is in the folder of "steppe-herald"') });
  });
});

describe('interface languages and the verify page', () => {
  it('renders the interface in Kazakh and English with the right <html lang>', async () => {
    for (const [lang, archive, date] of [['kk', 'Мұрағат', '2020 ж. 1 қаңтар, 00:00 UTC'], ['en', 'Archive', '1 January 2020, 00:00 UTC']] as const) {
      const root = await project({ articles: 1, lang, site: { publicKey: 'ed25519:11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' } });
      const pages = await pagesOf(root);
      const home = pages.get('index.html')!;
      expect(home.startsWith(`<!doctype html><html lang="${lang}">`)).toBe(true);
      expect(home).toContain(`<a href="archive/index.html">${archive}</a>`);
      expect(pages.get('steppe-herald/2020/01/0000000000000000.html')).toContain(`<time datetime="2020-01-01T00:00:00Z">${date}</time>`);
      const verify = pages.get('verify.html')!;
      expect(verify).toContain('<pre class="cmd"><code>newsmirror verify &lt;URL|DIR|site.zip&gt; \\\n  --key ed25519:11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo</code></pre>');
      expect(verify).toContain('<pre class="cmd"><code>openssl pkeyutl -verify -pubin \\\n  -inkey key.pem -rawin \\\n  -in SHA256SUMS \\\n  -sigfile SHA256SUMS.sig</code></pre><p>');
      expect(verify).toContain('<pre class="cmd"><code>sha256sum -c SHA256SUMS</code></pre>');
      expect(verify).toContain('<pre class="cmd"><code>K=11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\n');
      expect(verify).toContain('<a href="publickey.pem">publickey.pem</a>');
      expect(pages.get('publickey.pem')).toBe('-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n');
    }
  });
});
