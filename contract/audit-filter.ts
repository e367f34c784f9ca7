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

/** The fields of an event a filter reads: both the trail's events and the timeline's rows have them. */
export interface FilterableAuditEvent {
  time: string;
  user: string;
  action: string;
  outcome: string;
  profile?: string | undefined;
  target?: string | undefined;
  keys?: readonly string[] | undefined;
  detail?: string | undefined;
}

const SUCCESS = new Set(['ok', 'intent']);

function searchableText(event: FilterableAuditEvent): string {
  return [event.action, event.outcome, event.profile, event.target, event.user, event.detail, ...(event.keys ?? [])]
    .filter((part): part is string => typeof part === 'string')
    .join('\n')
    .toLowerCase();
}

/** A predicate for one filter, built once: the words are split and the bounds parsed up front. */
export function auditFilterPredicate(filter: AuditFilter): (event: FilterableAuditEvent) => boolean {
  const words = (filter.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const actions = filter.actions && filter.actions.length > 0 ? new Set(filter.actions) : undefined;
  const from = filter.from ? Date.parse(filter.from) : -Infinity;
  const to = filter.to ? Date.parse(filter.to) : Infinity;
  return (event) => {
    if (actions && !actions.has(event.action)) return false;
    if (filter.problemsOnly && SUCCESS.has(event.outcome)) return false;
    const time = Date.parse(event.time);
    if (time < from || time > to) return false;
    if (words.length === 0) return true;
    const text = searchableText(event);
    return words.every((word) => text.includes(word));
  };
}
