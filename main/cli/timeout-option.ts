import type { Command } from 'commander';
import { LatchkeyError } from '../core/errors';
import { describeRejectedInput } from '../core/redact';

export interface TimeoutOptions {
  /** In ms, parsed from seconds. */
  timeout?: number;
}

/** A day: longer is a typo (ms for seconds), and setTimeout cannot wait much past 24 days anyway. */
const MAX_SECONDS = 86_400;

/**
 * `--timeout <seconds>` on every command that reads the sources: the whole-operation deadline (default 60 s). Past
 * it the command ends with exit 5, naming each source still waiting and its step (issue 10, item 5).
 */
export function addTimeoutOption(command: Command): Command {
  return command.option(
    '--timeout <seconds>',
    'give up on the sources after this many seconds in all (default 60)',
    parseTimeout,
  );
}

function parseTimeout(text: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(seconds > 0 && seconds <= MAX_SECONDS)) {
    // Whatever was typed is not echoed: a value pasted into the wrong option could be a secret (item 17).
    throw new LatchkeyError(
      'INVALID_INPUT',
      `--timeout expects a number of seconds above 0 and at most ${MAX_SECONDS}; found ${describeRejectedInput(text)}`,
    );
  }
  return Math.round(seconds * 1000);
}

/** The deadline to hand a use case: only when --timeout was given, so the use case's default stays the one. */
export function deadlineFrom(opts: TimeoutOptions): { deadlineMs?: number } {
  return opts.timeout === undefined ? {} : { deadlineMs: opts.timeout };
}
