import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOutlets } from '../../src/core/config.ts';
import { demoOutletsYaml } from '../../src/demo/index.ts';
import { build } from '../../src/render/index.ts';
import { scaffoldArticle, writeScaffold } from '../../src/staff/scaffold.ts';
import { appendTakedowns } from '../../src/staff/takedown.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nm-staff-render-'));
  await mkdir(join(root, 'content', '_data'), { recursive: true });
  await writeFile(join(root, 'content/_data/outlets.yaml'), demoOutletsYaml('http://127.0.0.1:9/'));
  await writeFile(join(root, 'content/_data/site.yaml'), 'title: Staff test\nlang: en\n');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function allText(dir: string): Promise<string> {
  const names = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  return (await Promise.all(names.map((e) => readFile(join(e.parentPath, e.name), 'utf8')))).join('\n');
}

describe('staff articles through the real render', () => {
  it('publishes a scaffolded article with its correction and updated time, sanitized; never renders a tombstoned one', async () => {
    const outlet = (await loadOutlets(root)).find((o) => o.id === 'open-caspian')!;
    const kept = scaffoldArticle({ outlet, title: 'Ferry fares: a correction', now: new Date('2026-03-04T05:06:07Z'), author: 'Desk' });
    const edited = kept.text
      .replace("summary: ''\n", "summary: ''\ncorrection: An earlier version gave the wrong fare.\nupdated: '2026-03-05T09:30:00Z'\n")
      .replace(/Write the article here[\s\S]*$/, 'Fares rose by **12%**.<script>alert(1)</script>\n');
    await writeScaffold(root, { ...kept, text: edited });
    const gone = scaffoldArticle({ outlet, title: 'Source named by mistake', now: new Date('2026-03-04T06:00:00Z') });
    await writeScaffold(root, gone);
    // A tombstone whose file is still there (restored by hand, or a crash between the two steps).
    await writeFile(join(root, 'content/_data/takedowns.yaml'), appendTakedowns(undefined, [{ id: gone.frontMatter.id, time: '2026-03-04T07:00:00.000Z', reason: 'source safety' }]));

    const report = await build({ root });
    expect(report.articles).toBe(1);
    const page = await readFile(join(root, '_site', 'open-caspian', '2026', '03', 'ferry-fares-a-correction.html'), 'utf8');
    expect(page).toContain('<strong>Correction:</strong> An earlier version gave the wrong fare.');
    expect(page).toContain('updated <time datetime="2026-03-05T09:30:00Z">');
    expect(page).toContain('Fares rose by <strong>12%</strong>.');
    expect(page).not.toContain('<script>alert(1)</script>');
    const site = await allText(join(root, '_site'));
    expect(site).not.toContain('Source named by mistake');
    expect(site).not.toContain(gone.frontMatter.id.split('/')[1]);
  });
});
