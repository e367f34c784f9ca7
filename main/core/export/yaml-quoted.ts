/*
 * YAML where every scalar is a double-quoted string, so no reader can take it for anything else: YAML 1.1 reads
 * plain `on`, `yes`, `no`, `y`, `~`, `0123`, `1_000` and `2024-01-01` as booleans, null, octal, numbers and dates
 * (PyYAML, and the go-yaml v2 under kubectl and many Kubernetes tools, are YAML 1.1). Inside double quotes, every
 * character a reader could fold, trim or reject is escaped: C0 and C1 controls, DEL, the YAML 1.1 line breaks
 * NEL, LS and PS, the BOM and the two non-characters U+FFFE and U+FFFF.
 */

const NAMED: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\0': '\\0',
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
  '\x85': '\\N',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

// Control characters are exactly what this pattern is for.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\\"\0-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;

export function yamlQuoted(text: string): string {
  return `"${text.replace(NEEDS_ESCAPE, (ch) => NAMED[ch] ?? hexEscape(ch))}"`;
}

function hexEscape(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `"key": "value"` lines at the given indent. */
export function yamlMappingLines(entries: Iterable<[string, string]>, indent = ''): string {
  let out = '';
  for (const [key, value] of entries) out += `${indent}${yamlQuoted(key)}: ${yamlQuoted(value)}\n`;
  return out;
}
