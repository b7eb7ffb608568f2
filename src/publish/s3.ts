/**
 * `s3` target (AWS, R2, B2, Spaces, MinIO): list the bucket under `prefix`,
 * upload new and changed files (ETag = MD5 compared) with Content-Type,
 * Cache-Control and Content-MD5, then index.html and the manifest last, then
 * delete keys the new manifest no longer lists.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Mirror } from '../core/config.ts';
import { isLastFile, MARKER, MARKER_TEXT, uploadOrder } from './build.ts';
import { contentType } from '../core/mime.ts';
import { cacheControl } from '../core/cache-control.ts';
import { mapLimit } from '../core/pool.ts';
import { createProgress } from '../core/progress.ts';
import { PublishError, secretFromEnv, type BuildFile, type Target, type TargetContext } from './types.ts';

type S3Mirror = Extract<Mirror, { type: 's3' }>;

export function s3Client(ctx: TargetContext<S3Mirror>): S3Client {
  const { mirror } = ctx;
  return new S3Client({
    region: mirror.region,
    endpoint: mirror.endpoint,
    forcePathStyle: mirror.forcePathStyle,
    credentials: {
      accessKeyId: secretFromEnv(ctx.env, mirror.accessKeyEnv, mirror, 'accessKeyEnv'),
      secretAccessKey: secretFromEnv(ctx.env, mirror.secretKeyEnv, mirror, 'secretKeyEnv'),
    },
    // Many S3-compatible hosts reject the newer default checksums; send them only when an operation needs one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Retries are ours (with backoff and the mirror's timeout), not the SDK's.
    maxAttempts: 1,
  });
}

/** "" or "a/b/" */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed ? `${trimmed}/` : '';
}

/** key → ETag (without quotes) of every object under the prefix. */
async function listBucket(client: S3Client, bucket: string, prefix: string, signal: AbortSignal): Promise<Map<string, string>> {
  const objects = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }), { abortSignal: signal });
    for (const object of page.Contents ?? []) if (object.Key) objects.set(object.Key, (object.ETag ?? '').replace(/"/g, ''));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

async function md5(file: BuildFile): Promise<{ hex: string; bytes: Buffer }> {
  const bytes = await readFile(file.abs);
  return { hex: createHash('md5').update(bytes).digest('hex'), bytes };
}

function describe(error: unknown, what: string, mirror: S3Mirror): PublishError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const auth = status === 403 || e.name === 'InvalidAccessKeyId' || e.name === 'SignatureDoesNotMatch';
  const hint = auth ? `; check the keys in $${mirror.accessKeyEnv} / $${mirror.secretKeyEnv}` : e.name === 'NoSuchBucket' ? '; create the bucket first' : '';
  return new PublishError('ERR_S3', `mirror "${mirror.name}": ${what} in bucket ${mirror.bucket}${mirror.endpoint ? ` at ${mirror.endpoint}` : ''} failed: ${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(error)}${hint}`, { cause: error, retryable: !auth && e.name !== 'NoSuchBucket' });
}

export const s3Target: Target<S3Mirror> = {
  type: 's3',
  async publish(ctx: TargetContext<S3Mirror>) {
    const { mirror, signal } = ctx;
    const client = s3Client(ctx);
    const prefix = normalizePrefix(mirror.prefix);
    try {
      const remote = await listBucket(client, mirror.bucket, prefix, signal).catch((error) => {
        throw describe(error, 'listing', mirror);
      });
      if (remote.size > 0 && !remote.has(`${prefix}manifest.json`) && !remote.has(prefix + MARKER)) {
        throw new PublishError('ERR_UNSAFE_DEST', `mirror "${mirror.name}": bucket ${mirror.bucket} has objects under "${prefix}" but no ${prefix}manifest.json, so it is not a newsmirror mirror; refusing to replace them (set "prefix" or use an empty bucket)`, { retryable: false });
      }
      const all = [...ctx.build.files, ...ctx.bundles.send];
      const changed: BuildFile[] = [];
      await mapLimit(all, 16, async (file) => {
        const etag = remote.get(prefix + file.path);
        if (etag === undefined || etag.includes('-') || etag !== (await md5(file)).hex) changed.push(file);
      }, signal);
      const listed = new Set([...all.map((f) => prefix + f.path), ...ctx.bundles.keep.map((p) => prefix + p)]);
      const stale = [...remote.keys()].filter((key) => !listed.has(key) && key !== prefix + MARKER);
      const ordered = uploadOrder(changed.sort((a, b) => (a.path < b.path ? -1 : 1)));
      const bytes = ordered.reduce((s, f) => s + f.size, 0);
      const where = `s3://${mirror.bucket}/${prefix}`;
      if (ctx.dryRun) return { files: ordered.length, bytes, url: mirror.url, detail: `would upload ${ordered.length} files (${bytes} bytes) and delete ${stale.length} objects in ${where}` };
      if (!remote.has(prefix + MARKER)) {
        await client.send(new PutObjectCommand({ Bucket: mirror.bucket, Key: prefix + MARKER, Body: MARKER_TEXT, ContentType: 'text/plain; charset=utf-8' }), { abortSignal: signal }).catch((error) => {
          throw describe(error, `writing ${prefix + MARKER}`, mirror);
        });
      }
      const progress = createProgress(ctx.reporter, `${mirror.name}: uploading`, ordered.length, { unit: 'files' });
      const put = async (file: BuildFile) => {
        const { hex, bytes: body } = await md5(file);
        await client.send(new PutObjectCommand({
          Bucket: mirror.bucket,
          Key: prefix + file.path,
          Body: body,
          ContentLength: body.length,
          ContentType: contentType(file.path),
          CacheControl: cacheControl(file.path),
          ContentMD5: Buffer.from(hex, 'hex').toString('base64'),
          Metadata: { sha256: file.sha256 },
        }), { abortSignal: signal }).catch((error) => {
          throw describe(error, `uploading ${prefix + file.path}`, mirror);
        });
        progress.tick();
      };
      await mapLimit(ordered.filter((f) => !isLastFile(f)), 8, put, signal);
      for (const file of ordered.filter(isLastFile)) await put(file);
      for (let i = 0; i < stale.length; i += 1000) {
        const batch = stale.slice(i, i + 1000);
        const result = await client.send(new DeleteObjectsCommand({ Bucket: mirror.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }), { abortSignal: signal }).catch((error) => {
          throw describe(error, 'deleting old files', mirror);
        });
        if (result.Errors?.length) throw new PublishError('ERR_S3', `mirror "${mirror.name}": could not delete ${result.Errors.length} old objects, e.g. ${result.Errors[0]?.Key}: ${result.Errors[0]?.Message}`);
      }
      return { files: ordered.length, bytes, url: mirror.url, detail: `uploaded ${ordered.length} files (${bytes} bytes), deleted ${stale.length} objects in ${where}` };
    } finally {
      client.destroy();
    }
  },
};
