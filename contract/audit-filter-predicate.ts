import type { AuditFilter } from './audit-filter';

// The filter's matching, apart from its schema (audit-filter.ts): every CLI command loads main's audit trail, whose
// export matches with it, and building the schema's zod checks there was on a plan's way to its first request
// (issue 12: start-up). The window and an export match with this one function, so both show the same events.

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
