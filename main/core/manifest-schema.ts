import { posix } from 'node:path';
import * as z from 'zod';
import { PROFILE_NAME_PATTERN, PROFILE_NAME_RULE } from '../../contract/ipc/shared';
import { DEFAULT_DIALECT, DialectSchema, SOURCE_KINDS, type SourceKind } from '../../contract/plan';
import { validateEnvName } from './names';
import { refusedTargetReason } from './target-rules';

/**
 * The shape of latchkey.yml (DESIGN.md §1), as zod schemas over the plain data read from the YAML. Positions are
 * not known here: every problem carries a path into the document, and manifest.ts turns that into line:col.
 */

/** chamber's own validation (REFERENCE.md). `\w` is ASCII here, as in Go. */
export const CHAMBER_SERVICE_PATTERN = /^[\w\-.]+(\/[\w\-.]+)*$/;
export const CHAMBER_KEY_PATTERN = /^[\w\-.]+$/;
const SSM_NAME_PATTERN = /^(\/[\w\-.]+)+$/;
const S3_URL_PATTERN = /^s3:\/\/([^/]+)\/(.+)$/;
const S3_BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const OP_QUERIES = new Set(['attribute=otp', 'attribute=totp']);
/** Looked for in this order; both in one folder is an error rather than a guess. */
export const MANIFEST_FILE_NAMES = ['latchkey.yml', 'latchkey.yaml'] as const;

/** Where in the document a problem should point: the value, its key, or the mapping that lacks the key. */
export type ProblemAnchor = 'value' | 'key' | 'parent';

/** A schema problem before it has a position. `path` leads to the node the anchor refers to. */
export interface SchemaProblem {
  path: (string | number)[];
  anchor: ProblemAnchor;
  message: string;
  /** Where it is in the text, when the path alone cannot say (a duplicate key: the path finds the first one). */
  offset?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Scalars

const text = z.string().min(1);

const envName = z.string().superRefine((name, ctx) => {
  const result = validateEnvName(name);
  if (!result.ok) ctx.addIssue({ code: 'custom', message: result.reason });
});

/** A path inside the manifest's folder, as committed: portable, relative, not escaping, naming a file. */
const insidePath = z.string().superRefine((value, ctx) => {
  const problem = insidePathProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export function insidePathProblem(value: string): string | undefined {
  const shown = JSON.stringify(value);
  if (value === '') return "expected a file path relative to the manifest's folder; found an empty string";
  if (value.includes('\0')) return `${shown} contains a NUL character`;
  if (value.includes('\\')) return `${shown} uses \\; separate folders with / (the manifest is shared across systems)`;
  if (posix.isAbsolute(value) || /^[A-Za-z]:/.test(value)) {
    return `${shown} is absolute; expected a path relative to the manifest's folder`;
  }
  if (value.startsWith('~'))
    return `${shown} starts with ~, which is not expanded; expected a path relative to the manifest's folder`;
  const normal = posix.normalize(value);
  if (normal === '..' || normal.startsWith('../')) return `${shown} leads outside the manifest's folder`;
  if (normal === '.' || normal === './' || value.endsWith('/')) return `${shown} names a folder; expected a file`;
  if ((MANIFEST_FILE_NAMES as readonly string[]).includes(normal)) return `${shown} is the manifest itself`;
  const refused = refusedTargetReason(normal);
  if (refused) return `${shown} is refused: ${refused}; choose another path (see docs/SECURITY.md)`;
  return undefined;
}

const chamberService = z.string().superRefine((service, ctx) => {
  if (service.startsWith('/')) {
    ctx.addIssue({
      code: 'custom',
      message: `a chamber service has no leading slash: write ${JSON.stringify(service.replace(/^\/+/, ''))}`,
    });
  } else if (!CHAMBER_SERVICE_PATTERN.test(service)) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(service)} is not a chamber service: use letters, digits, _ - and ., with single / between parts and none at either end`,
    });
  } else if (service.toLowerCase() === '_chamber') {
    ctx.addIssue({ code: 'custom', message: '"_chamber" is reserved by chamber' });
  }
});

const chamberKey = z.string().superRefine((key, ctx) => {
  if (!CHAMBER_KEY_PATTERN.test(key)) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(key)} is not a chamber key: use letters, digits, _ - and .`,
    });
  }
});

