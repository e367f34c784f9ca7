import * as z from 'zod';
import { ErrorActionSchema, ErrorCodeSchema } from './errors';

/**
 * The plan is what crosses from the core to the CLI and the renderer. It carries names, origins, versions and
 * statuses, and never a secret value: values stay in the main process.
 */

/** In the order people read them in messages ("expected exactly one of chamber, ssm, op, keychain, s3, set"). */
export const SOURCE_KINDS = ['chamber', 'ssm', 'op', 'keychain', 's3', 'set'] as const;
export const SourceKindSchema = z.enum(SOURCE_KINDS);
export type SourceKind = z.infer<typeof SourceKindSchema>;

/**
 * `needs-input`: a personal secret (`keychain:`) not set yet; the rest of the plan still resolves and shows, and a
 * sync refuses to write until it is set. `keychain-locked`: a personal secret behind a locked keychain, which may
 * well hold it: never offered for overwriting, and a sync refuses until the keychain is unlocked. `source-offline`:
 * a key the last sync wrote from a source that cannot be read now (the app's plan); a sync refuses.
 * `local-override`: a key the user keeps in `latchkey.local.yml`; never a conflict, never written.
 */
export const KEY_STATUSES = [
  'add',
  'change',
  'remove',
  'unchanged',
  'local-only',
  'conflict',
  'error',
  'needs-input',
  'keychain-locked',
  'source-offline',
  'local-override',
] as const;
const KeyStatusSchema = z.enum(KEY_STATUSES);
export type KeyStatus = z.infer<typeof KeyStatusSchema>;

export const ROTATION_STATUSES = ['ok', 'due', 'overdue', 'unknown'] as const;
export const RotationStatusSchema = z.enum(ROTATION_STATUSES);
export type RotationStatus = z.infer<typeof RotationStatusSchema>;
/** A secret counts as `due` from this share of its maximum age on (core/rotation.ts; the rotation chart's line). */
export const ROTATION_DUE_FRACTION = 0.8;

/** How a target is spelled (core/dotenv): what every `.env` reader accepts, Docker's env-file, or `export` lines. */
export const DIALECTS = ['portable', 'docker', 'shell'] as const;
export const DialectSchema = z.enum(DIALECTS);
export type Dialect = z.infer<typeof DialectSchema>;
/** What a profile without `dialect:` is written in; the manifest leaves it unsaid. */
export const DEFAULT_DIALECT: Dialect = 'portable';

/** How a conflict is settled: the local edit stays (the default), or the source's value replaces it. */
const RESOLUTIONS = ['keep-local', 'take-remote'] as const;
const ResolutionSchema = z.enum(RESOLUTIONS);
export type Resolution = z.infer<typeof ResolutionSchema>;

const OriginSchema = z.object({
  /** Stable identity of a value's origin, e.g. `chamber:api/dev#db_password`; the sync state is keyed by it. */
  id: z.string(),
  kind: SourceKindSchema,
  /** What the manifest names: a chamber service, a parameter name, a keychain entry, `set`. */
  ref: z.string(),
  /** The key at the source (chamber key, parameter name, set key). */
  sourceKey: z.string(),
  /** Position of the source in the profile's `sources` list. */
  sourceIndex: z.number().int().nonnegative(),
});
export type Origin = z.infer<typeof OriginSchema>;

const SourceMetaSchema = z.object({
  /** SSM Version, 1Password item version, S3 ETag: whatever the source uses to say "this changed". */
  version: z.string().optional(),
  /** chamber's own counter from the parameter Description, where present. */
  chamberVersion: z.number().int().optional(),
  modifiedAt: z.string().optional(),
  modifiedBy: z.string().optional(),
  /** Size in bytes, for a file secret (an S3 object). */
  size: z.number().int().nonnegative().optional(),
});
export type SourceMeta = z.infer<typeof SourceMetaSchema>;

export const RotationInfoSchema = z.object({
  status: RotationStatusSchema,
  maxAgeDays: z.number().positive(),
  ageDays: z.number().nonnegative().optional(),
});
export type RotationInfo = z.infer<typeof RotationInfoSchema>;

