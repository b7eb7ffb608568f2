/**
 * The code digest in every page's key (render/plan.ts) covers the code that renders pages and
 * nothing else, so an upgrade of the sealer, the publisher or the ingester renders nothing again.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NOT_RENDERING, renderCodeFiles } from '../../src/build-cache/inputs.ts';

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));

describe('the code that renders pages', () => {
  it('is src/render/, the config, layouts and pages and what they import at run time; not the sealer, publisher, ingester or type-only imports', () => {
    const files = renderCodeFiles(PACKAGE).map((abs) => relative(PACKAGE, abs));
    for (const file of ['.eleventy.ts', 'src/render/plan.ts', 'src/render/search-index.ts', 'src/render/build.ts', 'package.json']) expect(files).toContain(file);
    for (const file of ['src/seal/index.ts', 'src/sealed/index.ts', 'src/sealed/car.ts', 'src/sealed/zip.ts', 'src/publish/dir.ts', 'src/ingest/process.ts', 'src/cli/pipeline.ts']) expect(files).not.toContain(file);
    expect(files.some((f) => f.startsWith('content/_includes/'))).toBe(true);
    // Everything outside src/render/ and content/, exactly: a new import from the render code shows up here.
    expect(files.filter((f) => !f.startsWith('src/render/') && !f.startsWith('content/'))).toEqual([
      '.eleventy.ts',
      'node_modules/@11ty/eleventy/package.json',
      'package.json',
      'src/core/article.ts',
      'src/core/config.ts',
      'src/core/errors.ts',
      'src/core/fs.ts',
      'src/core/hash.ts',
      'src/core/health.ts',
      'src/core/jsonl.ts',
      'src/core/pool.ts',
      'src/core/project.ts',
      'src/core/sanitize.ts',
      'src/core/takedowns.ts',
      'src/sealed/json.ts',
      'src/sealed/manifest.ts',
    ]);
  });

  it('leaves out the modules a build runs that cannot change a page: crash recovery, kill points, logging, progress, the fingerprint', () => {
    const files = renderCodeFiles(PACKAGE).map((abs) => relative(PACKAGE, abs));
    expect(NOT_RENDERING).toEqual(['src/build-cache/inputs.ts', 'src/build-cache/recover.ts', 'src/core/kill-point.ts', 'src/core/log.ts', 'src/core/progress.ts', 'src/seal/commit.ts']);
    // render/build.ts and render/plan.ts import each of them.
    for (const file of NOT_RENDERING) expect(files).not.toContain(file);
  });
});
