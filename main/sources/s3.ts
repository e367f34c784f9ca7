import { GetObjectCommand, HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { LatchkeyError } from '../core/errors';
import {
  originId,
  type AwsSettings,
  type ResolveContext,
  type ResolveResult,
  type ResolvedSecret,
  type S3Spec,
  type SecretSource,
} from '../core/types';
import type { HttpTimeouts } from './http-timeouts';
import { createLimiter, DEFAULT_CONCURRENCY } from './limiter';
import { createS3ClientCache } from './s3-client';
import type { CredentialsFor } from './ssm-client';

/**
 * `s3:` sources: an object's exact bytes, for a file secret (`file:`) or, as UTF-8 text, for a variable (`as:`).
 * HeadObject comes first: it says whether the object is encrypted at rest, its version and its size, so that an
 * object whose version we wrote last time (and which is still untouched in its file) is never downloaded again.
 * GetObject then asks for exactly that version, so the bytes are the ones that were checked.
 */

/** Far above any key, certificate or keystore; a bigger object is someone's mistake, and is refused unread. */
const MAX_S3_OBJECT_BYTES = 64 * 1024 * 1024;

/** The server-side encryption S3 reports for an object: SSE-KMS (also dual-layer) or SSE-S3. */
const ACCEPTED_ENCRYPTION = new Set(['aws:kms', 'aws:kms:dsse', 'AES256']);

export interface S3SourceOptions {
  concurrency?: number | undefined;
  /** Supplies the client instead of the built-in cache (tests). */
  clientFor?: (aws: AwsSettings) => S3Client;
  env?: NodeJS.ProcessEnv;
  credentialsFor?: CredentialsFor;
  timeouts?: Partial<HttpTimeouts>;
}

export interface S3Source extends SecretSource<'s3'> {
  /** An object's metadata (HeadObject only: its version and date), never its body: the Rotation worklist's scan. */
  describe(spec: S3Spec, signal?: AbortSignal): Promise<S3ObjectInfo>;
  destroy(): void;
  /** The next request reads its credentials again (after a session started or ended). */
  retireClients(): void;
}

export interface S3ObjectInfo {
  bucket: string;
  key: string;
  /** The VersionId, or the ETag where the bucket is unversioned (as a sync records it). */
  version?: string | undefined;
  lastModified?: string | undefined;
}

function parseS3Url(url: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/s.exec(url);
  if (!match) throw new LatchkeyError('MANIFEST_INVALID', `expected s3://bucket/key; found ${JSON.stringify(url)}`);
  return { bucket: match[1]!, key: match[2]! };
}

export function createS3Source(opts: S3SourceOptions = {}): S3Source {
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const cache = createS3ClientCache({
    concurrency,
    env: opts.env,
    credentialsFor: opts.credentialsFor,
    timeouts: opts.timeouts,
  });
  const clientFor = async (aws: AwsSettings) => (opts.clientFor ? opts.clientFor(aws) : cache.get(aws));
  const limiter = createLimiter(concurrency);

  return {
    kind: 's3',
    async resolve(specs, ctx): Promise<ResolveResult> {
      let done = 0;
      const total = specs.length;
      ctx.onProgress?.({ kind: 's3', done, total });
      // The step names what is awaited, so that a passed deadline can say which object did not answer.
      const step = (text: string) => ctx.onProgress?.({ kind: 's3', done, total, step: text });
      const secrets = await Promise.all(
        specs.map((spec) =>
          limiter.run(
            async () => {
              const secret = await resolveObject(await clientFor(spec.aws), spec, ctx, step);
              done += 1;
              ctx.onProgress?.({ kind: 's3', done, total });
              return secret;
            },
            { signal: ctx.signal },
          ),
        ),
      );
      return { secrets, warnings: [] };
    },
    async describe(spec, signal) {
      const { bucket, key } = parseS3Url(spec.url);
      const client = await clientFor(spec.aws);
      let head: HeadObjectCommandOutput;
      try {
        head = await limiter.run(
          () => client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), signal ? { abortSignal: signal } : {}),
          { signal },
        );
      } catch (error) {
        throw s3Error(spec.url, 'HeadObject', error);
      }
      const versionId = head.VersionId && head.VersionId !== 'null' ? head.VersionId : undefined;
      return { bucket, key, version: versionId ?? head.ETag, lastModified: head.LastModified?.toISOString() };
    },
    destroy: cache.destroy,
    retireClients: cache.retire,
  };
}

