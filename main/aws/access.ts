import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { awsRequestHandler } from '../sources/aws-request-handler';
import type { AwsSettings } from '../core/types';
import { resolveClientTarget } from '../sources/ssm-client';

/**
 * "Can this machine reach AWS as the manifest's profile?" for the readiness checklist: one STS
 * GetCallerIdentity, which needs no permissions, with the same profile and region rules as the SSM clients
 * (AWS_PROFILE over `aws.profile`, AWS_REGION / AWS_DEFAULT_REGION over `aws.region`). The SDK itself picks the
 * endpoint from AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL, as the SSM clients do for theirs.
 */
export interface AwsAccessResult {
  ok: boolean;
  /** Who we are, or what went wrong and what to do: never a credential. */
  detail: string;
  account?: string;
  arn?: string;
}

const AWS_PROBE_TIMEOUT_MS = 6_000;

export async function probeAwsAccess(
  aws: AwsSettings,
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<AwsAccessResult> {
  const target = resolveClientTarget(aws, opts.env);
  const timeoutMs = opts.timeoutMs ?? AWS_PROBE_TIMEOUT_MS;
  const who = target.profile ? `profile ${target.profile}` : 'the default credentials';
  const client = new STSClient({
    // Only the settings that are set: the SDK's own defaults apply to the others.
    ...(target.profile !== undefined && { profile: target.profile }),
    ...(target.region !== undefined && { region: target.region }),
    // The SDK keeps the AWS files it read for the life of the process: without ignoreCache the checklist went on
    // reporting no credentials after a session was written into the credentials file (issue 14, found 4). Reading
    // them again also renews that cache for the source clients made after this.
    credentials: fromNodeProviderChain({
      ...(target.profile !== undefined && { profile: target.profile }),
      ...(target.region !== undefined && { clientConfig: { region: target.region } }),
      ignoreCache: true,
    }),
    maxAttempts: 2,
    requestHandler: awsRequestHandler({
      timeouts: { connectMs: Math.min(3_000, timeoutMs), requestMs: timeoutMs },
      env: opts.env,
    }),
  });
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // Finding credentials (SSO, process, instance metadata) is not covered by the request timeout: cap the whole.
    timer = setTimeout(() => {
      abort.abort();
      reject(new ProbeTimeout());
    }, timeoutMs);
  });
  try {
    const identity = await Promise.race([
      client.send(new GetCallerIdentityCommand({}), { abortSignal: abort.signal }),
      timeout,
    ]);
    return {
      ok: true,
      detail: `signed in${identity.Account ? ` to account ${identity.Account}` : ''}${identity.Arn ? ` as ${identity.Arn}` : ''}`,
      ...(identity.Account && { account: identity.Account }),
      ...(identity.Arn && { arn: identity.Arn }),
    };
  } catch (error) {
    return { ok: false, detail: describeAccessError(error, who, timeoutMs) };
  } finally {
    clearTimeout(timer);
    client.destroy();
  }
}

class ProbeTimeout extends Error {
  override readonly name = 'ProbeTimeout';
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** AWS's words for the common failures, turned into what to do; anything else by its error name. */
export function describeAccessError(error: unknown, who: string, timeoutMs: number): string {
  const name = (error as { name?: unknown } | null)?.name;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  if (error instanceof ProbeTimeout || name === 'TimeoutError' || name === 'AbortError') {
    return `AWS did not answer within ${Math.round(timeoutMs / 1000)} s for ${who}: check the network or VPN`;
  }
  if (name === 'CredentialsProviderError' || /could not (load|resolve) credentials/i.test(message)) {
    return `no AWS credentials found for ${who}: configure it in ~/.aws, or sign in (aws sso login)`;
  }
  if (/region is missing/i.test(message)) {
    return 'no AWS region: set aws.region in latchkey.yml or a region in the AWS profile';
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException' || /expired/i.test(String(name))) {
    return `the AWS session for ${who} has expired: sign in again`;
  }
  if (
    name === 'InvalidClientTokenId' ||
    name === 'SignatureDoesNotMatch' ||
    name === 'UnrecognizedClientException' ||
    name === 'AccessDenied'
  ) {
    return `AWS refused the credentials of ${who} (${String(name)})`;
  }
  if (typeof code === 'string' && NETWORK_CODES.has(code))
    return `cannot reach AWS STS (${code}): check the network or VPN`;
  return `AWS access check failed for ${who} (${typeof name === 'string' ? scrub(name) : 'unknown error'}${message ? `: ${scrub(message)}` : ''})`;
}

/** AWS messages carry no secret keys, but an access key id may appear: it is not ours to show. */
function scrub(text: string): string {
  return text.replace(/\b(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g, '$1…').slice(0, 300);
}
