/**
 * Photos readers can see behind a block: an article's images (the lead one, all, or none, per
 * outlet) are downloaded under the full-text limits (public addresses only, unless on a host
 * outlets.yaml names), re-encoded with sharp to WebP (≤ 800 px wide, a byte budget, every bit
 * of metadata and EXIF location dropped, a pixel limit against decompression bombs, the first
 * frame of an animation) and stored once by content hash in content/_media/<sha256>.webp. The
 * <img> is rewritten to that file, inside a link to the original; an image that fails stays
 * as it was, and the sanitizer turns it into a link, as before.
 */
import { join } from 'node:path';
import { Parser } from 'htmlparser2';
import type { Metadata, OutputInfo } from 'sharp';
import type { Outlet } from '../core/config.ts';
import { isoUtc } from '../core/article.ts';
import { describeError } from '../core/errors.ts';
import { pathExists, writeFileAtomic } from '../core/fs.ts';
import { limiter } from '../core/pool.ts';
import { projectPaths } from '../core/project.ts';
import { isPixel, MEDIA_DIR, safeUrl } from '../core/sanitize.ts';
import { onTrustedHost } from './address.ts';
import { IngestError } from './errors.ts';
import { fetchUrl, type FetchLimits } from './fetch.ts';
import type { IngestState } from './state.ts';
import { sha256Hex } from '../core/hash.ts';

export type ImageMode = 'lead' | 'all' | 'none';

export interface ImageLimits {
  /** Widest stored photo, in pixels. */
  maxWidth: number;
  /** Byte budget of one stored photo. */
  maxBytes: number;
  /** Largest decoded image (width × height) sharp may open: a 20,000 × 20,000 PNG of one colour is a few KB on the wire. */
  maxInputPixels: number;
  /** Photos taken from one article with `images: all`. */
  maxPerArticle: number;
  /** Downloads and encodes at the same time, for the whole run. */
  concurrency: number;
  /** Photos downloaded in one run (a feed of 500 items with 20 photos each must not fetch 10,000); the rest wait for the next runs. */
  maxPerRun: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxWidth: 800,
  maxBytes: 40_000,
  maxInputPixels: 50_000_000,
  maxPerArticle: 20,
  concurrency: 2,
  maxPerRun: 300,
};

/** Formats read; SVG is refused (a document, not a photo: scripts, external references). */
const INPUT_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif', 'tiff']);
const QUALITIES = [75, 55, 40, 28];
const MIN_WIDTH = 160;
const RETRY_FAILED_MS = 86_400_000;

export interface EncodedImage {
  data: Buffer;
  width: number;
  height: number;
}

/** Re-encode image bytes to a WebP that fits the limits, or throw ERR_IMAGE naming `url`. Pure: bytes in, bytes out. */
export async function encodeImage(input: Buffer, limits: ImageLimits = DEFAULT_IMAGE_LIMITS, url = 'the image'): Promise<EncodedImage> {
  // Loaded on first use: a run without photos to encode never pays for the native library.
  const { default: sharp } = await import('sharp');
  const fail = (why: string, cause?: unknown) => new IngestError('ERR_IMAGE', url, `${url}: ${why}`, { cause });
  const open = () => sharp(input, { limitInputPixels: limits.maxInputPixels, pages: 1, failOn: 'error', sequentialRead: true });
  let meta: Metadata;
  try {
    // The header only (no pixels decoded), so the size is checked here with a clear message.
    meta = await sharp(input, { limitInputPixels: false, pages: 1 }).metadata();
  } catch (error) {
    throw fail('not an image sharp can read', error);
  }
  if (!meta.format || !INPUT_FORMATS.has(meta.format)) throw fail(`a ${meta.format ?? 'unknown'} file, not a photo format`);
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (!pixels || pixels > limits.maxInputPixels) throw fail(`${meta.width}×${meta.height} pixels is more than the limit of ${limits.maxInputPixels} (a decompression bomb?); refused`);
  let base: { data: Buffer; info: OutputInfo };
  try {
    // Decoded once, upright (EXIF orientation applied), no wider than the limit; every encode below starts from it.
    base = await open().rotate().resize({ width: limits.maxWidth, withoutEnlargement: true }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw fail(`could not be decoded (${(error as Error).message})`, error);
  }
  const raw = { width: base.info.width, height: base.info.height, channels: base.info.channels };
  for (let width = base.info.width; ; width = Math.floor(width * 0.75)) {
    for (const quality of QUALITIES) {
      // No withMetadata(): sharp writes no EXIF, XMP, ICC or GPS into the output.
      const out = await sharp(base.data, { raw }).resize({ width }).webp({ quality, effort: 4 }).toBuffer({ resolveWithObject: true });
      if (out.data.length <= limits.maxBytes) return { data: out.data, width: out.info.width, height: out.info.height };
    }
    if (width <= MIN_WIDTH) throw fail(`does not fit in ${limits.maxBytes} bytes even at ${width} px wide`);
  }
}

/** content/_media/<sha256 of the WebP>.webp: the same photo is one file, however many articles use it. */
export async function storeImage(root: string, image: EncodedImage): Promise<string> {
  const file = `${sha256Hex(image.data)}.webp`;
  const path = join(projectPaths(root).content, MEDIA_DIR, file);
  if (!(await pathExists(path))) await writeFileAtomic(path, image.data);
  return file;
}

export interface ImageContext {
  root: string;
  limits: FetchLimits;
  imageLimits: ImageLimits;
  signal?: AbortSignal;
  state: IngestState;
  /** Shared by the whole run: bounds downloads and encodes across outlets. */
  run: <T>(work: () => Promise<T>) => Promise<T>;
  /** Told about each image that failed (a warning; the article is kept with a link). */
  onFailure?: (url: string, reason: string) => void;
  /** Downloads started in this run (bounded by maxPerRun). */
  downloads: number;
}

export function imageContext(base: Omit<ImageContext, 'run' | 'downloads'>): ImageContext {
  return { ...base, run: limiter(base.imageLimits.concurrency), downloads: 0 };
}

interface Found {
  start: number;
  end: number;
  url: string;
  alt: string;
  inLink: boolean;
}

/** The <img> tags of a body worth archiving, in order: http(s) after resolving, not pixels, src or a lazy-loading data-src. */
function findImages(html: string, baseUrl: string): Found[] {
  const found: Found[] = [];
  let links = 0;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === 'a') links++;
        if (name !== 'img' || isPixel(attribs)) return;
        const url = safeUrl(attribs['data-src'] || attribs['data-lazy-src'] || attribs.src, baseUrl);
        if (!/^https?:/.test(url)) return;
        found.push({ start: parser.startIndex, end: parser.endIndex, url, alt: attribs.alt ?? attribs.title ?? '', inLink: links > 0 });
      },
      onclosetag(name) {
        if (name === 'a' && links > 0) links--;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return found;
}

