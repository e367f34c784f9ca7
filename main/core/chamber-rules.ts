import { randomInt } from 'node:crypto';
import { LatchkeyError } from './errors';
import { CHAMBER_KEY_PATTERN, CHAMBER_SERVICE_PATTERN, type GenerateCharset } from './manifest-schema';
import type { GeneratePolicy } from './types';

/** chamber's KMS key when CHAMBER_KMS_KEY_ALIAS is unset. */
export const DEFAULT_CHAMBER_KMS_KEY = 'alias/parameter_store_key';

/** The KMS key chamber would write with: `CHAMBER_KMS_KEY_ALIAS`, `alias/` prepended when missing. */
export function chamberKmsKey(env: NodeJS.ProcessEnv): string {
  const fromEnv = env.CHAMBER_KMS_KEY_ALIAS;
  if (fromEnv === undefined) return DEFAULT_CHAMBER_KMS_KEY;
  return fromEnv.startsWith('alias/') ? fromEnv : `alias/${fromEnv}`;
}

/** A service as chamber stores it: lower-cased, validated, `_chamber` reserved. */
export function normaliseService(service: string): string {
  const lower = service.toLowerCase();
  if (!CHAMBER_SERVICE_PATTERN.test(lower))
    throw new LatchkeyError(
      'INVALID_INPUT',
      `${JSON.stringify(service)} is not a chamber service`,
      'Use letters, digits, _ - and ., with single / between parts and none at either end.',
    );
  if (lower === '_chamber') throw new LatchkeyError('INVALID_INPUT', '"_chamber" is reserved by chamber');
  return lower;
}

/** A key as chamber stores it: lower-cased and validated. */
export function normaliseKey(key: string): string {
  const lower = key.toLowerCase();
  if (!CHAMBER_KEY_PATTERN.test(lower))
    throw new LatchkeyError(
      'INVALID_INPUT',
      `${JSON.stringify(key)} is not a chamber key`,
      'Use letters, digits, _ - and . only.',
    );
  return lower;
}

export function parameterName(service: string, key: string): string {
  return `/${service}/${key}`;
}

/** `/api/dev/db_password` → service `api/dev`, key `db_password`; undefined for a name at the root. */
export function splitParameterName(name: string): { service: string; key: string } | undefined {
  const at = name.lastIndexOf('/');
  if (at <= 0) return undefined;
  return { service: name.slice(1, at), key: name.slice(at + 1) };
}

/**
 * A glob as a matcher: `*` and `?` stay within one path segment, `**` crosses them. A pattern with a `/` is
 * matched against `service/key`, otherwise against the key alone. Case-insensitive, as chamber lower-cases.
 */
export function globMatcher(pattern: string): (service: string, key: string) => boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`, 'i');
  const withService = pattern.includes('/');
  return (service, key) => regex.test(withService ? `${service}/${key}` : key);
}

// ---------------------------------------------------------------------------------------------------------------
// The generator of rotated values

export const DEFAULT_GENERATE_POLICY: GeneratePolicy = { length: 40, charset: 'url-safe' };

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ALPHABETS: Record<GenerateCharset, string> = {
  'url-safe': `${ALNUM}-_`,
  alphanumeric: ALNUM,
  hex: '0123456789abcdef',
  // Printable ASCII without space, quotes and backslash: nothing a .env dialect or a shell needs to escape oddly.
  printable: `${ALNUM}!#$%&()*+,-./:;<=>?@[]^_{|}~`,
};

/** A new value from the CSPRNG; randomInt draws without modulo bias. */
export function generateSecret(policy: GeneratePolicy): string {
  const alphabet = ALPHABETS[policy.charset];
  let out = '';
  for (let i = 0; i < policy.length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export function alphabetOf(charset: GenerateCharset): string {
  return ALPHABETS[charset];
}

// ---------------------------------------------------------------------------------------------------------------
// Import plans

type ImportStatus = 'add' | 'change' | 'unchanged';

interface ImportItem {
  /** The name as chamber will store it. */
  key: string;
  /** The name in the file, where chamber's rule changed it. */
  renamedFrom?: string;
  status: ImportStatus;
}

export interface ImportPlan {
  service: string;
  items: ImportItem[];
}

/**
 * The file's names normalised to chamber's rule. Two names that normalise alike, or a name chamber cannot hold,
 * refuse the whole import: writing one of them silently would lose the other.
 */
export function normaliseImportNames(entries: Map<string, string>): Map<string, { from: string; value: string }> {
  const out = new Map<string, { from: string; value: string }>();
  const bad: string[] = [];
  for (const [from, value] of entries) {
    const key = from.trim().toLowerCase();
    if (!CHAMBER_KEY_PATTERN.test(key)) {
      bad.push(JSON.stringify(from));
      continue;
    }
    const earlier = out.get(key);
    if (earlier)
      throw new LatchkeyError(
        'INVALID_INPUT',
        `${JSON.stringify(earlier.from)} and ${JSON.stringify(from)} both become chamber key ${key}; nothing was imported`,
        'Rename one of them in the file.',
      );
    out.set(key, { from, value });
  }
  if (bad.length > 0)
    throw new LatchkeyError(
      'INVALID_INPUT',
      `not chamber keys: ${bad.join(', ')}; nothing was imported`,
      'chamber keys use letters, digits, _ - and . only.',
    );
  return out;
}

/** add / change / unchanged per key, comparing with the values the service holds now. */
export function planImport(
  service: string,
  wanted: Map<string, { from: string; value: string }>,
  current: Map<string, string>,
): ImportPlan {
  const items: ImportItem[] = [];
  for (const [key, { from, value }] of [...wanted].sort(([a], [b]) => a.localeCompare(b))) {
    const held = current.get(key);
    const status: ImportStatus = held === undefined ? 'add' : held === value ? 'unchanged' : 'change';
    items.push({ key, ...(from !== key && { renamedFrom: from }), status });
  }
  return { service, items };
}
