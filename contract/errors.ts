/**
 * Stable error codes shared by the core, the CLI and the IPC envelope. Renderers and scripts branch on the code;
 * the message is for people and never holds a secret value.
 */
export const ERROR_CODES = [
  'MANIFEST_NOT_FOUND',
  'MANIFEST_INVALID',
  'PROFILE_NOT_FOUND',
  'INVALID_NAME',
  'NEEDS_INPUT',
  'KEYCHAIN_UNAVAILABLE',
  'SOURCE_FAILED',
  'SOURCE_NOT_FOUND',
  'ACCESS_DENIED',
  'TARGET_UNSAFE',
  'PLAN_HAS_ERRORS',
  'WRITE_FAILED',
  'STATE_INVALID',
  'AUDIT_BROKEN',
  'INVALID_INPUT',
  'FORBIDDEN_SENDER',
  'CANCELLED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
