import type { AuditEvent } from './audit';

/**
 * The audit trail as a file for people and their tools. JSON keeps each event whole, hashes included, so a reader
 * can re-check the chain; CSV is for spreadsheets, one event per row. Neither ever held a value: the trail has none.
 */

const CSV_COLUMNS = [
  'seq',
  'time',
  'user',
  'action',
  'outcome',
  'profile',
  'target',
  'keys',
  'detail',
  'hash',
] as const;

/**
 * A spreadsheet runs a cell that starts with one of these as a formula. Audit text comes from names people chose
 * (a profile called `=HYPERLINK(…)`), so such a cell is written with a leading apostrophe, as OWASP advises.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180: a header row, CRLF line ends, quotes doubled inside quoted cells. */
export function auditCsv(events: readonly AuditEvent[]): string {
  const rows = events.map((event) =>
    CSV_COLUMNS.map((column) => csvCell(column === 'keys' ? event.keys?.join(' ') : event[column])).join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].map((row) => `${row}\r\n`).join('');
}

/** The events as the trail holds them, in an object that says what they are. */
export function auditJson(events: readonly AuditEvent[], exportedAt: Date): string {
  return `${JSON.stringify({ kind: 'latchkey-audit', exportedAt: exportedAt.toISOString(), events }, null, 2)}\n`;
}