const ssmName = z.string().superRefine((name, ctx) => {
  if (!name.startsWith('/')) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a full parameter name starting with /, e.g. /legacy/stripe_key; found ${JSON.stringify(name)}`,
    });
  } else if (!SSM_NAME_PATTERN.test(name)) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(name)} is not a parameter name: use letters, digits, _ - and ., with single / between parts and none at the end`,
    });
  }
});

const s3Url = z.string().superRefine((url, ctx) => {
  const match = S3_URL_PATTERN.exec(url);
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `expected s3://bucket/key; found ${JSON.stringify(url)}` });
  } else if (!S3_BUCKET_PATTERN.test(match[1]!)) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(match[1])} is not an S3 bucket name (3-63 characters: a-z, 0-9, . and -)`,
    });
  }
});

/** Plain values: the manifest keeps their source text (manifest.ts), so only scalars make sense. */
const setValue = z.unknown().superRefine((value, ctx) => {
  const scalar =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date;
  if (!scalar)
    ctx.addIssue({ code: 'custom', message: `expected a string, number or boolean; found ${describeType(value)}` });
});

// ---------------------------------------------------------------------------------------------------------------
// Objects

const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]{2,1224}$/;
const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/;

const awsSchema = z.strictObject({
  profile: text.optional(),
  region: text.optional(),
  roleArn: z
    .string()
    .regex(ROLE_ARN_PATTERN, 'expected an IAM role ARN, e.g. arn:aws:iam::123456789012:role/ci-reader')
    .optional(),
  externalId: z
    .string()
    .regex(EXTERNAL_ID_PATTERN, 'expected 2 to 1224 characters of letters, digits and +=,.@:/-')
    .optional(),
  sessionName: z
    .string()
    .regex(SESSION_NAME_PATTERN, 'expected 2 to 64 characters of letters, digits and +=,.@-')
    .optional(),
});
/** How `latchkey rotate` makes a new value (core/chamber-rules.ts). */
const GENERATE_CHARSETS = ['url-safe', 'alphanumeric', 'hex', 'printable'] as const;
export type GenerateCharset = (typeof GENERATE_CHARSETS)[number];
const MIN_GENERATE_LENGTH = 16;
/** SSM's standard tier holds 4 KB a value. */
const MAX_GENERATE_LENGTH = 4096;
const generateSchema = z.strictObject({
  length: z
    .number()
    .int('expected a whole number of characters')
    .min(MIN_GENERATE_LENGTH, `expected at least ${MIN_GENERATE_LENGTH} characters`)
    .max(MAX_GENERATE_LENGTH, `expected at most ${MAX_GENERATE_LENGTH} characters`)
    .default(40),
  charset: z.enum(GENERATE_CHARSETS).default('url-safe'),
});

const rotationSchema = z.strictObject({
  maxAgeDays: z.number().int('expected a whole number of days').positive('expected a number of days above 0'),
});

const chamberSource = z
  .strictObject({
    chamber: chamberService,
    only: z.array(chamberKey).min(1).optional(),
    /** A service that may be empty: nothing under it is a warning instead of an error. */
    optional: z.boolean().optional(),
    rotation: rotationSchema.optional(),
    generate: generateSchema.optional(),
    aws: awsSchema.optional(),
  })
  .transform((v) => ({ kind: 'chamber' as const, ...v }));

const ssmSource = z
  .strictObject({
    ssm: ssmName,
    as: envName.optional(),
    rotation: rotationSchema.optional(),
    generate: generateSchema.optional(),
    aws: awsSchema.optional(),
  })
  .transform((v) => ({ kind: 'ssm' as const, ...v }));

/** For `fields: all`: field label -> variable name, for the fields whose `<ITEM>_<FIELD>` name does not suit. */
const opFieldNames = z.record(z.string().min(1, { error: 'a field label cannot be empty' }), envName);

const opSource = z
  .strictObject({
    op: z.string(),
    as: z.union([envName, opFieldNames]).optional(),
    fields: z.literal('all', { error: 'expected "all" (take every field of the item)' }).optional(),
    totp: z.literal('code', { error: 'expected "code" (write the current one-time code of OTP fields)' }).optional(),
    rotation: rotationSchema.optional(),
  })
  .superRefine((v, ctx) => {
    const problem = opRefProblem(v.op, v.fields === 'all');
    if (problem) ctx.addIssue({ code: 'custom', path: ['op'], message: problem });
    if (v.fields === 'all' && typeof v.as === 'string') {
      ctx.addIssue({
        code: 'custom',
        path: ['as'],
        message:
          'one name cannot hold every field of an item: with fields: all, as: maps field labels to names (as: { password: DB_PASSWORD })',
      });
    }
    if (v.fields !== 'all' && v.as !== undefined && typeof v.as !== 'string') {
      ctx.addIssue({
        code: 'custom',
        path: ['as'],
        message: 'a map of field names needs fields: all; for one field, as: is a single name',
      });
    }
    if (v.fields !== 'all' && v.totp !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['totp'],
        message: 'totp: code goes with fields: all; for one field, add ?attribute=otp to the reference',
      });
    }
  })
  .transform(({ as, ...v }) => ({
    kind: 'op' as const,
    ...v,
    ...(typeof as === 'string' && { as }),
    ...(as !== undefined && typeof as !== 'string' && { fieldNames: as }),
  }));

const keychainSource = z
  .strictObject({ keychain: envName, rotation: rotationSchema.optional() })
  .transform((v) => ({ kind: 'keychain' as const, ...v }));

/**
 * A file secret's permission bits, as `"0600"` or `0600`. YAML 1.2 reads a bare `0600` as the decimal 600, so a
 * number is read by its digits; `0o600` (384) is refused rather than guessed. Group and others may at most read,
 * and nothing is executable: the file holds a secret, not a program.
 */
const fileMode = z.union([z.string(), z.number()]).transform((raw, ctx) => {
  const digits = typeof raw === 'number' ? String(raw) : raw.replace(/^0(?=[0-7]{3}$)/, '');
  const mode = /^[0-7]{3}$/.test(digits) ? parseInt(digits, 8) : undefined;
  if (mode === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected an octal mode such as "0600"; found ${JSON.stringify(raw)}` });
    return z.NEVER;
  }
  if ((mode & 0o400) === 0 || (mode & 0o133) !== 0) {
    ctx.addIssue({
      code: 'custom',
      message: `mode ${JSON.stringify(raw)} must let the owner read, and neither execute nor let others write (e.g. "0600", "0640", "0644")`,
    });
    return z.NEVER;
  }
  return mode;
});

