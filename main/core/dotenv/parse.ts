import type { Dialect } from '../types';

export interface DotenvLine {
  /** 'entry' = a KEY=value assignment; 'other' = comment, blank line, or anything we do not understand (kept verbatim). */
  kind: 'entry' | 'other';
  /** The verbatim source text of this line, or of all lines a multi-line quoted value spans, WITHOUT the final line terminator. */
  raw: string;
  key?: string; // entries only
  value?: string; // entries only: the decoded value, as the dialect's reader would see it
  /**
   * The terminator that followed `raw` in the source ('' for a last line without one). Kept per line so that a
   * file with mixed line endings is rewritten byte for byte. Lines built by hand may omit it: the renderer then
   * uses the document's eol.
   */
  terminator?: string;
}

export interface DotenvDocument {
  lines: DotenvLine[];
  eol: '\n' | '\r\n';
  finalNewline: boolean;
  bom: boolean;
}

interface PhysicalLine {
  text: string;
  terminator: string;
  /** Offset of `text` in the normalized text (every terminator replaced by a single LF). */
  start: number;
}

/** What a dialect's scanner found at the start of a physical line. */
interface Scan {
  key: string;
  value: string;
  /** Offset, in the normalized text, of a character on the last physical line the entry spans. */
  endsAt: number;
}

const BOM = '\ufeff';

/**
 * Where each dialect's reader ends a line. dotenv and python-dotenv end one at LF, CRLF and a lone CR; docker's
 * bufio.ScanLines at LF and CRLF; a shell only at LF (a CR before it is part of the line, and of a value).
 */
const LINE_TERMINATORS: Record<Dialect, RegExp> = {
  portable: /\r\n|\n|\r/g,
  docker: /\r\n|\n/g,
  shell: /\n/g,
};

function splitLines(body: string, dialect: Dialect): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  const terminator = new RegExp(LINE_TERMINATORS[dialect]);
  let from = 0;
  let start = 0;
  for (let match = terminator.exec(body); match; match = terminator.exec(body)) {
    const text = body.slice(from, match.index);
    lines.push({ text, terminator: match[0], start });
    start += text.length + 1;
    from = match.index + match[0].length;
  }
  if (from < body.length) lines.push({ text: body.slice(from), terminator: '', start });
  return lines;
}

// ---------------------------------------------------------------------------------------------------------------
// portable: read the way the `dotenv` npm package reads (its default parser). It matches one regular expression
// per statement against the text with every line ending turned into LF; we follow the same decisions, statement by
// statement, so that we also know which physical lines each statement spans.
// ---------------------------------------------------------------------------------------------------------------

/**
 * dotenv's statement head. Its \s may run over line ends (`KEY` on one line, `=value` on the next is one
 * statement); only the leading white space is kept to the line, so that blank lines stay lines of their own.
 */
