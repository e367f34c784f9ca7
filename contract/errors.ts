import * as z from 'zod';

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
  /** The keychain is there but locked: an entry may exist behind it, so it is never reported as not set. */
  'KEYCHAIN_LOCKED',
  'SOURCE_FAILED',
  'SOURCE_NOT_FOUND',
  'ACCESS_DENIED',
  'VERSION_CONFLICT',
  'TARGET_UNSAFE',
  'PLAN_HAS_ERRORS',
  'WRITE_FAILED',
  'STATE_INVALID',
  'AUDIT_BROKEN',
  'INVALID_INPUT',
  'FORBIDDEN_SENDER',
  /** The app named a project folder main did not register (picked, recent, command line): never a raw path. */
  'PROJECT_NOT_OPEN',
  'CANCELLED',
  'INTERNAL',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/**
 * What the app can do about an error, named by the side that knows (main): the desktop turns each into a button that
 * does it in the app (open Settings ▸ 1Password, import the keys on the AWS screen, try the keychain again, open
 * latchkey.yml in an editor), where the CLI prints the error's hint, a command. The GUI never shows a CLI command.
 */
export const ERROR_ACTIONS = ['open-op-settings', 'import-aws-keys', 'unlock-keychain', 'open-manifest'] as const;
export const ErrorActionSchema = z.enum(ERROR_ACTIONS);
export type ErrorAction = z.infer<typeof ErrorActionSchema>;

/**
 * The one message people see for anything we did not expect, whichever side caught it (main's catch-all, the
 * preload's failed bridge). The details go to stderr, never across.
 */
export const INTERNAL_MESSAGE = 'Something went wrong in Latchkey. Try again; if it keeps happening, restart the app.';
