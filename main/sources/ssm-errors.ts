import { LatchkeyError } from '../core/errors';
import type { SourceKind } from '../core/types';
import type { SsmOperation } from './ssm-stats';

/** A failed AWS call, with what it was for; turned into a LatchkeyError once it decides the resolve. */
export class SsmCallError extends Error {
  constructor(
    readonly operation: SsmOperation,
    readonly owners: string[],
    override readonly cause: unknown,
  ) {
    super(`${operation} failed`);
  }
}

const DENIED_NAMES = new RegExp(
  [
    'AccessDenied',
    'NotAuthorized',
    'UnrecognizedClient',
    'InvalidClientTokenId',
    'ExpiredToken',
    'InvalidSignature',
    'SignatureDoesNotMatch',
    'CredentialsProviderError',
  ].join('|'),
);

/** An AWS error that means "not allowed" (or "not who you think"); moto in auth mode answers 403 in XML. */
export function isDeniedError(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return DENIED_NAMES.test(errorName(error)) || status === 403;
}

export function isAccessDenied(error: unknown): boolean {
  return error instanceof SsmCallError && errorName(error.cause) === 'AccessDeniedException';
}

/** The error that fails the resolve. Its text never holds a value: `knownValues` (read so far) are redacted. */
export function toLatchkeyError(error: unknown, kind: SourceKind, knownValues: Set<string>): LatchkeyError {
  if (error instanceof LatchkeyError) return error;
  if (!(error instanceof SsmCallError)) {
    return new LatchkeyError('INTERNAL', `Reading ${kind} sources failed unexpectedly: ${errorName(error)}`);
  }
  const name = errorName(error.cause);
  const denied = DENIED_NAMES.test(name);
  const text = redact(
    `${ownersText(error.owners)}: AWS SSM ${error.operation} failed: ${describeAwsError(error.cause)}`,
    knownValues,
  );
  const hint = denied
    ? 'Check the AWS profile and its credentials, and that its policy allows ssm:GetParameters, ' +
      'ssm:DescribeParameters (or ssm:GetParametersByPath) on these parameters and kms:Decrypt on their key.'
    : /region is missing/i.test(text)
      ? 'Set aws.region in latchkey.yml, or AWS_REGION, or a region in the AWS profile.'
      : 'Try again; if it keeps failing, check the network, the AWS endpoint and the AWS status.';
  return new LatchkeyError(denied ? 'ACCESS_DENIED' : 'SOURCE_FAILED', text, hint);
}

/**
 * The error's name and, where it cannot carry response content, its message. Service errors come from AWS error
 * bodies, which echo names but never values. Anything else (a response that failed to parse, say) may quote the
 * body it choked on, so only its name and system code are shown.
 */
export function describeAwsError(error: unknown): string {
  const name = errorName(error);
  const details = error as {
    message?: unknown;
    code?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const message = typeof details?.message === 'string' ? oneLine(details.message) : '';
  const status = details?.$metadata?.httpStatusCode;
  if (typeof details?.$fault === 'string' && typeof status === 'number' && status >= 400) {
    return message && message !== 'UnknownError' ? `${name}: ${message}` : `${name} (HTTP ${status})`;
  }
  if (typeof details?.code === 'string' && /^E[A-Z0-9_]+$/.test(details.code)) return `${name} (${details.code})`;
  const fixedText = /^(TimeoutError|CredentialsProviderError|ProviderError|AbortError)$/.test(name);
  if (fixedText || /region is missing/i.test(message)) {
    return message ? `${name}: ${message}` : name;
  }
  return `${name} (details withheld: they may quote the response)`;
}

function errorName(error: unknown): string {
  if (error instanceof Error) return error.name || 'Error';
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'unknown error';
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

/** Belt and braces: no value this resolve has read may appear in its error text. */
function redact(text: string, knownValues: Set<string>): string {
  let out = text;
  for (const value of knownValues) {
    if (value.length >= 4 && out.includes(value)) out = out.split(value).join('[redacted]');
  }
  return out;
}

function ownersText(owners: string[]): string {
  if (owners.length <= 3) return owners.join(', ');
  return `${owners.slice(0, 3).join(', ')} and ${owners.length - 3} more`;
}
