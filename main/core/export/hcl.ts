import { checkAll } from './refusals';

/*
 * Terraform's .tfvars is HCL native syntax: `name = "…"`. A quoted HCL string is a template: `${` starts an
 * interpolation and `%{` a directive, and they are kept literal only by doubling the first character (`$${`,
 * `%%{`). The only backslash escapes are \n \r \t \" \\ \uNNNN and \UNNNNNNNN. Terraform also normalises every
 * string to Unicode NFC, so a value that is not already NFC would come back changed.
 */

export const TFVARS_REFUSAL = {
  notNfc: 'the value is not in Unicode NFC form, and Terraform normalises every string to NFC',
} as const;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The value as a quoted HCL string literal that Terraform reads back exactly. */
export function hclQuoted(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const escaped = ESCAPES[ch];
    if (escaped) out += escaped;
    else if ((ch === '$' || ch === '%') && value[i + 1] === '{') out += ch + ch;
    else if (ch < ' ' || ch === '\x7f') out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function tfvarsProblem(_key: string, value: string): string | undefined {
  return value.normalize('NFC') === value ? undefined : TFVARS_REFUSAL.notNfc;
}

export function tfvars(values: Map<string, string>): string {
  checkAll('tfvars', values, tfvarsProblem);
  return [...values].map(([key, value]) => `${key} = ${hclQuoted(value)}\n`).join('');
}
