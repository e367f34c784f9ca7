import { randomBytes } from 'node:crypto';
import { checkAll, COMMON_REFUSAL } from './refusals';

/*
 * GitHub Actions, as the runner (actions/runner) reads it:
 * - a workflow command `::add-mask::DATA` on a step's stdout adds DATA to the log masker; DATA is unescaped
 *   (`%0D` → CR, `%0A` → LF, `%25` → %), and a blank DATA is ignored with a warning;
 * - the masker works on single log lines, so a multi-line value is masked line by line;
 * - $GITHUB_ENV is read after the step: `NAME<<DELIMITER`, then every line up to the first line equal to
 *   DELIMITER is the value (the newline before the delimiter line is not part of it). Lines end at LF, and on
 *   Windows runners at CRLF too.
 */

export const GITHUB_REFUSAL = {
  nul: COMMON_REFUSAL.nul,
  crlf: 'the value holds CR followed by LF (or ends in CR), which a Windows runner reads as a line end',
} as const;

/** The `::add-mask::` lines for every line of every value, each once, in first-seen order. */
export function githubMasks(values: Iterable<string>): string {
  const seen = new Set<string>();
  let out = '';
  for (const value of values) {
    for (const line of value.split(/\r\n|\r|\n/)) {
      if (line.trim() === '' || seen.has(line)) continue;
      seen.add(line);
      out += `::add-mask::${escapeCommandData(line)}\n`;
    }
  }
  return out;
}

/** The runner's data escaping for workflow commands, in the order its unescaping undoes. */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A key whose value the runner would not read back exactly, and why. */
function githubEnvProblem(_key: string, value: string): string | undefined {
  if (value.includes('\0')) return GITHUB_REFUSAL.nul;
  // The value is followed by our own LF before the delimiter line: a final CR would pair with it.
  if (value.includes('\r\n') || value.endsWith('\r')) return GITHUB_REFUSAL.crlf;
  return undefined;
}

/** The $GITHUB_ENV entries: every value in the heredoc form, with a delimiter the value cannot contain. */
export function githubEnvEntries(values: Map<string, string>, random: (bytes: number) => Buffer = randomBytes): string {
  checkAll('github', values, githubEnvProblem);
  return [...values]
    .map(([key, value]) => {
      const delimiter = delimiterFor(value, random);
      return `${key}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join('');
}

/**
 * A random delimiter that does not occur anywhere in the value (so no line of the value can equal it): drawn
 * again until it does not. With 144 random bits a second draw is already unheard of; the check makes it certain.
 */
function delimiterFor(value: string, random: (bytes: number) => Buffer): string {
  for (;;) {
    const delimiter = `ghadelimiter_${random(18).toString('hex')}`;
    if (!value.includes(delimiter)) return delimiter;
  }
}
