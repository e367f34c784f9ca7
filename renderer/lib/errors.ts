import type { ErrorAction, ErrorCode } from '../../contract/errors';
import type { IpcError } from '../../contract/ipc';

interface ErrorLook {
  title: string;
  /** What to do when main sent no hint of its own. */
  todo: string;
}

const LOOKS: Record<ErrorCode, ErrorLook> = {
  MANIFEST_NOT_FOUND: {
    title: 'No latchkey.yml here',
    todo: 'Create one with the guided form, or open the folder that holds it.',
  },
  MANIFEST_INVALID: {
    title: 'latchkey.yml has problems',
    todo: 'Fix each problem at its line in latchkey.yml. Latchkey reads the file again as soon as you save it.',
  },
  PROFILE_NOT_FOUND: {
    title: 'Profile not found',
    todo: 'The profile was renamed or removed from latchkey.yml. Pick another profile.',
  },
  INVALID_NAME: {
    title: 'Invalid variable name',
    todo: 'Use letters, digits and underscores, not starting with a digit; or give the key another name with “as:”.',
  },
  NEEDS_INPUT: {
    title: 'Personal secrets needed',
    todo: 'Enter them below. They are stored in your OS keychain, never in a file.',
  },
  KEYCHAIN_UNAVAILABLE: {
    title: 'The keychain is unavailable',
    todo: 'Latchkey needs your OS keychain and never falls back to plain text. Start or unlock it, then try again.',
  },
  KEYCHAIN_LOCKED: {
    title: 'The keychain is locked',
    todo: 'Unlock your OS keychain (your login keyring, or Keychain Access on macOS), then try again. Nothing was changed.',
  },
  SOURCE_FAILED: {
    title: 'A source could not be read',
    todo: 'Check your network and AWS credentials, then try again. Nothing was written.',
  },
  SOURCE_NOT_FOUND: {
    title: 'A source does not exist',
    todo: 'Check the name in latchkey.yml, or ask whoever owns that source.',
  },
  ACCESS_DENIED: {
    title: 'Access denied',
    todo: 'Your AWS identity may not read this source. Check the AWS profile and region, or ask for access.',
  },
  VERSION_CONFLICT: {
    title: 'Someone else changed it first',
    todo: 'The value changed since you read it, and nothing was written. Look at its history, then try again.',
  },
  TARGET_UNSAFE: {
    title: 'The target file is not safe to write',
    todo: 'The target must be a regular file inside the project folder, not a symlink.',
  },
  PLAN_HAS_ERRORS: {
    title: 'Some keys have errors',
    todo: 'Fix the keys marked Error (see the plan), then sync again. Nothing was written.',
  },
  WRITE_FAILED: {
    title: 'The file could not be written',
    todo: 'The old file was left exactly as it was. Check the folder permissions and free space.',
  },
  STATE_INVALID: {
    title: 'Sync state is unreadable',
    todo: 'Latchkey will rebuild it on the next sync; local edits may show as conflicts once.',
  },
  AUDIT_BROKEN: {
    title: 'The audit trail failed verification',
    todo: 'The trail was changed outside Latchkey. Keep audit.jsonl and audit.head as they are, as evidence.',
  },
  INVALID_INPUT: { title: 'That input was not accepted', todo: 'Check the highlighted fields and try again.' },
  FORBIDDEN_SENDER: {
    title: 'Request refused',
    todo: 'Only the Latchkey window may talk to the app. Restart Latchkey.',
  },
  PROJECT_NOT_OPEN: {
    title: 'This folder is not open in Latchkey',
    todo: 'Open it with File ▸ Open Folder… (or from the recent projects).',
  },
  CANCELLED: { title: 'Cancelled', todo: 'Nothing was changed.' },
  INTERNAL: { title: 'Something went wrong', todo: 'Try again. If it keeps happening, restart Latchkey.' },
};

export function errorTitle(error: IpcError): string {
  const problems = error.problems?.length ?? 0;
  if (error.code === 'MANIFEST_INVALID' && problems > 0)
    return problems === 1 ? 'latchkey.yml has a problem' : `latchkey.yml has ${problems} problems`;
  return LOOKS[error.code]?.title ?? 'Something went wrong';
}

interface ActionLook {
  /** The button's label. */
  label: string;
  /** What to do, in the app's words, when the button is there. */
  todo: string;
}

/** Each action main can name, as a button and the sentence beside it; every GUI error offers these, never a command. */
export const ACTION_LOOKS: Record<ErrorAction, ActionLook> = {
  'open-op-settings': {
    label: 'Open 1Password settings',
    todo: 'Set the Connect server and token in Settings ▸ 1Password, then try again.',
  },
  'import-aws-keys': {
    label: 'Import keys',
    todo: 'Move the keys into your OS keychain with Import on the AWS screen, then try again.',
  },
  'unlock-keychain': {
    label: 'Unlock and try again',
    todo: 'Unlock your OS keychain, then try again. Latchkey never falls back to plain text.',
  },
  'open-manifest': {
    label: 'Open in editor',
    todo: 'Fix it in latchkey.yml. Latchkey reads the file again as soon as you save it.',
  },
};

/** Errors whose fix is the same in the app whatever raised them. */
const CODE_ACTIONS: Partial<Record<ErrorCode, ErrorAction>> = {
  MANIFEST_INVALID: 'open-manifest',
  KEYCHAIN_UNAVAILABLE: 'unlock-keychain',
};

/** The in-app action for an error: the one main named, else the one its code implies. */
export function errorAction(error: IpcError): ErrorAction | undefined {
  return error.action ?? CODE_ACTIONS[error.code];
}

/**
 * A hint written for the command line: a command in backticks, `latchkey <verb>`, a --flag or an environment
 * variable to set. Main's hints serve the CLI too; the app shows its own words and a button instead.
 */
export function isCliHint(text: string): boolean {
  return /`|\blatchkey\s+[a-z]|(^|[\s([])--[a-z]|\b(?:OP_CONNECT|AWS)_[A-Z_]+/.test(text);
}

/** What to do, in the app's terms: main's hint when it is not about the CLI, else the action's or the code's. */
export function errorTodo(error: IpcError): string {
  if (error.hint && !isCliHint(error.hint)) return error.hint;
  const action = errorAction(error);
  if (action && error.action) return ACTION_LOOKS[action].todo;
  return LOOKS[error.code]?.todo ?? '';
}

export function isErrorCode(code: string | undefined): code is ErrorCode {
  return !!code && Object.hasOwn(LOOKS, code);
}
