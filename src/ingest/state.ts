/**
 * What ingest remembers between runs, per feed URL, in .newsmirror/ingest-state.json:
 * ETag / Last-Modified for conditional GET, and the time a server asked us to wait until.
 */
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from '../core/fs.ts';
import { projectPaths } from '../core/project.ts';

export interface FeedState {
  etag?: string;
  lastModified?: string;
  /** ISO time before which the feed is not fetched again (Retry-After). */
  retryAfter?: string;
  /** ISO time of the last successful fetch (200 or 304). */
  lastSuccess?: string;
  lastError?: { time: string; code: string; reason: string };
  /** The last time this feed answered with a page instead of a feed and its outlet's homepage was searched (at most once a day), and the feed found then. */
  discovery?: { time: string; found?: string };
}

export interface IngestState {
  version: 1;
  feeds: Record<string, FeedState>;
  /** Article id → ISO time its page first failed: mirrored with the feed's summary, page retried on later runs. */
  fulltextPending?: Record<string, string>;
  /** Sitemap index URL → its child sitemaps at the last full answer (walked again when the index answers 304). */
  sitemapChildren?: Record<string, string[]>;
  /** Page URL listed in a sitemap → when fetching it first and last failed (retried daily for FULLTEXT_RETRY_MS, then left). */
  sitemapFailed?: Record<string, { first: string; last: string }>;
  /** Original image URL → its archived copy (content/_media/<file>), or when it last failed (retried after a day). */
  media?: Record<string, { file: string; width: number; height: number } | { failed: string }>;
}

/** How long a failing article page is retried before its summary is accepted as the body. */
export const FULLTEXT_RETRY_MS = 7 * 86_400_000;

/** How often a feed that answers with a page sends ingest looking for its replacement. */
export const DISCOVERY_INTERVAL_MS = 86_400_000;

export function statePath(root: string): string {
  return join(projectPaths(root).state, 'ingest-state.json');
}

export async function loadState(root: string): Promise<IngestState> {
  const state = await readJsonFile<IngestState>(statePath(root), { version: 1, feeds: {} });
  return state && typeof state.feeds === 'object' ? state : { version: 1, feeds: {} };
}

export async function saveState(root: string, state: IngestState): Promise<void> {
  await writeJsonFile(statePath(root), state);
}
