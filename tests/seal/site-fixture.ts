/** A small project with a rendered-looking _site/ and a signing key, in a temp folder (shared by seal, verify and serve tests). */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { formatPublicKey } from '../../src/sealed/index.ts';

export const BUILT = '2026-02-03T04:05:06.000Z';

/** path → content of the test site (before sealing). */
export function siteFiles(): Record<string, string | Buffer> {
  const big = Buffer.alloc(1_300_000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 9)) & 0xff;
  return {
    'index.html': `<!doctype html><html lang="ru"><meta charset="utf-8"><title>Зеркало</title><h1>Главная</h1>${'<p>Новости степи и города. '.repeat(40)}</html>\n`,
    'build.json': `${JSON.stringify({ built: BUILT, articles: 2 })}\n`,
    'style.css': `body { font: 16px/1.5 serif; color: #222 }\n${'.a { margin: 0 }\n'.repeat(30)}`,
    'steppe-herald/2026/01/first.html': '<!doctype html><meta charset="utf-8"><h1>Первая</h1><p>Текст статьи.</p>\n',
    'steppe-herald/2026/02/second.html': '<!doctype html><meta charset="utf-8"><h1>Екінші</h1><p>Мақала мәтіні.</p>\n',
    'media/photo.bin': big,
  };
}

export interface Project {
  root: string;
  site: string;
  dist: string;
  key: KeyObject;
  publicKey: string;
  cleanup(): Promise<void>;
}

export async function makeProject(files: Record<string, string | Buffer> = siteFiles()): Promise<Project> {
  const root = await mkdtemp(join(tmpdir(), 'newsmirror-seal-'));
  for (const [path, content] of Object.entries(files)) {
    const abs = join(root, '_site', path);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
  await mkdir(join(root, 'content', '_data'), { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = formatPublicKey(privateKey);
  await writeFile(join(root, 'content', '_data', 'site.yaml'), `title: Тестовое зеркало\nlang: ru\npublicKey: ${publicKey}\n`);
  return {
    root,
    site: join(root, '_site'),
    dist: join(root, 'dist'),
    key: privateKey,
    publicKey,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** A temp folder made before the tests (or each test) of a file and removed after; call `dir()` inside a test. */
export function useTempDir(prefix: string, options: { each?: boolean } = {}): () => string {
  let dir = '';
  const make = async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  };
  const remove = () => rm(dir, { recursive: true, force: true });
  if (options.each) {
    beforeEach(make);
    afterEach(remove);
  } else {
    beforeAll(make);
    afterAll(remove);
  }
  return () => dir;
}