const s3Source = z
  .strictObject({
    s3: s3Url,
    file: insidePath.optional(),
    as: envName.optional(),
    mode: fileMode.optional(),
    /** SSE (aws:kms or AES256) is required unless this says otherwise. */
    allowUnencrypted: z.boolean().optional(),
    rotation: rotationSchema.optional(),
    aws: awsSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.file === undefined) === (v.as === undefined)) {
      const found = v.file === undefined ? 'neither' : 'both';
      ctx.addIssue({
        code: 'custom',
        message: `expected exactly one of file (write the object to a file) or as (a variable); found ${found}`,
      });
    }
    if (v.mode !== undefined && v.file === undefined) {
      ctx.addIssue({ code: 'custom', message: 'mode applies to a file: add file, or remove mode', path: ['mode'] });
    }
  })
  .transform((v) => ({ kind: 's3' as const, ...v }));

const setSource = z
  .strictObject({ set: z.record(envName, setValue) })
  .transform((v) => ({ kind: 'set' as const, ...v }));

const KIND_SCHEMAS = {
  chamber: chamberSource,
  ssm: ssmSource,
  op: opSource,
  keychain: keychainSource,
  s3: s3Source,
  set: setSource,
} satisfies Record<SourceKind, z.ZodType>;

export type RawSource = z.output<(typeof KIND_SCHEMAS)[SourceKind]>;

const kindList = SOURCE_KINDS.join(', ');

/**
 * One entry of `sources`. The kind is decided by which key is present, which zod's unions cannot say clearly, so
 * the entry picks its schema itself and hands the schema's problems up with their paths.
 */
