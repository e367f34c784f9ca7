import type { Dialect, Origin, SourceKind, SourceMeta } from '../../contract/plan';

export type { Dialect, Origin, SourceKind, SourceMeta } from '../../contract/plan';

/** 1-based line and column in latchkey.yml. */
export interface Position {
  line: number;
  col: number;
}

export interface RotationPolicy {
  maxAgeDays: number;
}

/** How `latchkey rotate` makes a new value for a chamber or ssm key (manifest `generate:`). */
export interface GeneratePolicy {
  length: number;
  charset: 'url-safe' | 'alphanumeric' | 'hex' | 'printable';
}

// `| undefined`: the manifest and IPC schemas (zod's .optional()) hand over a key that may be present but undefined.
export interface AwsSettings {
  profile?: string | undefined;
  region?: string | undefined;
  /** A role to assume on top of whatever credentials were found (manifest, profile or source level). */
  roleArn?: string | undefined;
  externalId?: string | undefined;
  sessionName?: string | undefined;
}

interface SpecBase {
  /** Position in the profile's sources list; later sources override earlier ones. */
  index: number;
  /** Where the entry starts in latchkey.yml, for error messages. */
  pos?: Position;
  /** The source's own rotation policy, overriding the manifest's default. */
  rotation?: RotationPolicy;
}

export interface ChamberSpec extends SpecBase {
  kind: 'chamber';
  /** chamber service, e.g. `api/dev` (no leading slash), read from SSM path `/api/dev`. */
  service: string;
  /** Optional filter of chamber key names (lower-case, as chamber stores them). */
  only?: string[];
  /** True when the service may hold nothing (a warning); otherwise an empty service is an error (a typo). */
  optional?: boolean;
  aws: AwsSettings;
  /** The source's, else the profile's `generate:` (absent: the default, 40 URL-safe characters). */
  generate?: GeneratePolicy;
}

export interface SsmSpec extends SpecBase {
  kind: 'ssm';
  /** Full parameter name, e.g. `/legacy/stripe_key`. */
  name: string;
  as?: string;
  aws: AwsSettings;
  generate?: GeneratePolicy;
}

interface KeychainSpec extends SpecBase {
  kind: 'keychain';
  /** The env name, and the name of the personal secret in the keychain. */
  name: string;
}

interface SetSpec extends SpecBase {
  kind: 'set';
  values: Record<string, string>;
}

export interface OpSpec extends SpecBase {
  kind: 'op';
  ref: string;
  as?: string;
  fields?: 'all';
  /** With `fields: all`: field label -> variable name, instead of `<ITEM>_<FIELD>` (the manifest's `as:` map). */
  fieldNames?: Record<string, string>;
  /** With `fields: all`: write OTP fields as their current code; without it they are left out (never the seed). */
  totp?: 'code';
}

export interface S3Spec extends SpecBase {
  kind: 's3';
  url: string;
  as?: string;
  /** A file secret: written at this path, relative to the manifest's folder. */
  file?: string;
  /** The file's permission bits (default 0o600). */
  mode?: number;
  /** Accept an object stored without server-side encryption (refused by default). */
  allowUnencrypted?: boolean;
  aws: AwsSettings;
}

export type SourceSpec = ChamberSpec | SsmSpec | KeychainSpec | SetSpec | OpSpec | S3Spec;
export type SpecOf<K extends SourceKind> = Extract<SourceSpec, { kind: K }>;

export interface Profile {
  name: string;
  description?: string;
  /** Absolute path of the target file (already checked to lie inside the manifest's folder). */
  target: string;
  /** The target as written in the manifest, relative to the manifest's folder. */
  targetRel: string;
  dialect: Dialect;
  rotation: RotationPolicy;
  /** The manifest's and the profile's `aws:`, merged: what a reference outside the sources (inject) uses. */
  aws?: AwsSettings;
  sources: SourceSpec[];
}

export interface Manifest {
  /** Absolute path of latchkey.yml. */
  path: string;
  /** Absolute path of the folder holding it: every target must stay inside. */
  dir: string;
  version: 1;
  /**
   * How loadManifest found it: named by --dir, or by the upward search. A manifest found by search is named on
   * stderr by the CLI, so that nobody runs someone else's manifest without seeing it (issue 10, item 8).
   */
  foundBy?: 'dir' | 'search';
  aws: AwsSettings;
  rotation: RotationPolicy;
  /** By name. A Map, so that a name like `constructor` or `__proto__` finds nothing it did not define. */
  profiles: ReadonlyMap<string, Profile>;
}

