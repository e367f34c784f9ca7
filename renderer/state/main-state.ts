import { create } from 'zustand';
import type { EventPayload, ProfileState } from '../../contract/ipc';
import { profileKey, type ProfileRef } from './profile-store';

/**
 * Main's pushed per-profile state (`state.changed`): each plan's summary, the last sync's result and the checklist,
 * derived once in main/app/state-store.ts. The sidebar, the status bar and the checklist render from this one
 * copy, so they cannot disagree; a payload older than the one held is dropped.
 */
interface MainState {
  revision: number;
  profiles: Record<string, ProfileState>;
  onState(event: EventPayload<'state.changed'>): void;
}

export const useMainState = create<MainState>((set, get) => ({
  revision: 0,
  profiles: {},
  onState: (event) => {
    if (event.revision <= get().revision) return;
    set({
      revision: event.revision,
      profiles: Object.fromEntries(event.profiles.map((p) => [profileKey(p), p])),
    });
  },
}));

/** What main last pushed about this profile, or undefined before it planned, synced or checked it. */
export function usePushedProfile(ref: ProfileRef | null): ProfileState | undefined {
  return useMainState((s) => (ref ? s.profiles[profileKey(ref)] : undefined));
}

/** The one line the sidebar and the status bar say about a profile's plan, from the pushed summary. */
export function pushedSummary(
  state: ProfileState | undefined,
): { text: string; tone: 'ok' | 'warn' | 'bad' } | undefined {
  const plan = state?.plan;
  if (!plan) return undefined;
  if (plan.inSync) return { text: 'In sync', tone: 'ok' };
  const c = plan.counts;
  if (c.conflict) return { text: `${c.conflict} conflict${c.conflict === 1 ? '' : 's'}`, tone: 'bad' };
  const changes = (c.add ?? 0) + (c.change ?? 0) + (c.remove ?? 0);
  if (c.error || c['keychain-locked']) return { text: 'Cannot sync', tone: 'bad' };
  if (c['needs-input'] || c['source-offline']) return { text: 'Needs attention', tone: 'warn' };
  return changes
    ? { text: `${changes} change${changes === 1 ? '' : 's'}`, tone: 'warn' }
    : { text: 'Cannot sync', tone: 'warn' };
}

/**
 * The window's own sync result, while main still holds that sync as the profile's last: a newer plan with work the
 * sync did not leave, or a later sync from anywhere, ends it in main's state, and so here (issue 14, found 4).
 */
export function standingSyncResult<T extends { syncedAt: string }>(
  result: T | undefined,
  state: ProfileState | undefined,
): T | undefined {
  return result && state?.lastSync?.at === result.syncedAt ? result : undefined;
}