const sourceEntry = z.unknown().transform((input, ctx): RawSource => {
  if (!isPlainObject(input)) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a mapping with exactly one of ${kindList}; found ${describeType(input)}`,
    });
    return z.NEVER;
  }
  const present = Object.keys(input).filter((key): key is SourceKind =>
    (SOURCE_KINDS as readonly string[]).includes(key),
  );
  if (present.length !== 1) {
    const found = present.length === 0 ? `none${kindSuggestion(Object.keys(input))}` : joinAnd(present);
    ctx.addIssue({ code: 'custom', message: `expected exactly one of ${kindList}; found ${found}` });
    return z.NEVER;
  }
  const kind = present[0]!;
  const schema = KIND_SCHEMAS[kind];
  const result = schema.safeParse(input, PARSE_PARAMS);
  if (result.success) return result.data;
  for (const problem of schemaProblems(result.error.issues, schema)) {
    const message = misplacedOption(problem, kind) ?? problem.message;
    ctx.addIssue({ code: 'custom', path: problem.path, message, params: { anchor: problem.anchor } });
  }
  return z.NEVER;
});

const OPTION_KEYS = new Set(['only', 'as', 'fields', 'totp', 'file', 'rotation', 'generate', 'aws']);

/** `as:` under a chamber source is not a typo of `aws:`: say that the option belongs to other kinds. */
function misplacedOption(problem: SchemaProblem, kind: SourceKind): string | undefined {
  const key = problem.path[0];
  if (problem.anchor !== 'key' || problem.path.length !== 1 || typeof key !== 'string' || !OPTION_KEYS.has(key))
    return undefined;
  const allowed = knownKeysAt(KIND_SCHEMAS[kind], []).filter((k) => k !== kind);
  const takes = allowed.length > 0 ? `; it takes ${allowed.join(', ')}` : '';
  return `${key} does not apply to ${kind} sources${takes}`;
}

const profileSchema = z.strictObject({
  description: z.string().optional(),
  target: insidePath.default('.env'),
  dialect: DialectSchema.default(DEFAULT_DIALECT),
  rotation: rotationSchema.optional(),
  generate: generateSchema.optional(),
  aws: awsSchema.optional(),
  sources: z.array(sourceEntry),
});

const profileName = z.string().superRefine((name, ctx) => {
  if (!PROFILE_NAME_PATTERN.test(name)) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(name)} is not a profile name: use ${PROFILE_NAME_RULE}`,
    });
  }
});

const manifestSchema = z.strictObject({
  version: z.literal(1, {
    error: (issue) =>
      issue.input === undefined ? undefined : 'expected 1, the only manifest version this Latchkey reads',
  }),
  aws: awsSchema.optional(),
  rotation: rotationSchema.optional(),
  profiles: z
    .record(profileName, profileSchema)
    .refine((profiles) => Object.keys(profiles).length > 0, 'expected at least one profile'),
});

export type RawManifest = z.output<typeof manifestSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Problems

/** Validate plain data read from YAML; problems come back with paths, not yet positions. */
export function validateManifestData(
  data: unknown,
): { ok: true; value: RawManifest } | { ok: false; problems: SchemaProblem[] } {
  const result = manifestSchema.safeParse(data, PARSE_PARAMS);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: schemaProblems(result.error.issues, manifestSchema) };
}

const PARSE_PARAMS = { reportInput: true, error: describeIssue } as const;

/** zod issues → problems: one per unknown key (with a suggestion), missing keys anchored at their mapping. */
function schemaProblems(issues: readonly z.core.$ZodIssue[], root: z.ZodType): SchemaProblem[] {
  return issues.flatMap((issue): SchemaProblem[] => {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(root, path);
      return issue.keys.map((key) => ({
        path: [...path, key],
        anchor: 'key' as const,
        message: unknownKeyMessage(key, known),
      }));
    }
    if (issue.code === 'invalid_key') {
      return [{ path, anchor: 'key', message: issue.issues[0]?.message ?? issue.message }];
    }
    if (issue.code === 'custom' && isAnchor(issue.params?.['anchor'])) {
      return [{ path, anchor: issue.params['anchor'], message: issue.message }];
    }
    if (
      (issue.code === 'invalid_type' || issue.code === 'invalid_value') &&
      issue.input === undefined &&
      path.length > 0
    ) {
      return [
        { path, anchor: 'parent', message: `missing required key ${JSON.stringify(String(path[path.length - 1]))}` },
      ];
    }
    return [{ path, anchor: 'value', message: issue.message }];
  });
}

