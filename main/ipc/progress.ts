import type { SyncProgress } from '../core/sync';
import type { HandlerContext } from './handlers/context';

/** At most one progress event per this many ms within a phase: a 5,000-key resolve must not flood the bridge. */
const PROGRESS_INTERVAL_MS = 50;

/** Sync progress for the window, thinned out: every phase change and the last step of each, the rest at most every 50 ms. */
export function progressReporter(
  send: HandlerContext['send'],
  dir: string,
  profile: string,
): (p: SyncProgress) => void {
  let lastAt = 0;
  let lastPhase: SyncProgress['phase'] | undefined;
  let lastListing: boolean | undefined;
  return (p) => {
    const now = Date.now();
    // Routine: within a phase and a listing, short of the end. "All found so far are done" while pages are still
    // coming is routine too (every key kept by version is such a moment: thousands of them on a no-change plan).
    const atEnd = p.done >= p.total && !p.listing;
    const routine = p.phase === lastPhase && p.listing === lastListing && !atEnd;
    if (routine && now - lastAt < PROGRESS_INTERVAL_MS) return;
    lastAt = now;
    lastPhase = p.phase;
    lastListing = p.listing;
    send('sync.progress', {
      dir,
      profile,
      phase: p.phase,
      done: p.done,
      total: p.total,
      ...(p.requests && { requests: p.requests }),
      ...(p.listing !== undefined && { listing: p.listing }),
    });
  };
}
