/**
 * Values that have broken exporters before, each a trap for at least one consumer: template sequences for
 * Terraform, YAML 1.1 booleans, nulls, octals and dates, PEM blocks, quotes and backslashes, workflow-command
 * escapes for GitHub, white space at the edges, Unicode line breaks. Canaries: none of them may reach a log.
 */
export const TRICKY_VALUES: Record<string, string> = {
  TEMPLATE: 'canary-${var.x}-interpolated',
  DIRECTIVE: 'canary-%{ if true }yes%{ endif }',
  ESCAPED_TEMPLATE: 'canary-$${already}-%%{escaped}',
  DOLLAR_END: 'canary-ends-in-$',
  ON: 'on',
  YES: 'yes',
  NO: 'NO',
  Y: 'y',
  TILDE: '~',
  NULL_WORD: 'null',
  LEADING_ZERO: '0123',
  OCTAL_LIKE: '0o17',
  FLOAT_LIKE: '1e3',
  SEXAGESIMAL: '1:20',
  DATE: '2024-01-01',
  EMPTY: '',
  PEM: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-canary\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n',
  UNICODE: 'canary-ünïcødé-✓-🔑-日本語',
  DOUBLE_QUOTES: 'say "canary"',
  SINGLE_QUOTES: "it's a 'canary'",
  BACKSLASHES: 'C:\\canary\\path\\',
  ESCAPE_LOOKALIKES: 'canary\\n\\t\\u0041\\x41',
  HASH: 'canary # not a comment',
  COLON_SPACE: 'canary: value',
  DASH_START: '- canary',
  EQUALS: 'a=b==c',
  PERCENTS: 'canary%25%0A%0D%',
  MASK_LOOKALIKE: '::add-mask::canary',
  EDGE_SPACES: '  canary padded  ',
  TAB_INSIDE: 'canary\tand\ttabs',
  LINE_SEPARATORS: 'canary\u2028ls\u2029ps\u0085nel',
  CONTROLS: 'canary\u0001\u001b[0m\u007f',
  BOM_INSIDE: 'canary\ufeffbom',
  LONE_CR: 'canary\rcr',
  BRACES: '{{ canary }}',
  JSON_LIKE: '{"canary": [1, 2]}',
};

/** The subset a single-line, whitespace-trimming, non-expanding consumer (GitLab's dotenv report) can carry. */
export function singleLineSafe(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => !/[\n\r\0$]/.test(v) && !/^[\0\t\n\v\f\r ]|[\0\t\n\v\f\r ]$/.test(v)),
  );
}

/** True when the text holds a surrogate without its pair: not Unicode, so no UTF-8 output can hold it. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}
