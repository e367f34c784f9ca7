import { LatchkeyError } from '../errors';
import type { Dialect } from '../types';
import type { DotenvDocument, DotenvLine } from './parse';
import { spellEntry } from './spell';

export interface DotenvChanges {
  /** Keys to set, in the order new ones should be appended. The caller has already checked each one spells. */
  set: Map<string, string>;
  /** Keys to delete. */
  remove: Set<string>;
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
  const out: OutputLine[] = [];

  base.lines.forEach((line, index) => {
    const terminator = terminatorOf(base, line, index);
    const key = line.kind === 'entry' ? line.key : undefined;
    if (key !== undefined && changes.set.has(key) && last.get(key) === index) {
      const value = changes.set.get(key) as string;
      out.push({ text: line.value === value ? line.raw : spellOrThrow(key, value, dialect), terminator });
    } else if (key !== undefined && changes.remove.has(key) && !changes.set.has(key)) {
      return;
    } else {
      out.push({ text: line.raw, terminator });
    }
  });

  // Dropping the last line must not add a final newline the file did not have.
  if (!base.finalNewline && out.length > 0) out[out.length - 1].terminator = '';

  const appended = [...changes.set].filter(([key]) => !last.has(key));
  if (appended.length > 0 && out.length > 0 && out[out.length - 1].terminator === '') {
    out[out.length - 1].terminator = base.eol;
  }
  for (const [key, value] of appended) out.push({ text: spellOrThrow(key, value, dialect), terminator: base.eol });

  return (base.bom ? '\ufeff' : '') + out.map((line) => line.text + line.terminator).join('');
}