const PORTABLE_HEAD = /[^\S\n]*(?:export\s+)?([\w.-]+)(?:\s*=|:\s)/y;
const AFTER_CLOSING_QUOTE = /\s*(?:#.*)?$/my;
const QUOTES = new Set(["'", '"', '`']);

/** dotenv's own final steps: trim, strip one pair of matching quotes, decode `\n` and `\r` after a leading `"`. */
function finishDotenvValue(captured: string): string {
  let value = captured.trim();
  const first = value[0];
  value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
  if (first === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
  return value;
}

/** Positions of each quote character, split by whether a backslash stands right before it. */
interface QuoteIndex {
  plain: Map<string, number[]>;
  escaped: Map<string, number[]>;
}

function indexQuotes(text: string): QuoteIndex {
  const index: QuoteIndex = { plain: new Map(), escaped: new Map() };
  for (const quote of QUOTES) {
    index.plain.set(quote, []);
    index.escaped.set(quote, []);
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (QUOTES.has(ch)) (text[i - 1] === '\\' ? index.escaped : index.plain).get(ch)?.push(i);
  }
  return index;
}

/** Index of the first element of the ascending `sorted` that is greater than `after`. */
function firstAfter(sorted: number[], after: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] > after) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * Where dotenv's pattern `Q(?:\\Q|[^Q])*Q` may close a quoted value opened at `open`: the first quote without a
 * backslash right before it, then, as the regex engine backtracks, each backslash-escaped quote before that one,
 * last first. (A backslash before a quote always pairs with it: the pattern never lets the quote pair it away.)
 */
function* closingQuoteCandidates(quotes: QuoteIndex, quote: string, open: number): Generator<number> {
  const plain = quotes.plain.get(quote) ?? [];
  const escaped = quotes.escaped.get(quote) ?? [];
  const firstPlain = firstAfter(plain, open);
  const limit = firstPlain < plain.length ? plain[firstPlain] : Infinity;
  if (limit !== Infinity) yield limit;
  const from = firstAfter(escaped, open);
  for (let i = firstAfter(escaped, limit) - 1; i >= from; i--) yield escaped[i];
}

interface ScanContext {
  text: string;
  /** Built on first use: only the portable dialect needs it. */
  quotes?: QuoteIndex;
}

function scanPortable(ctx: ScanContext, line: PhysicalLine): Scan | undefined {
  const { text } = ctx;
  PORTABLE_HEAD.lastIndex = line.start;
  const head = PORTABLE_HEAD.exec(text);
  if (!head) return undefined;
  const key = head[1];
  const valueStart = PORTABLE_HEAD.lastIndex;

  // dotenv's quoted alternatives come first, and their leading \s* may run over line ends too.
  let open = valueStart;
  while (open < text.length && /\s/.test(text[open])) open++;
  if (QUOTES.has(text[open])) {
    ctx.quotes ??= indexQuotes(text);
    for (const close of closingQuoteCandidates(ctx.quotes, text[open], open)) {
      AFTER_CLOSING_QUOTE.lastIndex = close + 1;
      if (AFTER_CLOSING_QUOTE.test(text)) {
        return { key, value: finishDotenvValue(text.slice(valueStart, close + 1)), endsAt: close };
      }
    }
  }

  // Unquoted: everything up to a `#` or the end of the line.
  let end = valueStart;
  while (end < text.length && text[end] !== '#' && text[end] !== '\n') end++;
  return { key, value: finishDotenvValue(text.slice(valueStart, end)), endsAt: valueStart };
}

// ---------------------------------------------------------------------------------------------------------------
// docker: `docker run --env-file` semantics. The line loses its leading white space; blank lines and lines
// starting with `#` are skipped; the name is what comes before the first `=` and the value is the rest, literally.
// ---------------------------------------------------------------------------------------------------------------

const GO_LEADING_SPACE = /^[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

function scanDocker(_ctx: ScanContext, line: PhysicalLine): Scan | undefined {
  // bufio.ScanLines also drops a CR that ends the file's last line.
  const content = line.terminator === '' ? line.text.replace(/\r$/, '') : line.text;
  const trimmed = content.replace(GO_LEADING_SPACE, '');
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const equals = trimmed.indexOf('=');
  if (equals <= 0) return undefined;
  const key = trimmed.slice(0, equals);
  // docker run rejects the whole file for such a name; we just do not treat the line as an entry.
  if (/[ \t]/.test(key)) return undefined;
  return { key, value: trimmed.slice(equals + 1), endsAt: line.start };
}

// ---------------------------------------------------------------------------------------------------------------
// shell: one POSIX assignment per statement, optionally exported: `[export ]NAME=word [# comment]`. The word may
// mix unquoted text, '…' and "…" parts. Anything whose value depends on the shell's state (parameter expansion,
// command substitution, tilde expansion) or that does more than assign (`A=1 cmd`, `A=1; B=2`) is not understood.
// ---------------------------------------------------------------------------------------------------------------

const SHELL_KEY = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=/;
const SHELL_WORD_END = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);
const DOUBLE_QUOTE_ESCAPABLE = new Set(['$', '`', '"', '\\', '\n']);

interface ShellWord {
  value: string;
  end: number;
}

function readShellWord(text: string, from: number): ShellWord | undefined {
  let value = '';
  let i = from;
  while (i < text.length && !SHELL_WORD_END.has(text[i])) {
    const ch = text[i];
    if (ch === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return undefined;
      value += text.slice(i + 1, close);
      i = close + 1;
    } else if (ch === '"') {
      i++;
      for (;;) {
        if (i >= text.length || text[i] === '$' || text[i] === '`') return undefined;
        if (text[i] === '"') break;
        if (text[i] === '\\' && DOUBLE_QUOTE_ESCAPABLE.has(text[i + 1])) {
          if (text[i + 1] !== '\n') value += text[i + 1];
          i += 2;
        } else {
          value += text[i++];
        }
      }
      i++;
    } else if (ch === '\\') {
      if (i + 1 >= text.length) return undefined;
      if (text[i + 1] !== '\n') value += text[i + 1];
      i += 2;
    } else if (ch === '$' || ch === '`') {
      return undefined;
    } else if (ch === '~' && (i === from || text[i - 1] === ':')) {
      // Tilde expansion applies in assignments, at the start and after each unquoted colon.
      return undefined;
    } else {
      value += ch;
      i++;
    }
  }
  return { value, end: i };
}

function scanShell({ text }: ScanContext, line: PhysicalLine): Scan | undefined {
  const head = SHELL_KEY.exec(line.text);
  if (!head) return undefined;
  const word = readShellWord(text, line.start + head[0].length);
  if (!word) return undefined;
  let i = word.end;
  while (text[i] === ' ' || text[i] === '\t') i++;
  const commentAllowed = i > word.end;
  if (i < text.length && text[i] !== '\n' && !(commentAllowed && text[i] === '#')) return undefined;
  return { key: head[1], value: word.value, endsAt: Math.max(line.start, word.end - 1) };
}

const SCANNERS: Record<Dialect, (ctx: ScanContext, line: PhysicalLine) => Scan | undefined> = {
  portable: scanPortable,
  docker: scanDocker,
  shell: scanShell,
};

function lineIndexOf(lines: PhysicalLine[], offset: number, from: number): number {
  let index = from;
  while (index + 1 < lines.length && lines[index + 1].start <= offset) index++;
  return index;
}

function joinRaw(lines: PhysicalLine[], first: number, last: number): string {
  let raw = lines[first].text;
  for (let i = first + 1; i <= last; i++) raw += lines[i - 1].terminator + lines[i].text;
  return raw;
}

/**
 * Reads a `.env` file tolerantly. Every byte of the input lands in exactly one line's `raw` or `terminator` (or
 * the BOM flag), so rendering the document without changes gives back the input exactly.
 */
export function parseDotenv(text: string, dialect: Dialect = 'portable'): DotenvDocument {
  const bom = text.startsWith(BOM);
  const body = bom ? text.slice(BOM.length) : text;
  const physical = splitLines(body, dialect);
  const finalNewline = physical.length > 0 && physical[physical.length - 1].terminator !== '';
  const normalized = physical.map((line) => line.text).join('\n') + (finalNewline ? '\n' : '');
  const scan = SCANNERS[dialect];
  const ctx: ScanContext = { text: normalized };

  const lines: DotenvLine[] = [];
  for (let i = 0; i < physical.length;) {
    const found = scan(ctx, physical[i]);
    if (!found) {
      lines.push({ kind: 'other', raw: physical[i].text, terminator: physical[i].terminator });
      i++;
      continue;
    }
    const last = lineIndexOf(physical, found.endsAt, i);
    lines.push({
      kind: 'entry',
      raw: joinRaw(physical, i, last),
      key: found.key,
      value: found.value,
      terminator: physical[last].terminator,
    });
    i = last + 1;
  }

  const firstTerminator = physical.find((line) => line.terminator !== '')?.terminator;
  return {
    lines,
    eol: firstTerminator === '\r\n' ? '\r\n' : '\n',
    finalNewline,
    bom,
  };
}

/** The values readers would end up with: for a key written more than once, the last one wins (as in every reader). */
export function documentValues(doc: DotenvDocument): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of doc.lines) {
    if (line.kind === 'entry' && line.key !== undefined && line.value !== undefined) values.set(line.key, line.value);
  }
  return values;
}
