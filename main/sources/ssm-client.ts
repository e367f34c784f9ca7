import { SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';
import type { AwsSettings } from '../core/types';
import { awsRequestHandler } from './aws-request-handler';
import type { HttpTimeouts } from './http-timeouts';

/** chamber's default retry budget (CHAMBER_RETRIES). */
export const DEFAULT_MAX_ATTEMPTS = 10;

/**
 * Where one client points, after the standard environment variables have had their say. Undefined where neither
 * the environment nor the manifest names one: the SDK's default chain decides.
 */
export interface SsmClientTarget {
  profile?: string | undefined;
  region?: string | undefined;
  /**
   * The endpoint the SDK will pick up from `AWS_ENDPOINT_URL_SSM` / `AWS_ENDPOINT_URL`. The SDK (3.1169) reads
   * those variables (and `endpoint_url` in the config file, and `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`) by
   * itself, so it is recorded here only to key the cache, never passed on.
   */
  endpoint?: string | undefined;
}

/**
 * The credentials a client is built with, chosen outside the sources (main/aws/pipeline-credentials.ts): a profile
 * for the SDK to resolve, or a provider. `key` tells choices apart for the client cache.
 */
export interface ClientCredentials {
  key: string;
  profile?: string;
  credentials?: SSMClientConfig['credentials'];
}

/** Chooses the credentials for one manifest `aws:` setting, in the client's region. */
export type CredentialsFor = (aws: AwsSettings, region: string | undefined) => Promise<ClientCredentials>;

export interface SsmClientOptions {
  /** Sockets per client: as many as requests the limiter lets run at once. */
  concurrency: number;
  env?: NodeJS.ProcessEnv | undefined;
  /** Without it, the SDK's chain runs with AWS_PROFILE, else the manifest's profile (the behaviour before CI). */
  credentialsFor?: CredentialsFor | undefined;
  /** Connect and request limits (http-timeouts.ts); tests make them short. */
  timeouts?: Partial<HttpTimeouts> | undefined;
}

/**
 * The standard variables override the manifest's settings, as they would for the AWS CLI's defaults:
 * AWS_PROFILE over `aws.profile`, AWS_REGION then AWS_DEFAULT_REGION over `aws.region`. (The SDK itself reads
 * AWS_REGION but not AWS_DEFAULT_REGION.) A region left unset falls to the profile's config file, via the SDK.
 */
export function resolveClientTarget(aws: AwsSettings, env: NodeJS.ProcessEnv = process.env): SsmClientTarget {
  return {
    profile: nonEmpty(env.AWS_PROFILE) ?? nonEmpty(aws.profile),
    region: nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? nonEmpty(aws.region),
    endpoint: configuredEndpoint(env),
  };
}

export function clientCacheKey(target: SsmClientTarget, credentials?: ClientCredentials): string {
  return JSON.stringify([target.profile ?? '', target.region ?? '', target.endpoint ?? '', credentials?.key ?? '']);
}

/** `LATCHKEY_AWS_MAX_ATTEMPTS` when it is a positive integer, else chamber's 10. */
export function maxAttemptsFrom(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LATCHKEY_AWS_MAX_ATTEMPTS?.trim();
  if (raw && /^\d+$/.test(raw) && Number(raw) >= 1) return Number(raw);
  return DEFAULT_MAX_ATTEMPTS;
}

/** `adaptive`, unless the standard AWS_RETRY_MODE asks for `standard`. */
export function retryModeFrom(env: NodeJS.ProcessEnv = process.env): 'adaptive' | 'standard' {
  return env.AWS_RETRY_MODE?.trim().toLowerCase() === 'standard' ? 'standard' : 'adaptive';
}

function createSsmClient(target: SsmClientTarget, opts: SsmClientOptions, credentials?: ClientCredentials): SSMClient {
  const profile = credentials ? credentials.profile : target.profile;
  return new SSMClient({
    // Only the settings that are set: the SDK's own defaults apply to the others.
    ...(profile !== undefined && { profile }),
    ...(credentials?.credentials && { credentials: credentials.credentials }),
    ...(target.region !== undefined && { region: target.region }),
    // Adaptive: on throttling the SDK slows its own send rate instead of hammering a 40 TPS account limit.
    retryMode: retryModeFrom(opts.env),
    maxAttempts: maxAttemptsFrom(opts.env),
    requestHandler: awsRequestHandler({ timeouts: opts.timeouts, env: opts.env, maxSockets: opts.concurrency }),
  });
}

interface CachedClient {
  key: string;
  client: SSMClient;
}

export interface SsmClientCache {
  get(aws: AwsSettings): Promise<CachedClient>;
  /** Closes every client's sockets. */
  destroy(): void;
  /** See keyedClients().retire. */
  retire(): void;
}

/** One client per (profile, region, endpoint): clients hold credentials, sockets and the adaptive rate state. */
export function createSsmClientCache(opts: SsmClientOptions): SsmClientCache {
  const clients = keyedClients<SSMClient>();
  return {
    async get(aws) {
      const target = resolveClientTarget(aws, opts.env);
      const credentials = opts.credentialsFor ? await opts.credentialsFor(aws, target.region) : undefined;
      const key = clientCacheKey(target, credentials);
      return { key, client: clients.getOrCreate(key, () => createSsmClient(target, opts, credentials)) };
    },
    destroy: () => clients.destroy(),
    retire: () => clients.retire(),
  };
}

/** Longer than a request may take (http-timeouts.ts), so a request under way when its client is retired finishes. */
const RETIRED_CLIENT_GRACE_MS = 60_000;

/** The clients of one service kept by `clientCacheKey` for the life of the process (SSM here, S3 in s3-client.ts). */
export function keyedClients<C extends { destroy(): void }>() {
  const clients = new Map<string, C>();
  return {
    getOrCreate(key: string, create: () => C): C {
      let client = clients.get(key);
      if (!client) {
        client = create();
        clients.set(key, client);
      }
      return client;
    },
    /** Closes every client's sockets. */
    destroy(): void {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
    /**
     * A client keeps the credentials it first resolved (the SDK memoizes them until they expire), so a session
     * ended or started since would go unnoticed: the next use builds a new client that reads them again. The old
     * ones close after a grace period rather than at once, which would fail a request under way.
     */
    retire(graceMs: number = RETIRED_CLIENT_GRACE_MS): void {
      const retired = [...clients.values()];
      clients.clear();
      if (retired.length === 0) return;
      setTimeout(() => {
        for (const client of retired) client.destroy();
      }, graceMs).unref();
    },
  };
}

function configuredEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  const ignore = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase();
  if (ignore === 'true') return undefined;
  return nonEmpty(env.AWS_ENDPOINT_URL_SSM) ?? nonEmpty(env.AWS_ENDPOINT_URL);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
