/** Cache-Control for uploaded site files (s3 and friends); Content-Type comes from core/mime.ts. */

/**
 * Pages and the manifest change with every build: short cache so readers get
 * fresh news and a consistent manifest; other assets (css, images) an hour.
 */
export function cacheControl(path: string): string {
  // The signed lists change with every build; a stale one beside fresh files would fail readers' checks.
  if (path === 'manifest.json' || path === 'manifest.sig' || path === 'SHA256SUMS' || path === 'SHA256SUMS.sig') return 'no-cache';
  if (/\.(html?|json|xml|rss|atom|txt)$/i.test(path)) return 'public, max-age=300';
  return 'public, max-age=3600';
}
