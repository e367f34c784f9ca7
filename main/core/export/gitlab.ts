import { checkAll, COMMON_REFUSAL } from './refusals';

/*
 * GitLab's dotenv report (`artifacts: reports: dotenv:`), as GitLab's parser reads it: every line must be
 * `KEY=VALUE` (no blank lines, no comments), the key and the value are each stripped of white space and NUL at
 * both ends (Ruby's String#strip), quotes are kept as they are, a key is `[A-Za-z0-9_]` up to 255 characters, and
 * the variables are created as expandable (not raw), so a `$` in a value would be read as a variable reference.
 */

export const GITLAB_REFUSAL = {
  multiLine: "the value spans several lines; GitLab's dotenv report holds single-line values only",
  edgeWhiteSpace: 'the value starts or ends with white space, which GitLab strips',
  dollar: 'the value holds "$", which GitLab expands as a variable reference in a dotenv variable',
  nul: COMMON_REFUSAL.nul,
  keyTooLong: 'GitLab variable names are at most 255 characters',
} as const;

/** GitLab.com's defaults; an instance may raise them, so exceeding them is a warning, not a refusal. */
const GITLAB_DEFAULT_LIMITS = { variables: 20, bytes: 5 * 1024 } as const;

// Ruby's strip: NUL, \t, \n, \v, \f, \r and space.
const STRIPPED_EDGE = /^[\0\t\n\v\f\r ]|[\0\t\n\v\f\r ]$/;

function gitlabProblem(key: string, value: string): string | undefined {
  if (key.length > 255) return GITLAB_REFUSAL.keyTooLong;
  if (/[\n\r]/.test(value)) return GITLAB_REFUSAL.multiLine;
  if (value.includes('\0')) return GITLAB_REFUSAL.nul;
  if (STRIPPED_EDGE.test(value)) return GITLAB_REFUSAL.edgeWhiteSpace;
  if (value.includes('$')) return GITLAB_REFUSAL.dollar;
  return undefined;
}

export function gitlabDotenv(values: Map<string, string>): { text: string; warnings: string[] } {
  checkAll('gitlab', values, gitlabProblem, 'Nothing was printed. Pass these keys another way, e.g. `latchkey exec`.');
  const text = [...values].map(([key, value]) => `${key}=${value}\n`).join('');
  const warnings: string[] = [];
  if (values.size > GITLAB_DEFAULT_LIMITS.variables) {
    warnings.push(
      `${values.size} variables: GitLab.com accepts at most ${GITLAB_DEFAULT_LIMITS.variables} in one dotenv report unless the instance raises the limit`,
    );
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes >= GITLAB_DEFAULT_LIMITS.bytes) {
    warnings.push(
      `${bytes} bytes: GitLab.com refuses a dotenv report of ${GITLAB_DEFAULT_LIMITS.bytes} bytes or more unless the instance raises the limit`,
    );
  }
  return { text, warnings };
}
