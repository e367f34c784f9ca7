import { ENV_NAME_PATTERN } from '../../../contract/ipc/shared';
import type { Dialect } from '../types';

export type Spelling = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Every character that some reader trims from the ends of a value: JavaScript's trim (dotenv), Python's
 * str.strip (python-dotenv), Go's unicode.IsSpace (docker compose). A value may hold these inside, not at an end.
 */
const TRIMMED = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
const EDGE_WHITESPACE = new RegExp(`^[${TRIMMED}]|[${TRIMMED}]$`);
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Refusal reasons, shared with tests so they can check the category of every refusal. */
export const REFUSAL = {
  badKey: `the key is not a valid environment variable name (${ENV_NAME_PATTERN.source.replace(/^\^|\$$/g, '')})`,
  protoKey: 'the key __proto__ is silently dropped by dotenv and util.parseEnv',
  surrogate: 'the value is not valid Unicode (it holds an unpaired surrogate), so it cannot be written as UTF-8',
  nul: 'the value holds a NUL character, which no environment variable can carry',
  carriageReturn: 'the value holds a CR (\\r) character, which the .env readers each turn into something different',
  interpolation: 'the value holds "${", which python-dotenv would expand as a variable reference',
  endsInBackslash: 'the value needs quotes and ends in a backslash, which would escape the closing quote',
  doubleBackslash: 'the value needs quotes and holds two backslashes in a row, which python-dotenv decodes as one',
  bothQuotes: 'the value needs quotes and holds both \' and ", so no quoting keeps it intact',
  quoteAndEscape:
    "the value needs quotes, holds ' and a backslash sequence that python-dotenv or dotenv decode inside double quotes",
  lineBreak: 'the value holds a line break, which docker env files cannot carry',
  dockerEdgeWhitespace: 'the value starts or ends with white space, which docker compose trims and docker run keeps',
  dockerQuote: 'the value starts with a quote, which docker compose strips and docker run keeps',
  dockerHash: 'the value holds "#", which docker compose may read as the start of a comment',
  dockerDollar: 'the value holds "$", which docker compose interpolates and docker run keeps',
  dockerTooLong: 'the line would be longer than the 64 KiB that docker run --env-file reads per line',
} as const;

const refuse = (reason: string): Spelling => ({ ok: false, reason });
const spelled = (text: string): Spelling => ({ ok: true, text });

