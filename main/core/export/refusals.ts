import { LatchkeyError } from '../errors';

/** One key a format cannot carry exactly, and why: the reason names the problem, never the value. */
export interface KeyProblem {
  key: string;
  reason: string;
}

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const COMMON_REFUSAL = {
  surrogate: 'the value is not valid Unicode (it holds an unpaired surrogate), so it cannot be written as UTF-8',
  nul: 'the value holds a NUL character, which no environment variable can carry',
} as const;

/** Text no UTF-8 output can hold: checked by every format before its own rules. */
export function unencodable(value: string): string | undefined {
  return UNPAIRED_SURROGATE.test(value) ? COMMON_REFUSAL.surrogate : undefined;
}

/**
 * Refuses the whole export when any key cannot be written exactly: a consumer that silently reads another value
 * is worse than no output. Every refused key is listed at once, so one run shows all there is to fix.
 */
export function refuseIfAny(format: string, problems: KeyProblem[], hint?: string): void {
  if (problems.length === 0) return;
  const lines = problems.map((p) => `  ${p.key}: ${p.reason}`).join('\n');
  throw new LatchkeyError(
    'PLAN_HAS_ERRORS',
    `${problems.length} key${problems.length === 1 ? '' : 's'} cannot be exported as ${format}:\n${lines}`,
    hint ?? 'Nothing was printed. Use another format, or leave these keys out of the profile.',
  );
}

/** Runs `check` on every entry and refuses the export if any entry has a problem. */
export function checkAll(
  format: string,
  entries: Iterable<[string, string]>,
  check: (key: string, value: string) => string | undefined,
  hint?: string,
): void {
  const problems: KeyProblem[] = [];
  for (const [key, value] of entries) {
    const reason = unencodable(value) ?? check(key, value);
    if (reason) problems.push({ key, reason });
  }
  refuseIfAny(format, problems, hint);
}
