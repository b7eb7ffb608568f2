/**
 * The code digest in every page's key (render/plan.ts) covers the code that renders pages and
 * nothing else, so an upgrade of the sealer, the publisher or the ingester renders nothing again.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderCodeFiles } from '../../src/build-cache/inputs.ts';

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));

describe('the code that renders pages', () => {
  it('is src/render/, the config, layouts and pages and what they import at run time; not the sealer, publisher, ingester or type-only imports', () => {
    const files = renderCodeFiles(PACKAGE).map((abs) => relative(PACKAGE, abs));
    for (const file of ['.eleventy.ts', 'src/render/plan.ts', 'src/render/search-index.ts', 'src/core/sanitize.ts', 'src/sealed/manifest.ts', 'src/build-cache/inputs.ts', 'package.json']) expect(files).toContain(file);
    for (const file of ['src/seal/index.ts', 'src/sealed/index.ts', 'src/sealed/car.ts', 'src/sealed/zip.ts', 'src/publish/dir.ts', 'src/ingest/process.ts', 'src/cli/pipeline.ts']) expect(files).not.toContain(file);
    expect(files.some((f) => f.startsWith('content/_includes/'))).toBe(true);
  });
});
