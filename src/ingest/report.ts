/** What ingest reports per outlet, and when an outlet counts as failed (light: the CLI loads it without the stage). */

export interface Failure {
  url: string;
  code: string;
  reason: string;
}

export interface OutletReport {
  outlet: string;
  new: number;
  updated: number;
  unchanged: number;
  /** Items not written because they are taken down. */
  skipped: number;
  /** Feeds (and full-text pages) that failed, with a stable code and a readable reason. */
  failed: Failure[];
  /** Configured feeds that answered with a page, and the feed found on the homepage and used instead for this run (outlets.yaml is never changed by ingest). */
  discovered?: Discovered[];
}

export interface Discovered {
  /** The feed URL in outlets.yaml. */
  feed: string;
  /** The feed used instead. */
  used: string;
  reason: string;
}

export interface IngestReport {
  outlets: OutletReport[];
}

/** Whether an outlet counts as failed: one of its feeds failed (a full-text page alone does not: the article is kept with its summary). */
export function outletFailed(report: OutletReport): boolean {
  // A configured feed replaced by a discovered one is reported (report.discovered), not a failure.
  return report.failed.some((f) => f.code !== 'ERR_FULLTEXT');
}
