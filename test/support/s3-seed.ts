import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { TEST_CREDENTIALS, TEST_REGION, motoEndpoint, testClientConfig } from './aws-env';

/** A test's S3 client on the suite's moto; path-style, as moto answers on one host. */
export function testS3Client(endpoint: string = motoEndpoint()): S3Client {
  return new S3Client({ ...testClientConfig(endpoint), forcePathStyle: true });
}

/**
 * A KMS key in moto, for SSE-KMS objects. No KMS client is installed (the app needs none), so this is moto's
 * JSON protocol spoken directly: moto reads the region from the Authorization header's scope and checks no
 * signature.
 */
export async function createKmsKey(endpoint: string = motoEndpoint()): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'TrentService.CreateKey',
      Authorization: `AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIALS.accessKeyId}/20260101/${TEST_REGION}/kms/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify({ Description: 'latchkey test key', KeyUsage: 'ENCRYPT_DECRYPT' }),
  });
  const body = (await response.json()) as { KeyMetadata?: { KeyId?: string; Arn?: string } };
  const arn = body.KeyMetadata?.Arn;
  if (!response.ok || !arn) throw new Error(`moto KMS CreateKey answered HTTP ${response.status}`);
  return arn;
}

/** A bucket with versioning on, so that every object has a VersionId. */
export async function createVersionedBucket(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
}

export type Encryption = { kmsKeyId: string } | 'AES256' | 'none';

/** Puts an object with the given encryption; returns its VersionId. */
export async function putObject(
  s3: S3Client,
  bucket: string,
  key: string,
  body: Uint8Array | string,
  encryption: Encryption,
): Promise<string | undefined> {
  const sse: Partial<PutObjectCommandInput> =
    encryption === 'none'
      ? {}
      : encryption === 'AES256'
        ? { ServerSideEncryption: 'AES256' }
        : { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: encryption.kmsKeyId };
  const out = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...sse }));
  return out.VersionId;
}

/** Bytes that no text decoding survives: NULs, every byte value, a lone UTF-8 lead byte, `size` bytes in all. */
export function binaryBytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  bytes[0] = 0;
  bytes[size - 1] = 0;
  bytes[size >> 1] = 0xc3;
  return bytes;
}
