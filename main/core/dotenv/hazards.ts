import type { Dialect } from '../types';
import type { DotenvDocument } from './parse';
import { isNodeJoiningLine } from './render';

/**
 * What the strictest reader makes of a file that the tolerant parser reads fine (issue 10, items 10 and 12). Node's
 * parser (util.parseEnv, `node --env-file`) keeps a byte order mark in the first key, does not end a line at a lone
 * CR, and joins a line without `=` to the next one: each hides a key from it.
 */
export interface ReaderHazard {
  kind: 'bom' | 'no-equals' | 'lone-cr';
  /** 1-based physical line. */
  line: number;
  /** The key that Node does not see because of it, if any. */
  hides?: string;
  message: string;
}

export function readerHazards(doc: DotenvDocument | undefined, dialect: Dialect): ReaderHazard[] {
  if (!doc) return [];
  const hazards: ReaderHazard[] = [];
  const firstKey = doc.lines.find((l) => l.kind === 'entry')?.key;
  if (doc.bom) {
    hazards.push({
      kind: 'bom',
      line: 1,
      ...(firstKey !== undefined && { hides: firstKey }),
      message:
        'the file starts with a byte order mark, which every reader but dotenv reads as part of the first key' +
        `${firstKey !== undefined ? ` (${firstKey})` : ''}; sync removes it`,
    });
  }
  // docker's and a shell's readers end lines at LF and read `=`-less lines their own way.
  if (dialect !== 'portable') return hazards;
  let line = 1;
  doc.lines.forEach((current, index) => {
    if (current.kind === 'other' && isNodeJoiningLine(current.raw)) {
      // Node looks for the `=` on the following lines, past blank lines and comments: the next key is taken in.
      const hidden = doc.lines.slice(index + 1).find((l) => l.kind === 'entry')?.key;
      hazards.push({
        kind: 'no-equals',
        line,
        ...(hidden !== undefined && { hides: hidden }),
        message: `line ${line} has no "=": Node's parser reads it together with the lines after it${
          hidden !== undefined ? `, which hides ${hidden} from Node` : ''
        }; remove it or make it a comment`,
      });
    }
    if (current.terminator === '\r' && index < doc.lines.length - 1) {
      const next = doc.lines[index + 1]!;
      const hidden = next.kind === 'entry' ? next.key : undefined;
      hazards.push({
        kind: 'lone-cr',
        line,
        ...(hidden !== undefined && { hides: hidden }),
        message: `line ${line} ends with a lone CR, which Node does not take as a line end${
          hidden !== undefined ? `, so it does not see ${hidden}` : ''
        }; save the file with LF or CRLF line endings`,
      });
    }
    line += (current.raw.match(/\r\n|\n|\r/g)?.length ?? 0) + (current.terminator ? 1 : 0);
  });
  return hazards;
}