/** A value that no dialect can write at all. */
function unwritable(value: string): string | undefined {
  if (UNPAIRED_SURROGATE.test(value)) return REFUSAL.surrogate;
  if (value.includes('\0')) return REFUSAL.nul;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// portable: REFERENCE.md "Portable spelling". dotenv, Node (util.parseEnv, --env-file) and python-dotenv all read
// every spelling below back exactly; test/unit/dotenv-roundtrip.test.ts is the judge.
//
// Re-derived from the three rules, a value has no portable spelling exactly when it
//   - is not valid Unicode (an unpaired surrogate), or holds a NUL (node --env-file cuts the value there), or
//   - holds a CR, or holds `${` (python-dotenv interpolates, even inside single quotes), or
//   - needs quoting (fails rule 1) and
//       ends in `\`, or holds `\\`, or holds both ' and ", or
//       holds ' and a backslash followed by one of ' a b f n r t v or a newline.
// REFERENCE.md's own list omits NUL and that last case.
// ---------------------------------------------------------------------------------------------------------------

/**
 * 1. Unquoted: nothing a reader trims at the ends, no `#` (dotenv and Node cut there), no line break or U+2028/2029
 * (dotenv treats those as line ends when stripping quotes), and no leading quote (every reader would unquote it).
 */
function fitsUnquoted(value: string): boolean {
  return !EDGE_WHITESPACE.test(value) && !/[#\n\r\u2028\u2029]/.test(value) && !/^['"`]/.test(value);
}

/**
 * 2. Single quotes, raw newlines allowed: python-dotenv decodes `\\` and `\'` even here, and a final `\` would
 * escape the closing quote for dotenv and python-dotenv. (REFERENCE.md words this "no `\`"; its own list of
 * unrepresentable values, and the round-trip tests, show that a lone backslash inside single quotes is safe.)
 */
function fitsSingleQuoted(value: string): boolean {
  return !value.includes("'") && !value.includes('\\\\') && !value.endsWith('\\');
}

/**
 * 3. Double quotes with only newline escaped as `\n`: no `"`, and no backslash that python-dotenv
 * (`\\ \' \" \a \b \f \n \r \t \v`), dotenv (`\n \r`) or Node (`\n`) would decode, including one that would meet
 * our own `\n`, or one that would escape the closing quote.
 */
function fitsDoubleQuoted(value: string): boolean {
  return !value.includes('"') && !/\\(?:[\\'"abfnrtv\n]|$)/.test(value);
}

/** Why a value that needs quoting fits neither quoting (only meaningful when both fits* answer false). */
function quotingConflict(value: string): string {
  if (value.endsWith('\\')) return REFUSAL.endsInBackslash;
  if (value.includes('\\\\')) return REFUSAL.doubleBackslash;
  if (value.includes('"')) return REFUSAL.bothQuotes;
  return REFUSAL.quoteAndEscape;
}

function spellPortable(value: string): Spelling {
  const problem = unwritable(value);
  if (problem) return refuse(problem);
  // A CR is kept by python-dotenv, dropped by Node and turned into LF by dotenv, in any quoting.
  if (value.includes('\r')) return refuse(REFUSAL.carriageReturn);
  // python-dotenv interpolates ${…} in every quoting, single quotes included.
  if (value.includes('${')) return refuse(REFUSAL.interpolation);
  if (fitsUnquoted(value)) return spelled(value);
  if (fitsSingleQuoted(value)) return spelled(`'${value}'`);
  if (fitsDoubleQuoted(value)) return spelled(`"${value.replace(/\n/g, '\\n')}"`);
  return refuse(quotingConflict(value));
}

// ---------------------------------------------------------------------------------------------------------------
// docker: `docker run --env-file` takes the text after the first `=` literally (it only trims the line's leading
// white space, and reads at most 64 KiB per line). Compose v2's `env_file` instead strips leading quotes, trims
// white space at both ends, cuts inline comments (at any `#` in older compose-go, at ` #` in newer ones) and
// interpolates `$`. The safe subset is what both read the same way: no line break, no white space at either end,
// no leading quote, no `#`, no `$`. A backslash is fine: compose only decodes escapes inside double quotes.
// ---------------------------------------------------------------------------------------------------------------

const DOCKER_MAX_LINE_BYTES = 64 * 1024;

function dockerLineFits(key: string, value: string): boolean {
  // bufio.Scanner's default buffer must hold the whole line plus its newline.
  return Buffer.byteLength(`${key}=${value}\n`, 'utf8') <= DOCKER_MAX_LINE_BYTES;
}

function spellDocker(value: string): Spelling {
  const problem = unwritable(value);
  if (problem) return refuse(problem);
  if (/[\n\r]/.test(value)) return refuse(REFUSAL.lineBreak);
  if (EDGE_WHITESPACE.test(value)) return refuse(REFUSAL.dockerEdgeWhitespace);
  if (/^['"]/.test(value)) return refuse(REFUSAL.dockerQuote);
  if (value.includes('#')) return refuse(REFUSAL.dockerHash);
  if (value.includes('$')) return refuse(REFUSAL.dockerDollar);
  // The shortest possible key is one character.
  if (!dockerLineFits('K', value)) return refuse(REFUSAL.dockerTooLong);
  return spelled(value);
}

// ---------------------------------------------------------------------------------------------------------------
// shell: POSIX single quotes hold every byte but NUL literally; a `'` is closed, escaped and reopened.
// ---------------------------------------------------------------------------------------------------------------

function spellShell(value: string): Spelling {
  const problem = unwritable(value);
  if (problem) return refuse(problem);
  return spelled(`'${value.replace(/'/g, "'\\''")}'`);
}

/** The right-hand side for `value` in this dialect, or a refusal whose reason names the problem (never the value). */
export function spellValue(value: string, dialect: Dialect): Spelling {
  switch (dialect) {
    case 'portable':
      return spellPortable(value);
    case 'docker':
      return spellDocker(value);
    case 'shell':
      return spellShell(value);
  }
}

/** A whole line: `KEY=…` (portable, docker) or `export KEY='…'` (shell). Also refuses a key that is no portable name. */
export function spellEntry(key: string, value: string, dialect: Dialect): Spelling {
  if (!ENV_NAME_PATTERN.test(key)) return refuse(REFUSAL.badKey);
  // Both JavaScript readers collect values in a plain object, where this name sets the prototype instead.
  if (dialect === 'portable' && key === '__proto__') return refuse(REFUSAL.protoKey);
  const rhs = spellValue(value, dialect);
  if (!rhs.ok) return rhs;
  if (dialect === 'docker' && !dockerLineFits(key, rhs.text)) return refuse(REFUSAL.dockerTooLong);
  return spelled(dialect === 'shell' ? `export ${key}=${rhs.text}` : `${key}=${rhs.text}`);
}
