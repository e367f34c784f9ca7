/**
 * The user's editor command from Settings (e.g. `code -g {file}:{line}`), split into a program and its arguments
 * the way a person reads it, for a spawn without a shell: words split at white space, a word in "double" or
 * 'single' quotes kept whole, and no other meaning for any character (no $, no ;, no backslash escapes, no globs).
 * `{file}` and `{line}` are filled in after the split, so a path with spaces stays one argument.
 */

export const EDITOR_COMMAND_MAX = 500;

export interface EditorInvocation {
  command: string;
  args: string[];
}

/** Splits a command template into words; a string says what is wrong with it. */
function splitWords(template: string): string[] | string {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (const ch of template) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) return `a ${quote === '"' ? 'double' : 'single'} quote is not closed`;
  if (inWord) words.push(word);
  return words;
}

/** Why a template cannot be used, or undefined when it can. An empty template means "the system's default app". */
export function editorCommandProblem(template: string): string | undefined {
  if (template.trim() === '') return undefined;
  if (template.length > EDITOR_COMMAND_MAX) return `keep it under ${EDITOR_COMMAND_MAX} characters`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(template)) return 'it holds a line break or another control character';
  const words = splitWords(template);
  if (typeof words === 'string') return words;
  const [command, ...args] = words;
  if (!command) return 'name the editor program first';
  if (command.includes('{file}') || command.includes('{line}')) return 'name the editor program first';
  if (!args.some((a) => a.includes('{file}'))) return 'put {file} where the file goes, e.g. code -g {file}:{line}';
  return undefined;
}

/** The program and arguments for one file at one line; throws on a template editorCommandProblem refuses. */
export function editorInvocation(template: string, file: string, line: number): EditorInvocation {
  const problem = editorCommandProblem(template);
  const words = splitWords(template);
  if (problem !== undefined || typeof words === 'string' || words.length === 0) {
    throw new Error(`unusable editor command: ${problem ?? 'empty'}`);
  }
  const fill = (word: string) => word.replaceAll('{file}', file).replaceAll('{line}', String(line));
  const [command, ...args] = words;
  return { command: command!, args: args.map(fill) };
}
