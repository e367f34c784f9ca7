/**
 * A strict reader of what `latchkey export --format tfvars` writes: lines `name = "…"`, where the quoted string
 * is an HCL template holding only literal text. It refuses everything HCL would treat differently from a literal
 * or refuse itself: an interpolation `${` or a directive `%{` (only `$${` and `%%{` are literal), a raw line
 * break, an unknown escape. Its decoding follows the HCL native syntax specification, so it stands in for
 * Terraform where Terraform is not installed.
 */
export function parseTfvars(text: string): Map<string, string> {
  const out = new Map<string, string>();
  if (text !== '' && !text.endsWith('\n')) throw new Error('the file does not end with a newline');
  for (const [index, line] of text.split('\n').slice(0, -1).entries()) {
    const match = /^([A-Za-z_][A-Za-z0-9_-]*) = (".*")$/s.exec(line);
    if (!match) throw new Error(`line ${index + 1} is not name = "string"`);
    if (out.has(match[1]!)) throw new Error(`line ${index + 1}: ${match[1]} is defined twice`);
    out.set(match[1]!, parseHclString(match[2]!));
  }
  return out;
}

const SIMPLE: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

export function parseHclString(literal: string): string {
  if (!literal.startsWith('"') || !literal.endsWith('"') || literal.length < 2) throw new Error('not a quoted string');
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length;) {
    const ch = body[i]!;
    if (ch === '"') throw new Error(`unescaped quote at ${i}`);
    if (ch === '\n' || ch === '\r') throw new Error(`raw line break at ${i}`);
    if (ch === '\\') {
      const next = body[i + 1];
      if (next !== undefined && SIMPLE[next] !== undefined) {
        out += SIMPLE[next];
        i += 2;
      } else if (next === 'u' || next === 'U') {
        const width = next === 'u' ? 4 : 8;
        const hex = body.slice(i + 2, i + 2 + width);
        if (!new RegExp(`^[0-9A-Fa-f]{${width}}$`).test(hex)) throw new Error(`bad \\${next} escape at ${i}`);
        out += String.fromCodePoint(parseInt(hex, 16));
        i += 2 + width;
      } else {
        throw new Error(`unknown escape \\${next ?? '(end)'} at ${i}`);
      }
      continue;
    }
    if ((ch === '$' || ch === '%') && body[i + 1] === ch && body[i + 2] === '{') {
      out += `${ch}{`;
      i += 3;
      continue;
    }
    if ((ch === '$' || ch === '%') && body[i + 1] === '{') {
      throw new Error(`${ch === '$' ? 'interpolation' : 'directive'} at ${i}: the value would not be literal`);
    }
    out += ch;
    i += 1;
  }
  return out;
}