/** How many hex characters of the keyed fingerprint a plan carries: enough to tell sides apart, too few to test guesses. */
export const FINGERPRINT_HEX = 8;
const FingerprintSchema = z.string().regex(/^[0-9a-f]{8}$/);

/**
 * One side of a change, as a person may compare it without seeing it: its length in characters and a short keyed
 * fingerprint (HMAC-SHA256 with the install's drift key, bound to the key's name, truncated). Never the value and
 * never an unkeyed hash of it.
 */
const ChangeSideSchema = z.object({ length: z.number().int().nonnegative(), fingerprint: FingerprintSchema });
export type ChangeSide = z.infer<typeof ChangeSideSchema>;

/** What Latchkey wrote last time, from the sync state: its fingerprint is the stored HMAC, truncated. */
const SyncedSideSchema = z.object({
  fingerprint: FingerprintSchema,
  version: z.string().optional(),
  chamberVersion: z.number().int().optional(),
  /** When the source last changed the value that was synced. */
  modifiedAt: z.string().optional(),
  syncedAt: z.string().optional(),
});

/** The sides of a change (add, change, remove, conflict), where known: absent without drift tracking. */
const ChangeContextSchema = z.object({
  /** The value in the target file. */
  local: ChangeSideSchema.optional(),
  /** The source's value. */
  remote: ChangeSideSchema.optional(),
  synced: SyncedSideSchema.optional(),
});
export type ChangeContext = z.infer<typeof ChangeContextSchema>;

const PlanEntrySchema = z.object({
  name: z.string(),
  status: KeyStatusSchema,
  origin: OriginSchema.optional(),
  /** Earlier origins that produced the same name and lost to this one (later sources win). */
  overrides: z.array(OriginSchema).default([]),
  /** Set when a differently spelled key of an earlier source maps to the same name: both origins, in words. */
  collision: z.string().optional(),
  /** Why a key is in `error`, or what a conflict is about. Never a value. */
  reason: z.string().optional(),
  meta: SourceMetaSchema.optional(),
  rotation: RotationInfoSchema.optional(),
  /** The value was not read because its version and the file's HMAC both matched the sync state. */
  reused: z.boolean().default(false),
  /** For a conflict: true when the remote side moved too, not only the local file. */
  remoteChanged: z.boolean().optional(),
  /**
   * The resolution chosen for a conflict; for an add, change or remove, `keep-local` when the user unticked it (the
   * file is left as it is for that key).
   */
  resolution: ResolutionSchema.optional(),
  /** Lengths and keyed fingerprints of each side, for a change (never values). */
  context: ChangeContextSchema.optional(),
});
export type PlanEntry = z.infer<typeof PlanEntrySchema>;

/** The statuses a file secret can take: a file is written whole, so it is never `remove`d nor `local-only`. */
const FILE_STATUSES = ['add', 'change', 'unchanged', 'conflict', 'error'] as const satisfies readonly KeyStatus[];
const FileStatusSchema = z.enum(FILE_STATUSES);

/** A file's sides can be revealed side by side only when both are text of at most this many bytes. */
export const FILE_REVEAL_MAX_BYTES = 16 * 1024;
/** `text`: both sides may be revealed; `binary` or `too-large`: the card says why they cannot be. */
const FILE_COMPARE = ['text', 'binary', 'too-large'] as const;
export type FileCompare = (typeof FILE_COMPARE)[number];

/** A file secret (`s3:` with `file:`): the object's bytes go to a file of their own, beside the target. */
const PlanFileSchema = z.object({
  /** As written in latchkey.yml, relative to its folder. */
  path: z.string(),
  status: FileStatusSchema,
  origin: OriginSchema,
  /** Version (S3 VersionId, else ETag), size and last modified time of the object. */
  meta: SourceMetaSchema.optional(),
  /** The permission bits the file is written with, e.g. `0600`. */
  mode: z.string(),
  rotation: RotationInfoSchema.optional(),
  reason: z.string().optional(),
  /** Not downloaded: its version and the file's HMAC both matched the sync state. */
  reused: z.boolean().default(false),
  remoteChanged: z.boolean().optional(),
  /** As for a key: a conflict's choice, or `keep-local` for an add or change the user unticked (not written). */
  resolution: ResolutionSchema.optional(),
  /** Byte lengths and keyed fingerprints (HMAC of the bytes, bound to the path) of each side; never content. */
  context: ChangeContextSchema.optional(),
  /** Whether "Compare contents" may show both sides: only small text; otherwise why not (FileCompare). */
  compare: z.enum(FILE_COMPARE).optional(),
});
export type PlanFile = z.infer<typeof PlanFileSchema>;

