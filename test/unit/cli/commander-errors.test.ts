import { describe, expect, it } from 'vitest';
import { withoutRejectedValues } from '../../../main/cli/commander-errors';

const TOKEN = 'ghp_canaryPastedIntoTheWrongPlace42';

describe('withoutRejectedValues (issue 10, item 17)', () => {
  it("names a rejected option or argument value by its length, keeping commander's advice", () => {
    const option = `error: option '--format <format>' argument '${TOKEN}' is invalid. Allowed choices are dotenv, json.\n`;
    expect(withoutRejectedValues(option)).toBe(
      `error: option '--format <format>' argument (the ${TOKEN.length}-character value given) is invalid. ` +
        'Allowed choices are dotenv, json.\n',
    );
    const positional = `error: command-argument value '${TOKEN}' is invalid for argument 'shell'. Allowed choices are bash.`;
    expect(withoutRejectedValues(positional)).not.toContain(TOKEN);
    expect(withoutRejectedValues(positional)).toContain("for argument 'shell'. Allowed choices are bash.");
  });

  it('keeps a mistyped command word, and hides anything else given as a command', () => {
    expect(withoutRejectedValues("error: unknown command 'snyc'\n(Did you mean sync?)")).toBe(
      "error: unknown command 'snyc'\n(Did you mean sync?)",
    );
    expect(withoutRejectedValues(`error: unknown command '${TOKEN}'`)).toBe(
      `error: unknown command (the ${TOKEN.length}-character value given)`,
    );
  });
});
