/** Content-Type and Cache-Control for uploaded site files (s3 and friends). */
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  woff: 'font/woff',
  pdf: 'application/pdf',
  zip: 'application/zip',
  car: 'application/vnd.ipld.car',
  webmanifest: 'application/manifest+json',
  sig: 'application/octet-stream',
};

export function contentType(path: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  return TYPES[ext] ?? 'application/octet-stream';
}

/**
 * Pages and the manifest change with every build: short cache so readers get
 * fresh news and a consistent manifest; other assets (css, images) an hour.
 */
export function cacheControl(path: string): string {
  if (path === 'manifest.json' || path === 'manifest.sig') return 'no-cache';
  if (/\.(html?|json|xml|rss|atom|txt)$/i.test(path)) return 'public, max-age=300';
  return 'public, max-age=3600';
}
