/**
 * The one Cache-Control policy for a copy's files, wherever they are served
 * from: `serve` answering HTTP and `publish` uploading to s3 and friends.
 * Content-Type comes from core/mime.ts.
 */

/** What a missing page (the 404 page) is sent with: never cached, so a page published a moment later shows up. */
export const NOT_FOUND_CACHE = 'no-cache';

/**
 * The manifest and its signature are revalidated on every request (readers
 * must see a consistent pair); pages, feeds and lists change with every
 * build (so do site.car and site.zip beside a copy): five minutes, so
 * readers get fresh news; other assets (css,
 * images, fonts) an hour.
 */
export function cacheControl(path: string): string {
  if (/(^|\/)manifest\.(json|sig)$/.test(path)) return 'no-cache';
  if (/\.(html?|json|xml|rss|atom|txt)$/i.test(path) || /(^|\/)site\.(car|zip)$/.test(path)) return 'public, max-age=300';
  return 'public, max-age=3600';
}