async function resolveObject(
  client: S3Client,
  spec: S3Spec,
  ctx: ResolveContext,
  report: (step: string) => void,
): Promise<ResolvedSecret> {
  const { bucket, key } = parseS3Url(spec.url);
  const step = (operation: string) => report(`${operation} ${spec.url}`);
  const send = ctx.signal ? { abortSignal: ctx.signal } : {};

  step('HeadObject');
  let head: HeadObjectCommandOutput;
  try {
    head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), send);
  } catch (error) {
    throw s3Error(spec.url, 'HeadObject', error);
  }
  assertEncrypted(spec, head.ServerSideEncryption);
  const size = head.ContentLength ?? 0;
  if (size > MAX_S3_OBJECT_BYTES) {
    throw new LatchkeyError(
      'SOURCE_FAILED',
      `${spec.url} is ${size} bytes, more than the ${MAX_S3_OBJECT_BYTES} bytes Latchkey reads for a secret`,
      'Point the source at the secret itself, not an archive of it.',
    );
  }
  // An unversioned bucket reports the VersionId "null": its ETag says when the bytes change.
  const versionId = head.VersionId && head.VersionId !== 'null' ? head.VersionId : undefined;
  const version = versionId ?? head.ETag;
  const meta = {
    ...(version !== undefined && { version }),
    ...(head.LastModified && { modifiedAt: head.LastModified.toISOString() }),
    size,
  };
  // A file secret's origin names its path too: one object may be written to two files, each with its own state.
  const sourceKey = spec.file ?? spec.url;
  const base = { spec, sourceKey, meta };
  if (version !== undefined && ctx.canReuse(originId(spec, sourceKey), version)) return { ...base, reused: true };

  step('GetObject');
  let bytes: Uint8Array;
  try {
    const object = await client.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(versionId !== undefined ? { VersionId: versionId } : head.ETag !== undefined && { IfMatch: head.ETag }),
      }),
      send,
    );
    assertEncrypted(spec, object.ServerSideEncryption);
    if (!object.Body) throw new Error('GetObject returned no body');
    bytes = await object.Body.transformToByteArray();
  } catch (error) {
    throw s3Error(spec.url, 'GetObject', error);
  }
  if (bytes.length !== size) {
    throw new LatchkeyError(
      'SOURCE_FAILED',
      `${spec.url}: read ${bytes.length} bytes where HeadObject announced ${size}; nothing was written`,
      'Try again: the object may have changed while it was read.',
    );
  }
  if (spec.file !== undefined) return { ...base, bytes };
  return { ...base, value: utf8Text(spec, bytes) };
}

function assertEncrypted(spec: S3Spec, encryption: string | undefined): void {
  if (spec.allowUnencrypted || (encryption !== undefined && ACCEPTED_ENCRYPTION.has(encryption))) return;
  throw new LatchkeyError(
    'SOURCE_FAILED',
    `${spec.url} is stored without server-side encryption${encryption ? ` (${encryption})` : ''}; nothing was written`,
    'Store it with SSE-KMS (aws s3 cp --sse aws:kms) or SSE-S3 (AES256), or add allowUnencrypted: true to the source.',
  );
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A variable holds text: an object that is not UTF-8 belongs in a file. */
function utf8Text(spec: S3Spec, bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new LatchkeyError(
      'SOURCE_FAILED',
      `${spec.url} is not UTF-8 text, so it cannot be the variable ${spec.as ?? ''}`,
      'Write it to a file instead: replace as: with file: <path>.',
    );
  }
}

/** An SDK failure in words. S3 error bodies name the bucket and key, never object content; only names are shown. */
function s3Error(url: string, operation: string, error: unknown): LatchkeyError {
  if (error instanceof LatchkeyError) return error;
  const details = error as { name?: unknown; $metadata?: { httpStatusCode?: number } } | undefined;
  const name = typeof details?.name === 'string' ? details.name : 'Error';
  const status = details?.$metadata?.httpStatusCode;
  if (name === 'AbortError') return new LatchkeyError('SOURCE_FAILED', `${operation} ${url} was cancelled`);
  if (name === 'NotFound' || name === 'NoSuchKey' || name === 'NoSuchVersion' || status === 404) {
    return new LatchkeyError(
      'SOURCE_FAILED',
      `${url} does not exist (${operation}: ${name === 'NotFound' ? 'HTTP 404' : name}); nothing was written`,
      'Check the bucket and key in latchkey.yml, and the AWS account and region.',
    );
  }
  if (name === 'NoSuchBucket') {
    return new LatchkeyError('SOURCE_FAILED', `the bucket of ${url} does not exist; nothing was written`);
  }
  if (/AccessDenied|Forbidden|InvalidAccessKeyId|SignatureDoesNotMatch|ExpiredToken/.test(name) || status === 403) {
    return new LatchkeyError(
      'ACCESS_DENIED',
      `${operation} ${url} was denied (${name === 'Forbidden' ? 'HTTP 403' : name}); nothing was written`,
      'Check the AWS profile and that its policy allows s3:GetObject (and s3:GetObjectVersion) on this key and kms:Decrypt on its key.',
    );
  }
  const shown = status !== undefined ? `${name} (HTTP ${status})` : name;
  return new LatchkeyError(
    'SOURCE_FAILED',
    `${operation} ${url} failed: ${shown}; nothing was written`,
    'Try again; if it keeps failing, check the network and the AWS endpoint.',
  );
}
