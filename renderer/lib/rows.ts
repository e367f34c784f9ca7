import type { PlanEntry } from '../../contract/plan';
import { ageDays } from './format';
import { displayStatus, KEY_LOOKS, needsAttention, type KeyDisplayStatus } from './status';

/** One row of the keys table: the plan entry plus what the table derives from it once, not on every keystroke. */
export interface KeyRow {
  entry: PlanEntry;
  display: KeyDisplayStatus;
  age: number | undefined;
  /** Lower-cased text the filter box searches: name, source, source key, status words. */
  haystack: string;
}

export function toRows(entries: PlanEntry[], now = Date.now()): KeyRow[] {
  return entries.map((entry) => {
    const display = displayStatus(entry);
    const origin = entry.origin;
    const haystack = [
      entry.name,
      origin?.kind,
      origin?.ref,
      origin?.sourceKey,
      KEY_LOOKS[display].label,
      entry.rotation?.status,
    ]
      .filter(Boolean)
      .join(' ')
      .toLowerCase();
    return { entry, display, age: ageDays(entry.rotation?.ageDays, entry.meta?.modifiedAt, now), haystack };
  });
}

export type StatusFacet = 'all' | 'attention' | KeyDisplayStatus;

/** Every word of the query must appear somewhere in the row; a plain loop so 5,000 rows filter well under a frame. */
export function filterRows(rows: KeyRow[], query: string, facet: StatusFacet): KeyRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0 && facet === 'all') return rows;
  const out: KeyRow[] = [];
  for (const row of rows) {
    if (facet === 'attention' ? !needsAttention(row.display) : facet !== 'all' && row.display !== facet) continue;
    let match = true;
    for (const word of words) {
      if (!row.haystack.includes(word)) {
        match = false;
        break;
      }
    }
    if (match) out.push(row);
  }
  return out;
}
