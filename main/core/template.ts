import { LatchkeyError } from './errors';
import { CHAMBER_KEY_PATTERN, CHAMBER_SERVICE_PATTERN, opRefProblem } from './manifest-schema';
import { validateEnvName } from './names';

/*
 * `latchkey inject` templates: any text, with references in double braces.
 *   {{ op://vault/item[/section]/field }}   a 1Password field
 *   {{ chamber:service/key }}               a chamber key (the last segment is the key)
 *   {{ ssm:/full/parameter/name }}          one SSM parameter
 *   {{ env:NAME }}                          a variable the profile produces
 * A brace pair that does not start with `word:` is not a reference and stays as it is, so Helm's and Go's own
 * `{{ .Values.x }}` pass through. One that does but names another kind is an error: a typo must not pass silently.
 */

const REFERENCE_KINDS = ['op', 'chamber', 'ssm', 'env'] as const;
type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export interface TemplateRef {
  kind: ReferenceKind;
  /** What follows the kind: `//vault/item/field` for op, `web/dev/db_password` for chamber. */
  body: string;
  /** The reference as written inside the braces, trimmed: `chamber:web/dev/db_password`. */
  text: string;
  line: number;
  col: number;
}

export type TemplatePart = string | TemplateRef;

const REFERENCE = /\{\{\s*([A-Za-z][A-Za-z0-9+.-]*):((?:(?!\}\}).)*?)\s*\}\}/gs;
const SSM_NAME = /^(\/[\w\-.]+)+$/;

export function parseTemplate(text: string, file: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const problems: string[] = [];
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    const [whole, kind = '', body = ''] = match;
    const at = position(text, match.index);
    const where = `${file}:${at.line}:${at.col}`;
    if (!(REFERENCE_KINDS as readonly string[]).includes(kind)) {
      problems.push(`${where}: unknown reference kind "${kind}:" (expected op://, chamber:, ssm: or env:)`);
      continue;
    }
    const ref: TemplateRef = { kind: kind as ReferenceKind, body, text: `${kind}:${body}`, ...at };
    const problem = referenceProblem(ref);
    if (problem) {
      problems.push(`${where}: ${problem}`);
      continue;
    }
    parts.push(text.slice(last, match.index), ref);
    last = match.index + whole.length;
  }
  if (problems.length > 0) {
    throw new LatchkeyError('INVALID_INPUT', `the template has bad references:\n  ${problems.join('\n  ')}`);
  }
  parts.push(text.slice(last));
  return parts.filter((part) => part !== '');
}

function referenceProblem(ref: TemplateRef): string | undefined {
  switch (ref.kind) {
    case 'op':
      return opRefProblem(`op:${ref.body}`, false);
    case 'chamber': {
      const slash = ref.body.lastIndexOf('/');
      const service = ref.body.slice(0, slash);
      const key = ref.body.slice(slash + 1);
      if (slash <= 0 || !CHAMBER_SERVICE_PATTERN.test(service) || !CHAMBER_KEY_PATTERN.test(key)) {
        return `expected chamber:service/key, e.g. chamber:web/dev/db_password; found ${JSON.stringify(ref.text)}`;
      }
      return undefined;
    }
    case 'ssm':
      return SSM_NAME.test(ref.body)
        ? undefined
        : `expected ssm:/full/parameter/name; found ${JSON.stringify(ref.text)}`;
    case 'env': {
      const result = validateEnvName(ref.body);
      return result.ok ? undefined : `env:${ref.body}: ${result.reason}`;
    }
  }
}

function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

/** The template with every reference replaced by its value, as is: the template decides any quoting. */
export function renderTemplate(parts: TemplatePart[], valueOf: (ref: TemplateRef) => string): string {
  return parts.map((part) => (typeof part === 'string' ? part : valueOf(part))).join('');
}
