import type { ErrorAction, ErrorCode } from '../../contract/errors';

/**
 * The one error type the core throws on purpose. The message is shown to people as is, so it must never contain
 * a secret value; `hint` says what to do about it on the command line, and `action` what the app can do about it
 * (a button; the app never shows the hint's commands).
 */
export class LatchkeyError extends Error {
  override readonly name = 'LatchkeyError';
  readonly action: ErrorAction | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown; action?: ErrorAction },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.action = options?.action;
  }
}

export function isLatchkeyError(error: unknown): error is LatchkeyError {
  return error instanceof LatchkeyError;
}
