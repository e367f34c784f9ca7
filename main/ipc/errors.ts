import type { z } from 'zod';
import { ERROR_CODES, INTERNAL_MESSAGE, type ErrorCode } from '../../contract/errors';
import { IpcErrorSchema, type IpcError } from '../../contract/ipc';
import { isLatchkeyError } from '../core/errors';
import { NeedsInputError } from '../core/keychain';
import { ManifestError } from '../core/manifest';
import { safeErrorMessage, scrubSecrets } from '../core/redact';

export function ipcError(code: ErrorCode, message: string, hint?: string): IpcError {
  return { code, message, ...(hint !== undefined && { hint }) };
}

export function internalError(): IpcError {
  return ipcError('INTERNAL', INTERNAL_MESSAGE);
}

/**
 * A LatchkeyError carries a message written for people that names no values: it crosses as is, with the
 * manifest's problems or the missing personal secrets when it has them. Anything else becomes INTERNAL.
 */
export function toIpcError(error: unknown): { error: IpcError; expected: boolean } {
  if (!isLatchkeyError(error) || !(ERROR_CODES as readonly string[]).includes(error.code)) {
    return { error: internalError(), expected: false };
  }
  // The one sanitiser every edge uses (core/redact.ts): no resolved value crosses, whatever quoted it.
  const message = safeErrorMessage(error);
  const hint = error.hint === undefined ? undefined : scrubSecrets(error.hint);
  const candidate: IpcError = {
    ...ipcError(error.code, message, hint),
    ...(error instanceof ManifestError && { problems: error.problems }),
    ...(error instanceof NeedsInputError && { missing: error.missing.map((m) => m.name) }),
    ...(error.action && { action: error.action }),
  };
  const checked = IpcErrorSchema.safeParse(candidate);
  return { error: checked.success ? checked.data : ipcError(error.code, message, hint), expected: true };
}

const MAX_LISTED_ISSUES = 8;
const MAX_SEGMENT_CHARS = 60;

/**
 * "Invalid input for plan: profile: does not match the expected pattern; takeRemote[3]: expected a string".
 * Paths and what was expected, in our words: never the received value, which may be a secret pasted in the
 * wrong place, and never zod's own messages, which may one day quote it.
 */
export function describeInvalidInput(method: string, error: z.ZodError): string {
  const issues = error.issues
    .slice(0, MAX_LISTED_ISSUES)
    .map((issue) => `${formatIssuePath(issue.path)}: ${issueText(issue)}`);
  const more = error.issues.length > MAX_LISTED_ISSUES ? `; and ${error.issues.length - MAX_LISTED_ISSUES} more` : '';
  return `Invalid input for ${method}: ${issues.join('; ')}${more}`;
}

/**
 * A key the path may show as is: anything else in an input's keys (a pasted secret used as a map key, say) could be
 * a value, so it is shown as `[…]`.
 */
const PLAIN_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

function formatIssuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(input)';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const text = String(segment);
      const shown = PLAIN_KEY_PATTERN.test(text) && text.length <= MAX_SEGMENT_CHARS ? text : '[…]';
      out += out && !shown.startsWith('[') ? `.${shown}` : shown;
    }
  }
  return out;
}

function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'undefined' ? 'not expected here' : `expected ${article(issue.expected)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `too long (at most ${String(issue.maximum)} characters)`
        : issue.origin === 'array'
          ? `too many items (at most ${String(issue.maximum)})`
          : `too large (at most ${String(issue.maximum)})`;
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) <= 1
          ? 'must not be empty'
          : `too short (at least ${String(issue.minimum)} characters)`
        : issue.origin === 'array'
          ? `too few items (at least ${String(issue.minimum)})`
          : `too small (at least ${String(issue.minimum)})`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'does not have the expected form' : `expected a valid ${issue.format}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'does not match any allowed shape';
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'has an element that is not allowed';
    case 'unrecognized_keys':
      return 'has keys that are not allowed';
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return 'is not valid';
  }
}

const TYPE_WORDS: Record<string, string> = {
  int: 'a whole number',
  object: 'an object',
  array: 'a list',
  boolean: 'true or false',
};

function article(type: string): string {
  return TYPE_WORDS[type] ?? (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
}
