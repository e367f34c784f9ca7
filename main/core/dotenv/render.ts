import { LatchkeyError } from '../errors';
import type { Dialect } from '../types';
import type { DotenvDocument, DotenvLine } from './parse';
import { spellEntry } from './spell';

export interface DotenvChanges {
  /** Keys to set, in the order new ones should be appended. The caller has already checked each one spells. */
  set: Map<string, string>;
  /** Keys to delete. */
  remove: Set<string>;
  /** Drop a byte order mark: only dotenv strips it, the other readers see it in the first key (issue 10, item 10). */
  stripBom?: boolean;
}

interface OutputLine {
  text: string;
  terminator: string;
}

const NEW_FILE: DotenvDocument = { lines: [], eol: '\n', finalNewline: true, bom: false };

function terminatorOf(doc: DotenvDocument, line: DotenvLine, index: number): string {
  if (line.terminator !== undefined) return line.terminator;
  return index < doc.lines.length - 1 || doc.finalNewline ? doc.eol : '';
}

function spellOrThrow(key: string, value: string, dialect: Dialect): string {
  const spelling = spellEntry(key, value, dialect);
  if (!spelling.ok) {
    throw new LatchkeyError('INVALID_INPUT', `Cannot write ${key} in the ${dialect} dialect: ${spelling.reason}.`);
  }
  return spelling.text;
}

/** `export ` (with the user's own spacing and indentation) on a portable line: every reader accepts it. */
const EXPORT_PREFIX = /^[ \t]*export[ \t]+(?=[\w.-]+[ \t]*=)/;

/**
 * A rewritten line keeps the user's `export ` prefix (issue 10, item 23), spelled the one way Node's parser also
 * reads: leading spaces (not tabs) and `export` followed by exactly one space.
 */
function respell(line: DotenvLine, key: string, value: string, dialect: Dialect): string {
  const text = spellOrThrow(key, value, dialect);
  const prefix = dialect === 'portable' ? EXPORT_PREFIX.exec(line.raw)?.[0] : undefined;
  return prefix ? `${/^ */.exec(prefix)![0]}export ${text}` : text;
}

/**
 * A line Node 20's parser joins to the next one: not blank, not a comment, and without `=` (util.parseEnv then
 * looks for the `=` on the following lines, and the next key becomes part of this line's name).
 */
export function isNodeJoiningLine(text: string): boolean {
  const trimmed = text.trim();
  return trimmed !== '' && !trimmed.startsWith('#') && !text.includes('=');
}

/** Index of the occurrence of each key that readers use: the last one. */
function lastOccurrences(lines: DotenvLine[]): Map<string, number> {
  const last = new Map<string, number>();
  lines.forEach((line, index) => {
    if (line.kind === 'entry' && line.key !== undefined) last.set(line.key, index);
  });
  return last;
}

/**
 * Apply changes to an existing document (or undefined for a new file) and return the full new file text.
 *
 * Everything not changed is kept byte for byte: comments, blank lines, unknown lines, other keys, order, each
 * line's own terminator, the BOM and whether the file ends in a newline. A key set to the value it already holds
 * keeps its line as the user wrote it. A key present more than once is updated where readers look (its last
 * occurrence) and removed everywhere (so no earlier duplicate comes back to life). A key both set and removed is
 * set. Values inside a multi-line entry keep LF line breaks, even in a CRLF file: every reader accepts them, and
 * a shell would otherwise keep the CRs.
 */
export function renderDotenv(doc: DotenvDocument | undefined, changes: DotenvChanges, dialect: Dialect): string {
  const base = doc ?? NEW_FILE;
  const last = lastOccurrences(base.lines);
  let out: OutputLine[] = [];

  base.lines.forEach((line, index) => {
    const terminator = terminatorOf(base, line, index);
    const key = line.kind === 'entry' ? line.key : undefined;
    if (key !== undefined && changes.set.has(key) && last.get(key) === index) {
      const value = changes.set.get(key) as string;
      out.push({ text: line.value === value ? line.raw : respell(line, key, value, dialect), terminator });
    } else if (key !== undefined && changes.remove.has(key) && !changes.set.has(key)) {
      return;
    } else {
      out.push({ text: line.raw, terminator });
    }
  });

  // Dropping the last line must not add a final newline the file did not have.
  if (!base.finalNewline && out.length > 0) out[out.length - 1].terminator = '';

  const appended = [...changes.set].filter(([key]) => !last.has(key));
  if (appended.length > 0) {
    const at = appendAt(out, dialect);
    const before = out[at - 1];
    // A last line without a line ending, or ending in a lone CR (which Node does not end a line at), would take
    // the first new key into its own value for some reader (issue 10, item 12).
    if (before && before.terminator === '') before.terminator = base.eol;
    if (before && before.terminator === '\r' && dialect === 'portable') before.terminator = '\r\n';
    const added = appended.map(([key, value]) => ({ text: spellOrThrow(key, value, dialect), terminator: base.eol }));
    out = [...out.slice(0, at), ...added, ...out.slice(at)];
  }

  const bom = base.bom && !changes.stripBom;
  return (bom ? '\ufeff' : '') + out.map((line) => line.text + line.terminator).join('');
}

/**
 * Where new keys go: at the end, unless lines that Node joins to the next one come after the last entry; then
 * right after that entry (or at the top), so that no such line hides them.
 */
function appendAt(out: OutputLine[], dialect: Dialect): number {
  if (dialect !== 'portable') return out.length;
  let lastEntry = -1;
  let joiningAfter = false;
  out.forEach((line, index) => {
    if (KEY_LINE.test(line.text)) {
      lastEntry = index;
      joiningAfter = false;
    } else if (isNodeJoiningLine(line.text)) {
      joiningAfter = true;
    }
  });
  return joiningAfter ? lastEntry + 1 : out.length;
}

const KEY_LINE = /^[ \t]*(?:export[ \t]+)?[\w.-]+[ \t]*=/;
