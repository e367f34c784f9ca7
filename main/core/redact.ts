import { inspect } from 'node:util';
import { isLatchkeyError } from './errors';

/**
 * The one sanitiser every process edge runs its text through before showing it: the CLI's error output, the IPC
 * error envelope, log lines (issue 10, item 6). A LatchkeyError is written not to name values, but errors from
 * spawn and from libraries quote their input: `exec` once printed "Received 'x\x00<secret>'".
 *
 * Every value a source resolves is remembered here for the life of the process (they are in memory anyway), and
 * scrubbing replaces each of them, in every spelling a message may quote it in (as is, JSON-escaped, as
 * util.inspect shows it, or cut short with "..."), with [redacted]. What a message quotes after Node's "Received"
 * is dropped whatever it is.
 */

const REDACTED = '[redacted]';

/** Values shorter than this are not secrets worth the noise (a `set:` value of `1` or `dev` would blank words). */
const MIN_REMEMBERED = 6;
/** A quoted value cut short must still hold this much of the secret to be recognised. */
const MIN_PREFIX = 12;

const remembered = new Set<string>();
/** Longest first, so that a secret containing another is replaced whole. */
let spellings: string[] = [];

/** Remembers values that must never be shown. Cheap to call with many values; duplicates are ignored. */
export function rememberSecrets(values: Iterable<string>): void {
  let added = false;
  for (const value of values) {
    if (value.length < MIN_REMEMBERED || remembered.has(value)) continue;
    remembered.add(value);
    added = true;
  }
  if (added) spellings = [];
}

/** For tests only: forget everything remembered. */
export function forgetSecretsForTests(): void {
  remembered.clear();
  spellings = [];
}

/** Printable ASCII but for quotes and the backslash: JSON and util.inspect both show such a value as it is. */
const SPELLED_AS_IS = /^[\x20\x21\x23-\x26\x28-\x5b\x5d-\x7e]*$/;

function spellingsOf(value: string): string[] {
  // Most values are plain: the spellings of a 1,000-key plan's values, built to scrub its one closing note, took
  // about 8 ms of JSON.stringify and inspect calls that only returned the value again (issue 12: the plan's tail).
  if (SPELLED_AS_IS.test(value)) return [value];
  const json = JSON.stringify(value).slice(1, -1);
  const shown = inspect(value).slice(1, -1);
  return [value, json, shown];
}

function allSpellings(): string[] {
  if (spellings.length === 0 && remembered.size > 0) {
    const all = new Set<string>();
    for (const value of remembered) for (const spelling of spellingsOf(value)) all.add(spelling);
    spellings = [...all].sort((a, b) => b.length - a.length);
  }
  return spellings;
}

/** Node's validation errors end with "Received <the value>": the value is the caller's input, never shown. */
const RECEIVED = /(\.?\s*Received\b)[\s\S]*$/;

export function scrubSecrets(text: string): string {
  let out = text.replace(RECEIVED, `$1 ${REDACTED}`);
  for (const spelling of allSpellings()) {
    if (out.includes(spelling)) out = out.split(spelling).join(REDACTED);
  }
  // A message that quoted a secret cut short ("abcdef...") holds only its start.
  if (!out.includes('...')) return out;
  for (const spelling of allSpellings()) {
    for (let length = spelling.length - 1; length >= MIN_PREFIX; length--) {
      const prefix = spelling.slice(0, length);
      if (out.includes(prefix)) {
        out = out.split(prefix).join(REDACTED);
        break;
      }
    }
  }
  return out;
}

/**
 * How to mention an input that was refused, when the input itself could be a secret pasted in the wrong place
 * (`op set-host <token>`): its length, never its text (issue 10, item 17).
 */
export function describeRejectedInput(input: string): string {
  const length = [...input].length;
  return length === 0 ? 'an empty value' : `the ${length}-character value given`;
}

/** The text to show for any error at a process edge: its message, scrubbed. */
export function safeErrorMessage(error: unknown): string {
  if (isLatchkeyError(error)) return scrubSecrets(error.message);
  if (error instanceof Error) return scrubSecrets(error.message);
  return scrubSecrets(typeof error === 'string' ? error : `unexpected ${typeof error}`);
}
