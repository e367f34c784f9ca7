import { create } from 'zustand';
import type { EventPayload, InvalidationReason, IpcError, ReadinessItem } from '../../contract/ipc';
import type { Plan, PlanEntry, Resolution } from '../../contract/plan';
import { unpackPlan } from '../../contract/plan-packing';
import { call } from '../api';
import { yieldToPage } from '../lib/yield';
import { profileRefForMain } from './project-ids';

export interface ProfileRef {
  dir: string;
  profile: string;
}

export type Progress = Omit<EventPayload<'sync.progress'>, 'dir' | 'profile'>;
export type Choice = Resolution;

interface PlanState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  plan?: Plan;
  /** Cleared (undefined) when a new attempt starts. */
  error?: IpcError | undefined;
  /** When the shown plan was made, and how long main took. */
  at?: number;
  tookMs?: number;
  /** Set by `plan.invalidated`: the file or the manifest changed since this plan; cleared by a new plan. */
  stale?: InvalidationReason | undefined;
  /**
   * Set while the shown plan is main's cached picture of the last one (ISO time it was made), not a live plan:
   * cleared when the live plan lands (issue 14, item 5: first paint from cached metadata).
   */
  cachedAt?: string | undefined;
  /** True while the cached picture shows only its first chunk of rows, the rest still crossing. */
  cachedPartial?: boolean | undefined;
}

interface SyncState {
  status: 'idle' | 'running' | 'done' | 'error';
  /**
   * heldBack: the changes the user left unticked (or kept local) in that sync, keys by name and files as
   * `file:<path>`; a later plan may still show them.
   */
  /** `syncedAt`: main's stamp for it, which the panel matches to the pushed `lastSync` (renderer/state/main-state.ts). */
  result?: { plan: Plan; wrote: boolean; at: number; syncedAt: string };
  error?: IpcError;
}

export interface ProfileData {
  readiness: { status: 'idle' | 'loading' | 'ready' | 'error'; items?: ReadinessItem[]; error?: IpcError };
  plan: PlanState;
  sync: SyncState;
  /** Cleared (undefined) whenever a plan or a sync starts or ends. */
  progress?: Progress | undefined;
  /**
   * Per key with a change: for a conflict, take-remote or keep-local (its default); for an add, change or removal,
   * keep-local when the user unticked it (its default is to apply it). Main hears them as takeRemote and keepLocal.
   */
  choices: Record<string, Choice>;
  /** The same for file secrets with a change, by path: kept apart from keys, as main takes them apart. */
  fileChoices: Record<string, Choice>;
}

const EMPTY: ProfileData = {
  readiness: { status: 'idle' },
  plan: { status: 'idle' },
  sync: { status: 'idle' },
  choices: {},
  fileChoices: {},
};

/**
 * Disk changes seen per profile, so a plan that was in flight when one arrived knows it is stale. Every
 * `plan.invalidated` counts: main's watcher (main/ipc/watch.ts) already drops the echo of our own sync's write, by
 * comparing the file with what it wrote, so an event that arrives here is a change someone else made.
 */
const invalidations = new Map<string, { count: number; reason: InvalidationReason }>();

export const profileKey = (ref: ProfileRef) => `${ref.dir}\u0000${ref.profile}`;

interface ProfilesState {
  byKey: Record<string, ProfileData>;
  loadReadiness(ref: ProfileRef): Promise<void>;
  runPlan(ref: ProfileRef, opts?: { quiet?: boolean }): Promise<void>;
  /**
   * Shows the profile's cached last plan while no plan is shown yet (a live one replaces it); resolves once all of
   * it is in. A second call while one is under way joins it.
   */
  loadCachedPlan(ref: ProfileRef): Promise<void>;
  /** Starts loadCachedPlan (or joins it); resolves once its first rows are in the store, or when there are none. */
  showCachedHead(ref: ProfileRef): Promise<void>;
  runSync(ref: ProfileRef): Promise<boolean>;
  setChoice(ref: ProfileRef, name: string, choice: Choice): void;
  setFileChoice(ref: ProfileRef, path: string, choice: Choice): void;
  onProgress(payload: EventPayload<'sync.progress'>): void;
  onInvalidated(payload: EventPayload<'plan.invalidated'>): void;
  clearSyncResult(ref: ProfileRef): void;
}

