/** The same article files as a project, with only what plain Eleventy needs: one minimal layout (for benchmarks comparing against it). */
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function plainEleventyCopy(from: string, to: string): Promise<void> {
  await cp(join(from, 'content'), join(to, 'content'), { recursive: true, filter: (src) => !src.includes('_data') });
  await mkdir(join(to, 'content', '_includes'), { recursive: true });
  await writeFile(join(to, 'content', '_includes', 'base.liquid'), '<!doctype html><html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title></head><body><h1>{{ title }}</h1>{{ content }}</body></html>\n');
  await writeFile(join(to, 'content', 'content.json'), '{ "layout": "base.liquid" }\n');
}
