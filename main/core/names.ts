import { ENV_NAME_PATTERN } from '../../contract/ipc/shared';
import { originOf, type Origin, type ResolvedSecret, type SourceSpec } from './types';

export type NameResult = { ok: true; name: string } | { ok: false; reason: string };

export interface NamedSecret {
  name: string;
  secret: ResolvedSecret;
  origin: Origin;
  /** Earlier origins that produced the same name and lost to this one. */
  overrides: Origin[];
  /** Set when a loser spelled the name differently (`db-host` vs `DB_HOST`): worth a second look. */
  collision?: string;
}

export interface NameError {
  name: string;
  origin: Origin;
  reason: string;
}

// Go's [[:space:]], which chamber's sanitizeKey replaces: ASCII whitespace only.
const CHAMBER_SEPARATORS = /[-.\t\n\v\f\r ]/g;

/**
 * chamber's `env` / `export -f dotenv` rule: trim, turn `-`, `.` and whitespace into `_`, upper-case.
 * (`chamber exec` only replaces `-`; we follow env/export, see REFERENCE.md.)
 */
export function chamberEnvName(key: string): NameResult {
  const trimmed = key.trim();
  if (trimmed === '') {
    return { ok: false, reason: key === '' ? 'the key is empty' : `key ${quote(key)} is only whitespace` };
  }
  // toUpperCase() maps some non-ASCII letters onto ASCII ones (ſ → S, ı → I), so one could pose as another key:
  // refuse non-ASCII before upper-casing rather than after.
  const foreign = [...trimmed].find((char) => char.codePointAt(0)! > 0x7f);
  if (foreign !== undefined) {
    return {
      ok: false,
      reason: `key ${quote(key)} has the non-ASCII character ${quote(foreign)}; a variable name may only hold A-Z, a-z, 0-9 and _`,
    };
  }
  const name = trimmed.replace(CHAMBER_SEPARATORS, '_').toUpperCase();
  const problem = whyInvalid(name);
  return problem
    ? { ok: false, reason: `key ${quote(key)} maps to ${quote(name)}, which is not a valid variable name (${problem})` }
    : { ok: true, name };
}

/** For names written literally in the manifest (`as:`, `keychain:`, `set` keys): no rewriting at all. */
export function validateEnvName(name: string): NameResult {
  const problem = whyInvalid(name);
  return problem
    ? { ok: false, reason: `${quote(name)} is not a valid variable name (${problem})` }
    : { ok: true, name };
}

function whyInvalid(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (ENV_NAME_PATTERN.test(name)) return undefined;
  const bad = /[^A-Za-z0-9_]/.exec(name);
  if (bad) return `${quote(bad[0])} is not allowed: only letters A-Z, a-z, digits and _`;
  return 'must start with a letter or _';
}

function quote(text: string): string {
  return JSON.stringify(text);
}

/** An s3 source with `file:` is written to that file, not to a variable, so it has no env name. */
export function isFileSecret(secret: ResolvedSecret): boolean {
  return secret.spec.kind === 's3' && secret.spec.file !== undefined;
}

/** The text a name is made from, and the name (or why there is none). */
function deriveName(secret: ResolvedSecret): { spelling: string; result: NameResult } {
  const spec: SourceSpec = secret.spec;
  switch (spec.kind) {
    case 'keychain':
      return literal(spec.name);
    case 'set':
      return literal(secret.sourceKey);
    case 'chamber':
      return chamberRule(secret.sourceKey);
    case 'ssm':
      return spec.as !== undefined ? literal(spec.as) : chamberRule(lastSegment(secret.sourceKey));
    case 'op':
      if (spec.fields === 'all') {
        const mapped = Object.hasOwn(spec.fieldNames ?? {}, secret.sourceKey)
          ? spec.fieldNames![secret.sourceKey]
          : undefined;
        // Generic labels (username, password) repeat across items: the item's title keeps them apart.
        return mapped !== undefined ? literal(mapped) : chamberRule(`${secret.item ?? ''}_${secret.sourceKey}`);
      }
      return spec.as !== undefined ? literal(spec.as) : chamberRule(secret.sourceKey);
    case 's3':
      return spec.as !== undefined ? literal(spec.as) : chamberRule(secret.sourceKey);
  }
}

function literal(spelling: string) {
  return { spelling, result: validateEnvName(spelling) };
}

function chamberRule(spelling: string) {
  return { spelling, result: chamberEnvName(spelling) };
}

function lastSegment(parameterName: string): string {
  return parameterName.slice(parameterName.lastIndexOf('/') + 1);
}

