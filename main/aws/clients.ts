import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import type { HttpTimeouts } from '../sources/http-timeouts';

// The SDK modules load with the first client (issue 12: start-up): `aws credential-process` with a cached session,
// or a command that only reads the AWS files, never loads them.

/**
 * STS and IAM clients with explicit credentials: Latchkey never lets the SDK resolve a profile here, because the
 * profile being worked on may itself run `latchkey aws credential-process` (that would recurse) or need an MFA
 * prompt that no one sees.
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

// `| undefined`: callers forward their own optional settings; undefined means the environment's default.
export interface AwsClientOptions {
  env?: NodeJS.ProcessEnv | undefined;
  /** Overrides AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL (tests, fault proxies). */
  endpoint?: string | undefined;
  region?: string | undefined;
  /** Connect and request limits (sources/http-timeouts.ts); tests make them short. */
  timeouts?: Partial<HttpTimeouts> | undefined;
}

/** The request handler with Latchkey's time limits, for every client built here. */
export async function requestHandlerFor(opts: AwsClientOptions) {
  const { awsRequestHandler } = await import('../sources/aws-request-handler');
  return awsRequestHandler({ timeouts: opts.timeouts, env: opts.env });
}

/** Whole-call limit for one STS, IAM or SSO call, retries included: a body that trickles in ends here. */
const AWS_CALL_DEADLINE_MS = 60_000;

export function callDeadline(): { abortSignal: AbortSignal } {
  return { abortSignal: AbortSignal.timeout(AWS_CALL_DEADLINE_MS) };
}

function endpointFor(service: 'STS' | 'IAM', opts: AwsClientOptions): string | undefined {
  const env = opts.env ?? process.env;
  return opts.endpoint ?? env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL ?? undefined;
}

function regionFor(opts: AwsClientOptions): string {
  const env = opts.env ?? process.env;
  return opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

export async function stsClient(
  credentials: AwsCredentials,
  opts: AwsClientOptions = {},
  maxAttempts = 3,
): Promise<STSClient> {
  const endpoint = endpointFor('STS', opts);
  const { STSClient } = await import('./sdk-sts');
  return new STSClient({
    credentials,
    region: regionFor(opts),
    maxAttempts,
    requestHandler: await requestHandlerFor(opts),
    ...(endpoint && { endpoint }),
  });
}

/** IAM retries LimitExceeded as throttling: rotation passes maxAttempts 1 where the quota error is the answer. */
export async function iamClient(
  credentials: AwsCredentials,
  opts: AwsClientOptions = {},
  maxAttempts = 3,
): Promise<IAMClient> {
  const endpoint = endpointFor('IAM', opts);
  const { IAMClient } = await import('./sdk-iam');
  return new IAMClient({
    credentials,
    region: regionFor(opts),
    maxAttempts,
    requestHandler: await requestHandlerFor(opts),
    ...(endpoint && { endpoint }),
  });
}

/** The AWS error name (InvalidClientTokenId, LimitExceeded …) for messages: never the request or a credential. */
export function awsErrorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'unknown error';
}
