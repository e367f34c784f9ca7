import { checkAll, COMMON_REFUSAL } from './refusals';

/*
 * csv and tsv as chamber writes them (Go's encoding/csv, with a tab as the separator for tsv): one `key,value`
 * record per line, no header. A field is quoted when it holds the separator, a quote, a CR or an LF, starts with
 * white space, or is exactly `\.`; a quote inside is doubled. Records end with LF.
 */

function needsQuotes(field: string, separator: string): boolean {
  return field === '\\.' || field.includes(separator) || /["\r\n]/.test(field) || /^\s/u.test(field);
}

function quoteField(field: string, separator: string): string {
  return needsQuotes(field, separator) ? `"${field.replace(/"/g, '""')}"` : field;
}

export function delimited(values: Map<string, string>, format: 'csv' | 'tsv'): string {
  const separator = format === 'csv' ? ',' : '\t';
  checkAll(format, values, (_key, value) => (value.includes('\0') ? COMMON_REFUSAL.nul : undefined));
  return [...values]
    .map(([key, value]) => `${quoteField(key, separator)}${separator}${quoteField(value, separator)}\n`)
    .join('');
}
