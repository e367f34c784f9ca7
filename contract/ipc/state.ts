import * as z from 'zod';
import { AwsProfileViewSchema } from './aws';

/**
 * The app's one state model (issue 14, "one state model"): main derives it from the truth (the AWS files and the
 * keychain) and pushes every change, whoever made it (this window, the CLI, the session refresher, the clock), so
 * the status bar, the readiness checklist and the AWS screen render the same thing. No credential: the same
 * profile views as `aws.list`.
 */
export const STATE_EVENTS = {
  'state.changed': z.object({
    /** Grows with every change main pushes; a listener may drop a payload older than one it has. */
    revision: z.number().int().nonnegative(),
    /** Every AWS profile and its session, exactly as `aws.list` would answer now. */
    sessions: z.array(AwsProfileViewSchema),
  }),
} as const satisfies Record<string, z.ZodType>;
