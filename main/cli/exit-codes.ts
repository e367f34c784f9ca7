import type { ErrorCode } from '../../contract/errors';

/** Exit codes are part of the CLI's contract with scripts and CI; the README lists them, row by row. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  manifest: 3,
  planErrors: 4,
  source: 5,
  needsInput: 6,
  keychain: 7,
  target: 8,
  drift: 9,
  audit: 10,
} as const;

// A full record, so that a new error code cannot ship without a decided exit status (and a README row).
const BY_CODE: Record<ErrorCode, number> = {
  MANIFEST_NOT_FOUND: EXIT.manifest,
  MANIFEST_INVALID: EXIT.manifest,
  PROFILE_NOT_FOUND: EXIT.manifest,
  INVALID_NAME: EXIT.manifest,
  PLAN_HAS_ERRORS: EXIT.planErrors,
  SOURCE_FAILED: EXIT.source,
  SOURCE_NOT_FOUND: EXIT.source,
  ACCESS_DENIED: EXIT.source,
  VERSION_CONFLICT: EXIT.source,
  NEEDS_INPUT: EXIT.needsInput,
  KEYCHAIN_UNAVAILABLE: EXIT.keychain,
  KEYCHAIN_LOCKED: EXIT.keychain,
  TARGET_UNSAFE: EXIT.target,
  WRITE_FAILED: EXIT.target,
  STATE_INVALID: EXIT.target,
  AUDIT_BROKEN: EXIT.audit,
  INVALID_INPUT: EXIT.usage,
  INTERNAL: EXIT.failure,
  CANCELLED: EXIT.failure,
  FORBIDDEN_SENDER: EXIT.failure,
  PROJECT_NOT_OPEN: EXIT.failure,
};

export function exitCodeFor(code: ErrorCode): number {
  return Object.hasOwn(BY_CODE, code) ? BY_CODE[code] : EXIT.failure;
}
