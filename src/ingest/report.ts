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
}

export interface IngestReport {
  outlets: OutletReport[];
}

/** Whether an outlet counts as failed: one of its feeds failed (a full-text page alone does not: the article is kept with its summary). */
export function outletFailed(report: OutletReport): boolean {
  return report.failed.some((f) => f.code !== 'ERR_FULLTEXT');
}
