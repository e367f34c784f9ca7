import type { ErrorCode } from '../../contract/errors';

/**
 * The one error type the core throws on purpose. The message is shown to people as is, so it must never contain
 * a secret value; `hint` says what to do about it.
 */
export class LatchkeyError extends Error {
  override readonly name = 'LatchkeyError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isLatchkeyError(error: unknown): error is LatchkeyError {
  return error instanceof LatchkeyError;
}
