import * as z from 'zod';
import { PlanSchema } from '../plan';
import { AwsProfileViewSchema } from './aws';
import { ReadinessItemSchema } from './sync';

/**
 * What main knows of one profile, derived in main/app/state-store.ts: its plan's summary, its last sync's result
 * and its checklist. Counts, names of statuses and times only: never a value, never a hash of one.
 */
const ProfileStateSchema = z.object({
  /** The project's folder, as `sync.progress` names it (the window maps it to its own project id). */
  dir: z.string(),
  profile: z.string(),
  /** The last plan: counts by status, when it was made, whether it is main's cached picture of an older one. */
  plan: z
    .object({
      counts: PlanSchema.shape.counts,
      plannedAt: z.string(),
      cached: z.boolean(),
      /** Nothing to add, change, remove or resolve, and nothing in the way of a sync. */
      inSync: z.boolean(),
    })
    .optional(),
  /**
   * The last sync, until a newer plan finds work it did not knowingly leave (a conflict found later, a remote
   * change): then it is gone, so "Wrote .env" never stands above a newer finding (issue 14, found 4).
   */
  lastSync: z
    .object({
      wrote: z.boolean(),
      /** How many changes the user left unticked in that sync. */
      heldBack: z.number().int().nonnegative(),
      at: z.string(),
    })
    .optional(),
  /** The readiness checklist, as main last derived it (again whenever the AWS sessions change). */
  readiness: z.array(ReadinessItemSchema).optional(),
});
export type ProfileState = z.infer<typeof ProfileStateSchema>;

/**
 * The app's one state model (issue 14, "one state model"): main derives it from the truth (the AWS files and the
 * keychain, the plans and syncs it made, the checklists it checked) and pushes every change, whoever made it (this
 * window, the CLI, the session refresher, the clock), so the status bar, the readiness checklist, the sidebar and
 * the AWS screen render the same thing. No credential and no value: the same profile views as `aws.list`, and
 * per-profile summaries.
 */
export const STATE_EVENTS = {
  'state.changed': z.object({
    /** Grows with every change main pushes; a listener may drop a payload older than one it has. */
    revision: z.number().int().nonnegative(),
    /** Every AWS profile and its session, exactly as `aws.list` would answer now. */
    sessions: z.array(AwsProfileViewSchema),
    /** Every profile this app run has checked, planned or synced, in the order main first saw them. */
    profiles: z.array(ProfileStateSchema),
  }),
} as const satisfies Record<string, z.ZodType>;