export const useProfiles = create<ProfilesState>((set, get) => {
  const patch = (ref: ProfileRef, change: (d: ProfileData) => Partial<ProfileData>) =>
    set((s) => {
      const key = profileKey(ref);
      const current = s.byKey[key] ?? EMPTY;
      return { byKey: { ...s.byKey, [key]: { ...current, ...change(current) } } };
    });
  const data = (ref: ProfileRef) => get().byKey[profileKey(ref)] ?? EMPTY;

  const loadCached = async (ref: ProfileRef, headShown: () => void): Promise<void> => {
    // A picture is shown already (the live plan, or this cache's): there is nothing to load.
    if (data(ref).plan.plan) return;
    const mainRef = profileRefForMain(ref);
    const result = await call('plan.cached', mainRef);
    const cached = result.ok ? result.value.cached : undefined;
    if (!cached) return;
    // The first chunk (a screenful of rows) paints at once; the rest follows a chunk per task (issue 14, item 5).
    const head = await unpackPlan(cached.plan);
    // The reply's crossing and parsing in this task, the first rows' render in the next: in one they made a long one.
    await yieldToPage();
    const partial = cached.more > 0;
    let shown: Plan | undefined;
    // Only a first picture: never over a plan already shown, live or not, nor once the live plan has failed.
    patch(ref, (d) => {
      if (d.plan.plan || d.plan.status === 'error') return {};
      shown = head;
      return { plan: { ...d.plan, plan: head, cachedAt: cached.savedAt, cachedPartial: partial } };
    });
    headShown();
    if (!shown || !partial) return;
    const entries = [...head.entries];
    const stillShown = () => data(ref).plan.plan === shown;
    for (let index = 1; index <= cached.more; index++) {
      await yieldToPage();
      if (!stillShown()) return; // the live plan (or its error) took over: the rest is not needed
      const next = await call('plan.cachedChunk', { ...mainRef, savedAt: cached.savedAt, index });
      const chunk = next.ok ? next.value.chunk : undefined;
      if (!stillShown()) return;
      if (chunk === undefined) {
        // Gone or replaced since: a cut picture would mislead (counts, filter), so there is none until the live plan.
        patch(ref, (d) => {
          if (d.plan.plan !== shown) return {};
          const { plan: _cut, cachedAt: _at, cachedPartial: _partial, ...rest } = d.plan;
          return { plan: rest };
        });
        return;
      }
      for (const entry of JSON.parse(chunk) as Plan['entries']) entries.push(entry);
    }
    await yieldToPage();
    const whole: Plan = { ...head, entries };
    patch(ref, (d) => (d.plan.plan === shown ? { plan: { ...d.plan, plan: whole, cachedPartial: undefined } } : {}));
  };

  /** Cached pictures being loaded, per profile: the opening's early start (projects-store) and the view share one. */
  const cachedLoads = new Map<string, { head: Promise<void>; done: Promise<void> }>();
  const cachedLoad = (ref: ProfileRef) => {
    const key = profileKey(ref);
    let load = cachedLoads.get(key);
    if (!load) {
      let headShown = () => {};
      const head = new Promise<void>((resolve) => (headShown = resolve));
      const done = loadCached(ref, headShown).finally(() => {
        headShown();
        cachedLoads.delete(key);
      });
      load = { head, done };
      cachedLoads.set(key, load);
    }
    return load;
  };

  return {
    byKey: {},

    loadReadiness: async (ref) => {
      patch(ref, (d) => ({ readiness: { ...d.readiness, status: 'loading' } }));
      const result = await call('readiness', profileRefForMain(ref));
      patch(ref, () => ({
        readiness: result.ok
          ? { status: 'ready', items: result.value.items }
          : { status: 'error', error: result.error },
      }));
    },

    runPlan: async (ref, opts = {}) => {
      const started = performance.now();
      // A change on disk while this plan is in flight makes its result stale on arrival (it may predate the change).
      const invalidationsBefore = invalidations.get(profileKey(ref))?.count ?? 0;
      patch(ref, (d) => ({
        plan: { ...d.plan, status: 'loading', error: opts.quiet ? d.plan.error : undefined },
        progress: undefined,
      }));
      const result = await call('plan', { ...profileRefForMain(ref), ...conflictChoices(data(ref)) });
      // Unpacked a chunk per task: the window never stops for a whole 5,000-key plan at once.
      const unpacked = result.ok ? await unpackPlan(result.value.plan, yieldToPage) : undefined;
      const tookMs = Math.round(performance.now() - started);
      patch(ref, (d) => {
        if (!result.ok || !unpacked)
          return {
            plan: { ...d.plan, status: 'error', ...(!result.ok && { error: result.error }), stale: undefined },
            progress: undefined,
          };
        const plan = unpacked;
        // Keep only choices for keys that still have a change (a conflict, an add, a change, a removal).
        const changes = new Set(plan.entries.filter((e) => CHOOSABLE.has(e.status)).map((e) => e.name));
        const choices = Object.fromEntries(Object.entries(d.choices).filter(([name]) => changes.has(name)));
        const fileChanges = new Set(plan.files.filter((f) => CHOOSABLE.has(f.status)).map((f) => f.path));
        const fileChoices = Object.fromEntries(Object.entries(d.fileChoices).filter(([path]) => fileChanges.has(path)));
        const since = invalidations.get(profileKey(ref));
        const stale = since && since.count !== invalidationsBefore ? since.reason : undefined;
        // Whether a newer plan's work ends the sync's result is main's call (lastSync in state.changed, which the
        // panel follows); a change on disk since is this window's to see, and the result cannot stand over it.
        const superseded = d.sync.status === 'done' && stale !== undefined;
        return {
          plan: { status: 'ready', plan, at: Date.now(), tookMs, ...(stale && { stale }) },
          progress: undefined,
          choices,
          fileChoices,
          ...(superseded && { sync: { status: 'idle' as const } }),
        };
      });
    },

    loadCachedPlan: (ref) => cachedLoad(ref).done,

    showCachedHead: (ref) => cachedLoad(ref).head,

    runSync: async (ref) => {
      const choices = conflictChoices(data(ref));
      patch(ref, () => ({ sync: { status: 'running' }, progress: undefined }));
      const result = await call('sync', { ...profileRefForMain(ref), ...choices });
      if (!result.ok) {
        patch(ref, () => ({ sync: { status: 'error', error: result.error }, progress: undefined }));
        return false;
      }
      const plan = await unpackPlan(result.value.plan, yieldToPage);
      const { wrote, syncedAt } = result.value;
      patch(ref, () => ({
        sync: { status: 'done', result: { plan, wrote, at: Date.now(), syncedAt } },
        progress: undefined,
        choices: {},
        fileChoices: {},
      }));
      // The sync's plan says what was done; a fresh plan (cheap: nothing changed, so no value reads) says where things stand now.
      void get().runPlan(ref, { quiet: true });
      void get().loadReadiness(ref);
      return true;
    },

    // Stored either way: keep-local is a conflict's default but unticks any other change.
    setChoice: (ref, name, choice) => patch(ref, (d) => ({ choices: { ...d.choices, [name]: choice } })),

    // The same for a file secret: keep-local is a conflict's default but unticks an add or a change.
    setFileChoice: (ref, path, choice) => patch(ref, (d) => ({ fileChoices: { ...d.fileChoices, [path]: choice } })),

    onProgress: (payload) => {
      const { dir, profile, ...progress } = payload;
      const ref = { dir, profile };
      const d = get().byKey[profileKey(ref)];
      if (!d || (d.plan.status !== 'loading' && d.sync.status !== 'running')) return;
      patch(ref, () => ({ progress }));
    },

    onInvalidated: (payload) => {
      set((s) => {
        const byKey = { ...s.byKey };
        let changed = false;
        for (const [key, d] of Object.entries(s.byKey)) {
          const [dir, profile] = key.split('\u0000');
          if (dir !== payload.dir || (payload.profile && payload.profile !== profile)) continue;
          invalidations.set(key, { count: (invalidations.get(key)?.count ?? 0) + 1, reason: payload.reason });
          if (d.plan.status !== 'ready') continue; // a plan in flight picks this up when it lands (runPlan)
          byKey[key] = { ...d, plan: { ...d.plan, stale: payload.reason } };
          changed = true;
        }
        return changed ? { byKey } : s;
      });
    },

    clearSyncResult: (ref) => patch(ref, () => ({ sync: { status: 'idle' } })),
  };
});

