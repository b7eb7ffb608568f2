/**
 * The article: what ingest produces, what content/ stores as front matter +
 * body, what render reads. One schema checks the front matter of every file
 * (ingested or written by staff) and fails with the file and field named.
 */
import { z } from 'zod';

const isoUtcField = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/, 'must be an ISO 8601 UTC time such as 2026-01-05T10:00:00Z');

export const frontMatterSchema = z.object({
  /** Stable: `<outlet>/<16 hex of sha256(identity)>`; identity is guid → link → title+date. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*\/[0-9a-z-]+$/, 'must be "<outlet>/<key>", e.g. "steppe-herald/0f3a9c2b7d1e4a56"'),
  outlet: z.string().min(1),
  title: z.string().min(1),
  /** The original article URL (http/https only); may be blocked for readers. */
  url: z.string().default(''),
  /** Published, ISO 8601 UTC. */
  date: isoUtcField,
  /** Set when the body changed after first mirroring. */
  updated: isoUtcField.optional(),
  /** Why `date` is not the feed's: "missing", "unparseable: <raw>", "future: <raw>". */
  dateNote: z.string().optional(),
  author: z.string().default(''),
  lang: z.string().min(2),
  tags: z.array(z.string()).default([]),
  summary: z.string().default(''),
  /** A correction note written by staff, shown on the page. */
  correction: z.string().optional(),
  source: z
    .object({
      feed: z.string(),
      guid: z.string().optional(),
      fetched: isoUtcField,
    })
    .optional(),
  /** sha256 hex of the body as written. */
  hash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** A time as front matter writes it: ISO 8601 UTC without milliseconds, e.g. 2022-01-05T07:45:00Z. */
/**
 * A copy of front matter to keep for long (an index, the render records), through JSON as they store
 * it: values parsed out of a file are slices that keep the whole file's text alive (V8 sliced strings),
 * about 10 KB an article; an index of 100,000 articles that kept them ran a 1 GB heap out of memory.
 */
export function detachedFrontMatter<T extends object>(fm: T): T {
  return JSON.parse(JSON.stringify(fm)) as T;
}

export function isoUtc(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An article in memory: front matter plus its body (sanitized HTML or staff Markdown). */
export interface Article extends FrontMatter {
  body: string;
}
