import { checkAll } from './refusals';

/*
 * A .properties file as java.util.Properties#store writes it, so that Properties#load reads it back exactly
 * whether it reads the bytes as ISO-8859-1 (load(InputStream), the Java default) or as UTF-8 (load(Reader)):
 * everything outside printable ASCII is a \uXXXX escape (UTF-16 code units), `\`, `=`, `:`, `#` and `!` are
 * escaped, tab, LF, CR and FF use their letter escapes, and spaces are escaped in keys and at the start of values.
 */

const LETTER: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\f': '\\f' };

function escapeProperty(text: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    if (ch === ' ') out += isKey || i === 0 ? '\\ ' : ' ';
    else if (LETTER[ch]) out += LETTER[ch];
    else if ('\\=:#!'.includes(ch)) out += `\\${ch}`;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

export function javaProperties(values: Map<string, string>): string {
  checkAll('java-properties', values, () => undefined);
  return [...values].map(([key, value]) => `${escapeProperty(key, true)}=${escapeProperty(value, false)}\n`).join('');
}
