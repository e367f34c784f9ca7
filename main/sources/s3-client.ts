import { S3Client } from '@aws-sdk/client-s3';
import type { AwsSettings } from '../core/types';
import { awsRequestHandler } from './aws-request-handler';
import type { HttpTimeouts } from './http-timeouts';
import {
  clientCacheKey,
  keyedClients,
  maxAttemptsFrom,
  resolveClientTarget,
  retryModeFrom,
  type CredentialsFor,
  type SsmClientTarget,
} from './ssm-client';

export interface S3ClientOptions {
  /** Sockets per client. */
  concurrency: number;
  env?: NodeJS.ProcessEnv | undefined;
  credentialsFor?: CredentialsFor | undefined;
  timeouts?: Partial<HttpTimeouts> | undefined;
}

export interface S3ClientCache {
  get(aws: AwsSettings): Promise<S3Client>;
  destroy(): void;
  retire(): void;
}

/**
 * The S3 endpoint the SDK picks up by itself (`AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`), recorded to key the
 * cache and to choose path-style addressing.
 */
function configuredS3Endpoint(env: NodeJS.ProcessEnv): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === 'true') return undefined;
  return env.AWS_ENDPOINT_URL_S3?.trim() || env.AWS_ENDPOINT_URL?.trim() || undefined;
}

/** The same settings as the SSM clients (ssm-client.ts): retries, timeouts, profile, region, credentials. */
function createS3Client(
  target: SsmClientTarget,
  opts: S3ClientOptions,
  credentials: Awaited<ReturnType<CredentialsFor>> | undefined,
) {
  const profile = credentials ? credentials.profile : target.profile;
  return new S3Client({
    ...(profile !== undefined && { profile }),
    ...(credentials?.credentials && { credentials: credentials.credentials }),
    ...(target.region !== undefined && { region: target.region }),
    // A custom endpoint (moto, MinIO, a VPC endpoint by URL) rarely answers virtual-hosted bucket names.
    ...(target.endpoint !== undefined && { forcePathStyle: true }),
    retryMode: retryModeFrom(opts.env),
    maxAttempts: maxAttemptsFrom(opts.env),
    requestHandler: awsRequestHandler({ timeouts: opts.timeouts, env: opts.env, maxSockets: opts.concurrency }),
  });
}

/** One client per (profile, region, endpoint, credentials), as for SSM. */
export function createS3ClientCache(opts: S3ClientOptions): S3ClientCache {
  const clients = keyedClients<S3Client>();
  return {
    async get(aws) {
      const env = opts.env ?? process.env;
      const target = { ...resolveClientTarget(aws, env), endpoint: configuredS3Endpoint(env) };
      const credentials = opts.credentialsFor ? await opts.credentialsFor(aws, target.region) : undefined;
      return clients.getOrCreate(clientCacheKey(target, credentials), () => createS3Client(target, opts, credentials));
    },
    destroy: () => clients.destroy(),
    retire: () => clients.retire(),
  };
}