const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** One image URL to its archived file: from the state when known (and still on disk), else downloaded and encoded. */
async function archive(url: string, outlet: Outlet, ctx: ImageContext): Promise<{ file: string; width: number; height: number } | undefined> {
  const media = (ctx.state.media ??= {});
  const known = media[url];
  if (known && 'file' in known && (await pathExists(join(projectPaths(ctx.root).content, MEDIA_DIR, known.file)))) return known;
  if (known && 'failed' in known && Date.now() - Date.parse(known.failed) < RETRY_FAILED_MS) return undefined;
  // Over this run's budget: it stays a link (a later run that processes the article again archives it).
  if (ctx.downloads >= ctx.imageLimits.maxPerRun) return undefined;
  ctx.downloads++;
  try {
    return await ctx.run(async () => {
      const fetched = await fetchUrl({ url, limits: ctx.limits, signal: ctx.signal, accept: 'image/webp, image/avif, image/jpeg, image/png, image/*;q=0.8', publicOnly: !onTrustedHost(outlet, url) });
      const type = (fetched.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (type && !type.startsWith('image/') && type !== 'application/octet-stream') {
        throw new IngestError('ERR_IMAGE', url, `${url}: served as ${type}, not an image`);
      }
      if (type === 'image/svg+xml') throw new IngestError('ERR_IMAGE', url, `${url}: an SVG (a document, not a photo)`);
      const encoded = await encodeImage(fetched.body, { ...ctx.imageLimits, maxBytes: outlet.imageBytes ?? ctx.imageLimits.maxBytes }, url);
      const entry = { file: await storeImage(ctx.root, encoded), width: encoded.width, height: encoded.height };
      media[url] = entry;
      return entry;
    });
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    media[url] = { failed: isoUtc(new Date()) };
    ctx.onFailure?.(url, describeError(error));
    return undefined;
  }
}

export interface LocalizedHtml {
  html: string;
  /** The site-internal srcs written ("/_media/<file>"), for the sanitizer's `localImages`. */
  local: Set<string>;
}

/**
 * Archive an unsanitized body's images (per `mode`) and point its <img> tags at the copies:
 * `<a class="local-image" href="original"><img src="/_media/…" width height alt loading="lazy"></a>`
 * (no link when the image is inside one already). Everything else is left byte for byte.
 */
export async function localizeImages(html: string, baseUrl: string, outlet: Outlet, ctx: ImageContext): Promise<LocalizedHtml> {
  const mode: ImageMode = outlet.images ?? 'lead';
  const local = new Set<string>();
  if (mode === 'none' || !/<img/i.test(html)) return { html, local };
  const found = findImages(html, baseUrl).slice(0, mode === 'lead' ? 1 : ctx.imageLimits.maxPerArticle);
  const archived = await Promise.all(found.map((f) => archive(f.url, outlet, ctx)));
  let out = '';
  let at = 0;
  for (const [i, f] of found.entries()) {
    const entry = archived[i];
    if (!entry) continue;
    const src = `/${MEDIA_DIR}/${entry.file}`;
    local.add(src);
    const img = `<img src="${src}" width="${entry.width}" height="${entry.height}" alt="${attr(f.alt)}" loading="lazy">`;
    out += html.slice(at, f.start) + (f.inLink ? img : `<a class="local-image" href="${attr(f.url)}">${img}</a>`);
    at = f.end + 1;
  }
  return { html: out + html.slice(at), local };
}