function isAnchor(value: unknown): value is ProblemAnchor {
  return value === 'value' || value === 'key' || value === 'parent';
}

/** Our wording for zod's built-in checks: "expected X; found Y", never quoting a value that could be a secret. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${EXPECTED_TYPES[issue.expected] ?? issue.expected}; found ${describeType(issue.input)}`;
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v));
      const expected = options.length === 1 ? options[0] : `one of ${options.join(', ')}`;
      return `expected ${expected}; found ${describeScalar(issue.input)}`;
    }
    case 'too_small':
      if (issue.origin === 'array')
        return `expected at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}; found none`;
      if (issue.origin === 'string') return 'expected a non-empty string';
      return undefined;
    default:
      return undefined;
  }
}

const EXPECTED_TYPES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

/** The kind of a YAML value, for "found …": never the value itself. */
function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

/** Only for enum-like settings (dialect, version, fields), which are never secrets. */
function describeScalar(value: unknown): string {
  if (typeof value === 'string' && value.length <= 40) return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return describeType(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function kindSuggestion(keys: string[]): string {
  for (const key of keys) {
    const near = closest(key, SOURCE_KINDS);
    if (near) return ` (did you mean ${JSON.stringify(near)} instead of ${JSON.stringify(key)}?)`;
  }
  return '';
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const near = closest(key, known);
  if (near) return `unknown key ${JSON.stringify(key)} (did you mean ${JSON.stringify(near)}?)`;
  return known.length > 0
    ? `unknown key ${JSON.stringify(key)}; expected one of ${known.join(', ')}`
    : `unknown key ${JSON.stringify(key)}`;
}

/** The known key nearest to a typo, if it is near enough to be a likely slip. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: { word: string; distance: number } | undefined;
  for (const word of known) {
    const distance = key.toLowerCase() === word.toLowerCase() ? 0 : editDistance(key, word);
    if (distance <= Math.min(2, Math.floor(word.length / 3)) && (!best || distance < best.distance)) {
      best = { word, distance };
    }
  }
  return best?.word;
}

/** Levenshtein distance with adjacent transpositions counted as one edit (`soruces` → `sources`). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The keys an object schema allows at `path`, for "did you mean". */
function knownKeysAt(root: z.ZodType, path: (string | number)[]): string[] {
  let schema: z.ZodType | undefined = unwrap(root);
  for (const segment of path) {
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(segment)];
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else return [];
    schema = schema && unwrap(schema);
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
}

/** The grammar of a 1Password reference; the resolver (a later issue) gives it meaning. */
export function opRefProblem(ref: string, allFields: boolean): string | undefined {
  const shape = allFields ? 'op://vault/item (with fields: all)' : 'op://vault/item[/section]/field[?attribute=otp]';
  if (!ref.startsWith('op://')) return `expected ${shape}; found a reference without op://`;
  const [pathPart = '', query, ...more] = ref.slice('op://'.length).split('?');
  if (more.length > 0 || (query !== undefined && !OP_QUERIES.has(query))) {
    return 'the only query a reference may carry is ?attribute=otp';
  }
  const segments = pathPart.split('/');
  if (segments.some((s) => s.trim() === '')) return `expected ${shape}; found an empty part`;
  if (allFields) {
    if (query !== undefined) return 'fields: all takes the whole item; drop the ?attribute query';
    return segments.length === 2 ? undefined : `fields: all takes op://vault/item; found ${segments.length} parts`;
  }
  if (segments.length === 2)
    return `expected ${shape}; found only vault and item (add the field, or fields: all for every field)`;
  return segments.length === 3 || segments.length === 4
    ? undefined
    : `expected ${shape}; found ${segments.length} parts`;
}
