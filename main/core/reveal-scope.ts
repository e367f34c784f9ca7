import { chamberEnvName, validateEnvName } from './names';
import type { ChamberSpec, Profile, SourceSpec } from './types';

/**
 * Which sources of a profile can produce one variable, each narrowed to that variable where the source allows,
 * so that revealing one key reads one key (issue 14, item 8): a `set:` value and a keychain entry by name, an `ssm:`
 * parameter whose variable it is, a chamber service through `only:` (the parameter names chamber's rule maps onto
 * the variable, read by name with GetParameters, never the service's listing), a 1Password reference whose variable
 * it may be (one item), an `s3:` object read `as:` it. The sources keep their indexes, so the override order
 * between the survivors is the sync's. Pure.
 */
export function profileNarrowedTo(profile: Profile, name: string): NarrowedProfile {
  // No source writes a name that is no variable (a file secret's path, a typo).
  if (!validateEnvName(name).ok) return { profile: { ...profile, sources: [] }, exact: true };
  const candidates = profile.sources.flatMap((spec) => narrowed(spec, name));
  // A source that surely gives the name (or fails) hides every earlier one: a later source wins.
  const last = candidates
    .filter((spec) => certain(spec, name))
    .reduce((most, spec) => Math.max(most, spec.index), -Infinity);
  const sources = candidates.filter((spec) => spec.index >= last);
  // Only a chamber service without only: is read by guessed spellings.
  const guessed = sources.some((spec) => {
    const original = profile.sources.find((s) => s.index === spec.index);
    return original?.kind === 'chamber' && original.only === undefined;
  });
  return { profile: { ...profile, sources }, exact: !guessed };
}

export interface NarrowedProfile {
  profile: Profile;
  /**
   * False where a chamber service is read by the spellings chamber's rule could have come from (it lists no
   * `only:`): a parameter spelled otherwise (mixed case) is then found only by reading the whole profile.
   */
  exact: boolean;
}

/**
 * Sources that produce the name or fail, never silently nothing: a `set:` value, a keychain entry (or needs input),
 * a named parameter, object or field. A chamber service (under only:) and a whole item may simply not have it.
 */
function certain(spec: SourceSpec, name: string): boolean {
  if (spec.kind === 'chamber') return false;
  if (spec.kind === 'op')
    return spec.fields !== 'all' && (spec.as ?? variableOf(undefined, lastField(spec.ref))) === name;
  return true;
}

const lastField = (ref: string) => ref.replace(/\?.*$/s, '').split('/').at(-1) ?? '';

function narrowed(spec: SourceSpec, name: string): SourceSpec[] {
  switch (spec.kind) {
    case 'set':
      return Object.hasOwn(spec.values, name) ? [{ ...spec, values: { [name]: spec.values[name]! } }] : [];
    case 'keychain':
      return spec.name === name ? [spec] : [];
    case 'ssm':
      return variableOf(spec.as, spec.name.slice(spec.name.lastIndexOf('/') + 1)) === name ? [spec] : [];
    case 'chamber': {
      const keys = chamberKeysFor(spec, name);
      // A key that is not there is a warning under only:, as an empty service may be: the reveal then finds none.
      return keys.length > 0 ? [{ ...spec, only: keys, optional: true } satisfies ChamberSpec] : [];
    }
    case 'op':
      // A whole item's variables depend on its title and labels, known only once it is read: one item, kept.
      if (spec.fields === 'all') return [spec];
      if (spec.as !== undefined) return spec.as === name ? [spec] : [];
      // Without as:, the field's label names it; a reference by field id may carry any label.
      return opFieldMayBe(spec.ref, name) ? [spec] : [];
    case 's3':
      return spec.file === undefined && spec.as === name ? [spec] : [];
  }
}

function variableOf(as: string | undefined, key: string): string | undefined {
  const named = as !== undefined ? validateEnvName(as) : chamberEnvName(key);
  return named.ok ? named.name : undefined;
}

function opFieldMayBe(ref: string, name: string): boolean {
  const field = lastField(ref);
  return /^[a-z0-9]{26}$/.test(field) || variableOf(undefined, field) === name;
}

/** Up to this many separators are spelled every way chamber's rule reads them (3^n names, by GetParameters). */
const MAX_SPELLED_SEPARATORS = 3;

/**
 * The chamber keys that chamber's rule turns into `name`: from `only:` where the manifest lists them; otherwise the
 * lower-case spellings chamber writes (each `_` read as `_`, `-` or `.`) and the name as it is.
 */
function chamberKeysFor(spec: ChamberSpec, name: string): string[] {
  if (spec.only) return spec.only.filter((k) => variableOf(undefined, k) === name);
  if (variableOf(undefined, name) !== name) return [];
  const lower = name.toLowerCase();
  const parts = lower.split('_');
  let spellings: string[];
  if (parts.length - 1 <= MAX_SPELLED_SEPARATORS) {
    spellings = [parts[0]!];
    for (const part of parts.slice(1))
      spellings = spellings.flatMap((s) => ['_', '-', '.'].map((sep) => s + sep + part));
  } else spellings = ['_', '-', '.'].map((sep) => parts.join(sep));
  return [...new Set([...spellings, name])];
}
