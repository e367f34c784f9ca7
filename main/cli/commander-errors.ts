import { describeRejectedInput } from '../core/redact';

/** A word that can only be a mistyped command (`snyc`), safe and useful to show back; anything else may be a secret. */
const COMMAND_WORD = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Commander's own refusals quote what was given: `argument 'ghp_…' is invalid`, `unknown command 'ghp_…'`. A value
 * pasted into the wrong place is often a secret (issue 10, item 17), so the value is named by its length instead;
 * a plain command word stays, since "unknown command 'snyc'" and its suggestion are what a typo needs.
 */
export function withoutRejectedValues(message: string): string {
  return message
    .replace(
      /argument '([\s\S]*?)' is invalid/g,
      (_, value: string) => `argument (${describeRejectedInput(value)}) is invalid`,
    )
    .replace(
      /command-argument value '([\s\S]*?)' is invalid/g,
      (_, value: string) => `command-argument value (${describeRejectedInput(value)}) is invalid`,
    )
    .replace(/unknown command '([^']*)'/g, (whole, name: string) =>
      COMMAND_WORD.test(name) ? whole : `unknown command (${describeRejectedInput(name)})`,
    );
}
