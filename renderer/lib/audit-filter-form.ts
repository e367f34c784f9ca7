import type { AuditFilter } from '../../contract/audit-filter';

/** What the Audit screen's controls hold: plain strings, as inputs give them. */
export interface AuditFilterForm {
  query: string;
  /** 'all', or one action. */
  action: string;
  problemsOnly: boolean;
  /** `YYYY-MM-DD` from a date input, or ''. */
  fromDate: string;
  toDate: string;
}

export const EMPTY_AUDIT_FILTER_FORM: AuditFilterForm = {
  query: '',
  action: 'all',
  problemsOnly: false,
  fromDate: '',
  toDate: '',
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date input's day, at the given local time, as an instant; undefined for an empty or malformed date. */
function localInstant(day: string, endOfDay: boolean): string | undefined {
  const match = DATE.exec(day);
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = endOfDay ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d, 0, 0, 0, 0);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The filter the form describes. Dates are the user's local days, sent as instants: "to" includes its whole day, and
 * a range entered backwards is read the right way round rather than matching nothing.
 */
export function auditFilterOf(form: AuditFilterForm): AuditFilter {
  let from = localInstant(form.fromDate, false);
  let to = localInstant(form.toDate, true);
  if (from && to && from > to) {
    from = localInstant(form.toDate, false);
    to = localInstant(form.fromDate, true);
  }
  const query = form.query.trim();
  return {
    ...(query && { query }),
    ...(form.action !== 'all' && { actions: [form.action] }),
    ...(form.problemsOnly && { problemsOnly: true }),
    ...(from && { from }),
    ...(to && { to }),
  };
}

/** True when the form narrows anything: the screen then says how many events match, and offers to clear. */
export function isFiltering(form: AuditFilterForm): boolean {
  return (
    form.query.trim() !== '' || form.action !== 'all' || form.problemsOnly || form.fromDate !== '' || form.toDate !== ''
  );
}
