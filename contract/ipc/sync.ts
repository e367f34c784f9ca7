import * as z from 'zod';
import { PackedPlanSchema } from '../plan-packing';
import { EnvNameSchema, FileSecretPathSchema, ProfileRef, type MethodSchemas } from './shared';

/** A profile's checklist, its plan and its sync. */

export const READINESS_STATES = ['ok', 'missing', 'error', 'pending', 'unavailable'] as const;
export type ReadinessState = (typeof READINESS_STATES)[number];

export const ReadinessItemSchema = z.object({
  id: z.string(),
  label: z.string(),
  state: z.enum(READINESS_STATES),
  detail: z.string().optional(),
  /** What the UI can offer to fix it, e.g. `set-personal:GITHUB_TOKEN`. */
  action: z.string().optional(),
});
export type ReadinessItem = z.infer<typeof ReadinessItemSchema>;

/** Where a plan or a sync is, in the order it goes through them (`sync.progress`). */
const SYNC_PHASES = ['resolving', 'planning', 'writing', 'done'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

/** What changed on disk under a shown plan (`plan.invalidated`). */
const INVALIDATION_REASONS = ['manifest', 'target'] as const;
export type InvalidationReason = (typeof INVALIDATION_REASONS)[number];

/**
 * The user's conflict choices: keys by name, file secrets (`s3:` + `file:`) by their path as latchkey.yml writes it.
 * Kept apart so a file's path can never stand for a key's name. `keepLocal`: the adds, changes and removals the
 * user unticked in the review, which the sync leaves in the file as they are; `keepLocalFiles` the same for files.
 */
const PlanInput = ProfileRef.extend({
  takeRemote: z.array(EnvNameSchema).max(10_000).optional(),
  takeRemoteFiles: z.array(FileSecretPathSchema).max(1000).optional(),
  keepLocal: z.array(EnvNameSchema).max(10_000).optional(),
  /** File secrets (by path) whose add or change the user unticked: not written. */
  keepLocalFiles: z.array(FileSecretPathSchema).max(1000).optional(),
});

export const SYNC_METHODS = {
  readiness: { input: ProfileRef, output: z.object({ items: z.array(ReadinessItemSchema) }) },
  /** The plan packed (contract/plan-packing.ts): its entries cross as a few JSON texts, not 100,000 objects. */
  plan: { input: PlanInput, output: z.object({ plan: PackedPlanSchema }) },
  /**
   * The profile's last plan as main kept it (names, sources, versions, ages, statuses; never values) and when it was
   * made: the table's first paint while the live plan is made. Reads no source; absent when there is none.
   * Only its first chunk crosses here (a screenful of rows, so the first paint waits for kilobytes, not megabytes);
   * `more` says how many chunks follow, each fetched with `plan.cachedChunk`.
   */
  'plan.cached': {
    input: ProfileRef,
    output: z.object({
      cached: z
        .object({ plan: PackedPlanSchema, savedAt: z.string(), more: z.number().int().nonnegative() })
        .optional(),
    }),
  },
  /**
   * Chunk `index` (1 and up) of the cached plan `plan.cached` answered with `savedAt`; absent when that picture is
   * gone or was replaced since (the window then drops its partial picture).
   */
  'plan.cachedChunk': {
    input: ProfileRef.extend({ savedAt: z.string().max(64), index: z.number().int().min(1).max(10_000) }),
    output: z.object({ chunk: z.string().optional() }),
  },
  sync: {
    input: PlanInput,
    output: z.object({
      plan: PackedPlanSchema,
      wrote: z.boolean(),
      /** This sync's stamp in main's state (`lastSync.at`): its result stands while that is still the last sync. */
      syncedAt: z.string(),
    }),
  },
  'gitignore.add': {
    input: ProfileRef,
    output: z.object({
      gitignore: z.string(),
      /** False: the line was there already. */
      added: z.boolean(),
      /** What git says after the edit; when it still would commit the target, `advice` says what to do. */
      ignored: z.boolean(),
      advice: z.string().optional(),
    }),
  },
  /**
   * "Open in editor" from the plan's review: the profile's target at the key's line, with the editor command from
   * Settings, else in the system's default app (at its top). The window names the key, never a path.
   */
  'target.openAtKey': {
    input: ProfileRef.extend({ name: EnvNameSchema }),
    output: z.object({ line: z.number().int().positive().optional(), via: z.enum(['editor', 'default-app']) }),
  },
  /**
   * "Open file" from the review of a file secret: the file the profile's `s3:` + `file:` source writes, named by its
   * path as latchkey.yml writes it (any other path is refused), in the editor command from Settings or the default app.
   */
  'target.openFile': {
    input: ProfileRef.extend({ path: FileSecretPathSchema }),
    output: z.object({ via: z.enum(['editor', 'default-app']) }),
  },
  /** "Always keep mine": the key goes into `keep:` of latchkey.local.yml and plans as `local-override`. */
  'keys.keep': { input: ProfileRef.extend({ key: EnvNameSchema }), output: z.object({ file: z.string() }) },
} as const satisfies Record<string, MethodSchemas>;

export const SYNC_EVENTS = {
  'sync.progress': z.object({
    dir: z.string(),
    profile: z.string(),
    phase: z.enum(SYNC_PHASES),
    /** Keys read (or kept by version) and keys found so far. */
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    /** Requests to the sources sent and answered so far: the work, counted as it is done (issue 14, item 5). */
    requests: z.object({ sent: z.number().int().nonnegative(), answered: z.number().int().nonnegative() }).optional(),
    /** True while a source is still paging through a listing: `total` is what was found so far. */
    listing: z.boolean().optional(),
  }),
  /** The target or the manifest changed on disk: the shown plan is stale. */
  'plan.invalidated': z.object({
    dir: z.string(),
    profile: z.string().optional(),
    reason: z.enum(INVALIDATION_REASONS),
  }),
} as const satisfies Record<string, z.ZodType>;