/** The statuses whose key the user may choose for: a conflict's side, or whether an add, change or removal goes in. */
const CHOOSABLE = new Set<PlanEntry['status']>(['add', 'change', 'remove', 'conflict']);

function namesChoosing(choices: Record<string, Choice>, choice: Choice): string[] {
  return Object.entries(choices)
    .filter(([, c]) => c === choice)
    .map(([name]) => name);
}

/** The plan and sync inputs for the user's choices; absent fields when there are none. */
function conflictChoices(d: ProfileData): {
  takeRemote?: string[];
  takeRemoteFiles?: string[];
  keepLocal?: string[];
  keepLocalFiles?: string[];
} {
  const takeRemote = namesChoosing(d.choices, 'take-remote');
  const takeRemoteFiles = namesChoosing(d.fileChoices, 'take-remote');
  // keep-local is already a conflict's default: main ignores it there, and unticks any other change.
  const keepLocal = namesChoosing(d.choices, 'keep-local');
  const keepLocalFiles = namesChoosing(d.fileChoices, 'keep-local');
  return {
    ...(takeRemote.length ? { takeRemote } : {}),
    ...(takeRemoteFiles.length ? { takeRemoteFiles } : {}),
    ...(keepLocal.length ? { keepLocal } : {}),
    ...(keepLocalFiles.length ? { keepLocalFiles } : {}),
  };
}

export function useProfileData(ref: ProfileRef | null): ProfileData {
  return useProfiles((s) => (ref ? s.byKey[profileKey(ref)] : undefined) ?? EMPTY);
}