export const PlanSchema = z.object({
  profile: z.string(),
  manifestPath: z.string(),
  target: z.string(),
  dialect: DialectSchema,
  entries: z.array(PlanEntrySchema),
  /** File secrets, written together with the target (all or nothing). Counted in `counts` with the keys. */
  files: z.array(PlanFileSchema).default([]),
  counts: z.record(KeyStatusSchema, z.number().int().nonnegative()),
  warnings: z.array(z.string()),
  /** True when the target is inside a git work tree that does not ignore it. */
  gitignoreNeeded: z.boolean(),
  /** True when applying the plan would change the target's bytes or any file secret. */
  writes: z.boolean(),
  /**
   * Sources that could not be read (the app's plan only): their last-known keys are `source-offline` rows, and a
   * sync refuses while any is listed, rows or not (a source never synced has none).
   */
  offline: z
    .array(
      z.object({
        kind: SourceKindSchema,
        refs: z.array(z.string()),
        reason: z.string(),
        /** SOURCE_FAILED (cannot be reached), ACCESS_DENIED or SOURCE_NOT_FOUND: each is said in its own words. */
        code: ErrorCodeSchema.optional(),
        /** The in-app fix, where there is one (a rejected Connect token: open Settings ▸ 1Password). */
        action: ErrorActionSchema.optional(),
      }),
    )
    .optional(),
});
export type Plan = z.infer<typeof PlanSchema>;

/** A file secret's change among a sync's held-back names: `file:` keeps a path apart from any variable name. */
export const heldBackFile = (filePath: string): string => `file:${filePath}`;

/** The statuses that stand in a sync's way: main refuses such a plan, and the window says why. */
const SYNC_BLOCKING = ['error', 'needs-input', 'keychain-locked', 'source-offline'] as const;
/** The blockers the user must act on (a source offline is not one: it passes by itself). */
const NEEDS_ACTION = ['error', 'needs-input', 'keychain-locked'] as const;
/** The statuses a sync would act on. */
const SYNC_WORK = ['add', 'change', 'remove', 'conflict'] as const;

function planIsBlocked(plan: Plan): boolean {
  return (plan.offline?.length ?? 0) > 0 || SYNC_BLOCKING.some((s) => (plan.counts[s] ?? 0) > 0);
}

/**
 * Nothing to add, change, remove or resolve, and nothing in a sync's way: the one meaning of "in sync" that main's
 * pushed state and every label in the window follow.
 */
export function planIsInSync(plan: Plan): boolean {
  return !planIsBlocked(plan) && SYNC_WORK.every((s) => !plan.counts[s]);
}

/**
 * Whether a plan has work the last sync did not knowingly leave: a key that needs something done (an error, input,
 * an unlocked keychain), or a change the user did not hold back in it (`heldBack` as the sync named them, files as
 * `heldBackFile`). Such a plan ends that sync's result. A source that cannot be read right now says nothing new
 * about the file, so it alone leaves the result standing (a sync from the plan just made can succeed while SSM is
 * unreachable, and its re-plan then finds the source offline).
 */
export function planHasNewWork(plan: Plan, heldBack: readonly string[] = []): boolean {
  if (planIsInSync(plan)) return false;
  if (NEEDS_ACTION.some((s) => (plan.counts[s] ?? 0) > 0)) return true;
  const held = new Set(heldBack);
  const isWork = (status: string) => (SYNC_WORK as readonly string[]).includes(status);
  const changes = [
    ...plan.entries.filter((e) => isWork(e.status)).map((e) => e.name),
    ...plan.files.filter((f) => isWork(f.status)).map((f) => heldBackFile(f.path)),
  ];
  return changes.some((name) => !held.has(name));
}
