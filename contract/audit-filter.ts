import * as z from 'zod';

/**
 * Which audit events a person is looking at: the Audit screen filters its rows with it, and an export writes exactly
 * the events it matches, so both sides share this one definition. Times are instants (the renderer turns the dates it
 * shows into the start and end of the local day), so main and the window never disagree over a time zone.
 */
export const AuditFilterSchema = z.object({
  /** Words that must all appear in the event's action, outcome, profile, target, keys, user or detail. */
  query: z.string().max(200).optional(),
  /** Actions to keep; absent or empty keeps all. */
  actions: z.array(z.string().max(64)).max(64).optional(),
  /** Only events that did not succeed. */
  problemsOnly: z.boolean().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;
