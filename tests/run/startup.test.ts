/**
 * Start-up: bin/newsmirror.js runs the compiled .build/ only while it is as
 * new as every file under src/ (else the TypeScript through tsx), and the
 * compile step rewrites relative .ts imports for Node.
 */
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteImports } from '../../bin/compile.js';
import { buildIsFresh } from '../../bin/fresh.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nm-startup-'));
  await mkdir(join(root, 'src', 'cli'), { recursive: true });
  await mkdir(join(root, '.build'));
  await writeFile(join(root, 'src', 'cli', 'main.ts'), '');
  await writeFile(join(root, 'src', 'style.css'), '');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('start-up', () => {
  it('rewrites relative .ts imports (static, dynamic, re-exports) and nothing else', () => {
    expect(rewriteImports('import { a } from "./a.ts";\nexport { b } from "../core/b.ts";\nconst c = () => import("./commands/c.ts");\nimport x from "tsx/esm/api";\nnew URL("./i18n.ts", import.meta.url);')).toBe(
      'import { a } from "./a.js";\nexport { b } from "../core/b.js";\nconst c = () => import("./commands/c.js");\nimport x from "tsx/esm/api";\nnew URL("./i18n.ts", import.meta.url);',
    );
  });

  it('a build older than a source, with another number of files, or missing, is stale (regression: a stale build would run old code)', async () => {
    const t = Date.now() / 1000;
    await utimes(join(root, 'src', 'cli', 'main.ts'), t - 100, t - 100);
    await utimes(join(root, 'src', 'style.css'), t - 100, t - 100);
    expect(buildIsFresh(root)).toBe(false);
    await writeFile(join(root, '.build', '.stamp.json'), JSON.stringify({ files: 2, newest: (t - 50) * 1000 }));
    expect(buildIsFresh(root)).toBe(true);
    await utimes(join(root, 'src', 'style.css'), t, t);
    expect(buildIsFresh(root)).toBe(false);
    await utimes(join(root, 'src', 'style.css'), t - 100, t - 100);
    await writeFile(join(root, 'src', 'new.ts'), '');
    await utimes(join(root, 'src', 'new.ts'), t - 100, t - 100);
    expect(buildIsFresh(root)).toBe(false);
  });
});