/** One value as a source returned it. */
export interface ResolvedSecret {
  /** The spec that produced it (its index orders overrides). */
  spec: SourceSpec;
  /** The key at the source: chamber key, full parameter name, keychain name, `set` key. */
  sourceKey: string;
  /**
   * The value. Absent when `reused` is true: the source saw the same version that we wrote last time and the
   * target still holds it untouched, so it skipped the read and the engine takes the value from the file.
   */
  value?: string;
  /** A file secret's exact bytes (an S3 object): files are binary, so they never travel as `value`. */
  bytes?: Uint8Array;
  reused?: boolean;
  /** A field of a whole-item import (`op:` with `fields: all`): the item's title, which prefixes the field's name. */
  item?: string;
  /** A personal secret not in the keychain yet: no value, shown as `needs-input` in the plan. */
  needsInput?: boolean;
  /** A personal secret behind a locked keychain: no value, shown as `keychain-locked` in the plan. */
  keychainLocked?: boolean;
  /** A last-known key of a source that could not be read (why, in words): no value, `source-offline` in the plan. */
  offline?: string;
  meta: SourceMeta;
}

export interface ResolveProgress {
  kind: SourceKind;
  /** Values (or reuse decisions) done so far, and how many are known to be coming. */
  done: number;
  total: number;
  /** What the source is waiting on now, e.g. `GetParameters /api/dev`: named when a deadline passes. No values. */
  step?: string;
  /** Requests sent so far and how many have been answered (network sources that count them): real work done. */
  requests?: { sent: number; answered: number };
  /** True while the source is still finding out which keys there are (paging a listing): `total` may still grow. */
  listing?: boolean;
}

export interface ResolveContext {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: ResolveProgress) => void) | undefined;
  /**
   * True when the sync state says we wrote exactly this version for this origin, and the target file still
   * holds the value we wrote (its HMAC matches). A source may then skip reading the value.
   */
  canReuse: (originId: string, version: string) => boolean;
  /**
   * True when the sync state holds a version for this origin. Only then can a value fetched by name be reused,
   * so only then is it worth one more round trip to learn its version before reading it.
   */
  hasPriorState?: ((originId: string) => boolean) | undefined;
  /**
   * True when the sync state holds any origin of this spec. A whole chamber service with none is read for the
   * first time: no version can be reused, so its values may come with its listing (fewer requests).
   */
  hasPriorStateOf?: ((spec: SourceSpec) => boolean) | undefined;
}

/**
 * A system of record. A source receives every spec of its kind in a profile at once, so that it can share one
 * client, one concurrency budget and one request plan across them.
 *
 * It rejects with a LatchkeyError on any failure; the engine then aborts the sync and writes nothing.
 * A missing personal secret rejects with code NEEDS_INPUT.
 */
export interface SecretSource<K extends SourceKind = SourceKind> {
  readonly kind: K;
  resolve(specs: SpecOf<K>[], ctx: ResolveContext): Promise<ResolveResult>;
}

export interface ResolveResult {
  secrets: ResolvedSecret[];
  /** Things worth telling the user that do not stop the sync, e.g. an empty chamber service. No values. */
  warnings: string[];
}

/** Stable identity of an origin: `chamber:api/dev#db_password`, `ssm:/legacy/key`, `set#LOG_LEVEL`. */
export function originId(spec: SourceSpec, sourceKey: string): string {
  const ref = specRef(spec);
  return ref === sourceKey
    ? `${spec.kind}:${ref}`
    : ref
      ? `${spec.kind}:${ref}#${sourceKey}`
      : `${spec.kind}#${sourceKey}`;
}

/** What the manifest names for this source, for people and for origin ids. */
export function specRef(spec: SourceSpec): string {
  switch (spec.kind) {
    case 'chamber':
      return spec.service;
    case 'ssm':
      return spec.name;
    case 'keychain':
      return spec.name;
    case 'set':
      return '';
    case 'op':
      return spec.ref;
    case 's3':
      return spec.url;
  }
}

export function originOf(spec: SourceSpec, sourceKey: string): Origin {
  return {
    id: originId(spec, sourceKey),
    kind: spec.kind,
    ref: specRef(spec) || 'set',
    sourceKey,
    sourceIndex: spec.index,
  };
}
