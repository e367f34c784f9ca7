import { describe, expect, it } from 'vitest';
import { ERROR_ACTIONS, ERROR_CODES } from '../../../../contract/errors';
import {
  ACTION_LOOKS,
  errorAction,
  errorTitle,
  errorTodo,
  isCliHint,
  isErrorCode,
} from '../../../../renderer/lib/errors';

describe('error words', () => {
  it('has a title and a next step for every error code of the contract', () => {
    for (const code of ERROR_CODES) {
      expect(isErrorCode(code)).toBe(true);
      expect(errorTitle({ code, message: '' })).toMatch(/\S/);
      expect(errorTodo({ code, message: '' })).toMatch(/\S/);
    }
    for (const other of ['', 'constructor', '__proto__', 'internal', undefined]) expect(isErrorCode(other)).toBe(false);
  });

  it("counts a manifest's problems, and prefers main's own hint", () => {
    const problem = { line: 1, col: 1, path: '', message: 'x' };
    expect(errorTitle({ code: 'MANIFEST_INVALID', message: '', problems: [problem] })).toBe(
      'latchkey.yml has a problem',
    );
    expect(errorTitle({ code: 'MANIFEST_INVALID', message: '', problems: [problem, problem] })).toBe(
      'latchkey.yml has 2 problems',
    );
    expect(errorTodo({ code: 'SOURCE_FAILED', message: '', hint: 'Log in to AWS first.' })).toBe(
      'Log in to AWS first.',
    );
  });
});

// Issue 14, item 8: the app said "Run `latchkey op set-host <url>`" next to the form that does it.
describe('errors in the app never send people to the CLI', () => {
  /** Hints main writes for the CLI, as they are in main/ today. */
  const CLI_HINTS = [
    'Run `latchkey op set-host <url>`, or set OP_CONNECT_HOST (and OP_CONNECT_TOKEN).',
    'Move them to the keychain first: latchkey aws import acme-dev --remove-plaintext',
    'Run `latchkey audit verify` to see what is wrong.',
    'Check --dir, or create latchkey.yml there; see README.',
    'Set OP_CONNECT_TOKEN instead.',
    // A flag in brackets is still a flag.
    'Ask for ssm:PutParameter on arn:aws:ssm:us-east-1:123456789012:parameter/api/dev/x, or use a profile that has it (--aws-profile).',
  ];
  const CLI_TEXT = /`|\blatchkey\s+[a-z]|(^|[\s([])--[a-z]|OP_CONNECT_/;

  it('shows no command, flag or environment variable for any error code, with or without an action', () => {
    for (const code of ERROR_CODES) {
      for (const action of [undefined, ...ERROR_ACTIONS]) {
        for (const hint of [undefined, ...CLI_HINTS]) {
          const error = { code, message: '', ...(hint && { hint }), ...(action && { action }) };
          const shown = `${errorTitle(error)}\n${errorTodo(error)}`;
          expect(shown, `${code} / ${action ?? 'no action'} / ${hint ?? 'no hint'}`).not.toMatch(CLI_TEXT);
          expect(errorTodo(error)).toMatch(/\S/);
        }
      }
    }
    for (const look of Object.values(ACTION_LOOKS)) expect(`${look.label}\n${look.todo}`).not.toMatch(CLI_TEXT);
  });

  it('knows a CLI hint from one written for people', () => {
    for (const hint of CLI_HINTS) expect(isCliHint(hint), hint).toBe(true);
    for (const hint of ['Log in to AWS first.', 'Choose another name.', 'Keep one of them.', 'Reload the project.'])
      expect(isCliHint(hint), hint).toBe(false);
  });

  it("offers main's action, else the one the code implies, as a button", () => {
    expect(errorAction({ code: 'NEEDS_INPUT', message: '', action: 'open-op-settings' })).toBe('open-op-settings');
    expect(errorAction({ code: 'TARGET_UNSAFE', message: '', action: 'import-aws-keys' })).toBe('import-aws-keys');
    expect(errorAction({ code: 'MANIFEST_INVALID', message: '' })).toBe('open-manifest');
    expect(errorAction({ code: 'KEYCHAIN_UNAVAILABLE', message: '' })).toBe('unlock-keychain');
    expect(errorAction({ code: 'SOURCE_FAILED', message: '' })).toBeUndefined();
    // The sentence beside the button is the action's, not the CLI hint's.
    expect(errorTodo({ code: 'NEEDS_INPUT', message: '', hint: CLI_HINTS[0]!, action: 'open-op-settings' })).toBe(
      ACTION_LOOKS['open-op-settings'].todo,
    );
  });
});