interface Candidate {
  secret: ResolvedSecret;
  origin: Origin;
  spelling: string;
  /** Position in the input: the order the sources returned their secrets. */
  position: number;
}

const byOrder = (a: Candidate, b: Candidate) => a.secret.spec.index - b.secret.spec.index || a.position - b.position;

/**
 * Give every secret its env name. Later sources (higher spec.index) override earlier ones; the winner lists the
 * losers. Two different keys of one source landing on one name have no order to decide between them, so that
 * name becomes an error and none of them is written. Every name appears at most once across `named` and `errors`.
 */
export function assignNames(secrets: ResolvedSecret[]): { named: NamedSecret[]; errors: NameError[] } {
  const groups = new Map<string, Candidate[]>();
  const invalid = new Map<string, { candidate: Candidate; reason: string }>();

  secrets.forEach((secret, position) => {
    if (isFileSecret(secret)) return;
    const { spelling, result } = deriveName(secret);
    const candidate: Candidate = { secret, origin: originOf(secret.spec, secret.sourceKey), spelling, position };
    if (result.ok) {
      const group = groups.get(result.name);
      if (group) group.push(candidate);
      else groups.set(result.name, [candidate]);
      return;
    }
    const shown = attemptedName(secret, spelling);
    const earlier = invalid.get(shown);
    if (earlier) earlier.reason += `; also ${candidate.origin.id}: ${result.reason}`;
    else invalid.set(shown, { candidate, reason: result.reason });
  });

  const named: (NamedSecret & { order: Candidate })[] = [];
  const errors: (NameError & { order: Candidate })[] = [...invalid].map(([name, { candidate, reason }]) => ({
    name,
    origin: candidate.origin,
    reason,
    order: candidate,
  }));

  for (const [name, group] of groups) {
    const ordered = dropRepeats(group.sort(byOrder));
    const winner = ordered[ordered.length - 1]!;
    const rivals = ordered.filter((c) => c.secret.spec.index === winner.secret.spec.index);
    if (rivals.length > 1) {
      errors.push({ name, origin: rivals[0]!.origin, reason: sameSourceCollision(name, rivals), order: rivals[0]! });
      continue;
    }
    const losers = ordered.slice(0, -1);
    const respelled = losers.filter((c) => c.spelling !== winner.spelling);
    named.push({
      name,
      secret: winner.secret,
      origin: winner.origin,
      overrides: losers.map((c) => c.origin),
      ...(respelled.length > 0 && { collision: crossSourceCollision(name, winner, respelled) }),
      order: winner,
    });
  }

  named.sort((a, b) => byOrder(a.order, b.order));
  errors.sort((a, b) => byOrder(a.order, b.order));
  return { named: named.map(({ order: _, ...rest }) => rest), errors: errors.map(({ order: _, ...rest }) => rest) };
}

/**
 * The name a bad key would have had, so that the plan can show a row for it. Never empty, and never a valid name:
 * `ſecret` upper-cases to SECRET, and its error row must not hide a real SECRET.
 */
function attemptedName(secret: ResolvedSecret, spelling: string): string {
  const spec = secret.spec;
  const isLiteral =
    spec.kind === 'keychain' ||
    spec.kind === 'set' ||
    ('as' in spec && spec.as !== undefined) ||
    (spec.kind === 'op' && Object.hasOwn(spec.fieldNames ?? {}, secret.sourceKey));
  const attempt = isLiteral ? spelling : spelling.trim().replace(CHAMBER_SEPARATORS, '_').toUpperCase();
  return attempt === '' || ENV_NAME_PATTERN.test(attempt) ? JSON.stringify(secret.sourceKey) : attempt;
}

/** A source that returns one origin twice has not produced two values: keep the later one only. */
function dropRepeats(ordered: Candidate[]): Candidate[] {
  const lastAt = new Map<string, number>();
  ordered.forEach((c, i) => lastAt.set(c.origin.id, i));
  return ordered.filter((c, i) => lastAt.get(c.origin.id) === i);
}

function sameSourceCollision(name: string, rivals: Candidate[]): string {
  const first = rivals[0]!;
  const keys = rivals.map((c) => JSON.stringify(c.secret.sourceKey)).join(' and ');
  return `${first.secret.spec.kind} ${first.origin.ref} has ${keys}, which all map to ${name}; rename one of them (none is written)`;
}

function crossSourceCollision(name: string, winner: Candidate, respelled: Candidate[]): string {
  const spell = (c: Candidate) => `${JSON.stringify(c.spelling)} (${c.origin.id})`;
  return `${spell(winner)} and ${respelled.map(spell).join(', ')} all map to ${name}; the later source wins`;
}
