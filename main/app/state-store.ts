import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { AwsProfileView, EventPayload, ProfileState, ReadinessItem } from '../../contract/ipc';
import { planHasNewWork, planIsInSync, type Plan } from '../../contract/plan';
import { awsFilePath } from '../aws/files';

export type StateChange = EventPayload<'state.changed'>;

/** A profile as the state names it: the project's folder and the profile's name. */
interface ProfileAt {
  dir: string;
  profile: string;
}

/**
 * The app's one state model (issue 14, "one state model"): the AWS sessions as main derives them from the files
 * and the keychain, and per profile its plan's summary, its last sync's result and its checklist, pushed whenever
 * any of them changes. There is no second copy to fall out of step: every session derivation goes through
 * `refresh()`, every checklist through `readiness()`, and every plan and sync is told here once it succeeded, so
 * `aws.list`, the checklist, the sidebar and the status bar see the same thing. A failed operation is never told
 * here, and so changes nothing.
 */
export interface StateStore {
  /** Derives the state again, pushes it when it differs from what was last pushed, and returns the sessions. */
  refresh(): Promise<AwsProfileView[]>;
  /** The sessions as last derived (derived now if never yet): what the session notifications read. */
  sessions(): Promise<AwsProfileView[]>;
  /** Derives a profile's checklist, keeps and pushes it; checked again whenever the AWS sessions change. */
  readiness(at: ProfileAt): Promise<ReadinessItem[]>;
  /**
   * A plan succeeded (`cachedAt`: it is main's cached picture, shown until the live one lands; it never replaces a
   * live plan's summary). A newer live plan with work the last sync did not knowingly leave ends that sync's result.
   */
  planned(at: ProfileAt, plan: Plan, options?: { cachedAt?: string }): void;
  /**
   * A sync succeeded; `heldBack` are the changes the user left unticked in it (files as `heldBackFile`). Returns its
   * stamp, pushed as `lastSync.at`: the window that ran it shows its own result only while that stamp stands.
   */
  synced(at: ProfileAt, result: { wrote: boolean; heldBack: readonly string[] }): string;
  /**
   * Follows changes nobody told us of: the AWS files' folders (the CLI, an editor) and the clock (a session
   * expiring). `env` is read at each refresh, so the files followed are always those the derivation reads.
   */
  follow(env: () => NodeJS.ProcessEnv): void;
  /** Stops following; refresh() still works. */
  dispose(): void;
}

export interface StateStoreOptions {
  /** The derivation: the same function `aws.list` answers with. */
  readSessions(): Promise<AwsProfileView[]>;
  /** The checklist's derivation (the `readiness` method's); without it, readiness() refuses. */
  readReadiness?(at: ProfileAt): Promise<ReadinessItem[]>;
  emit(change: StateChange): void;
  now?: () => number;
  /** How long a burst of file events waits before one refresh (default 150 ms). */
  debounceMs?: number;
}

/** A session counts as over this long before its expiry (profiles.ts isFresh), so the clock re-derives then. */
const FRESH_MARGIN_MS = 60_000;
/** setTimeout's ceiling; a later expiry is looked at again when this fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createStateStore(options: StateStoreOptions): StateStore {
  const now = options.now ?? Date.now;
  const debounceMs = options.debounceMs ?? 150;
  let revision = 0;
  let lastPushed: string | undefined;
  let sessions: AwsProfileView[] | undefined;
  /** Per profile, in the order first seen; Map keeps that order for the push. */
  const profiles = new Map<string, ProfileState>();
  /** The names each profile's last sync held back: kept here to judge a newer plan, pushed only as a count. */
  const heldBackOf = new Map<string, readonly string[]>();
  let running: Promise<AwsProfileView[]> | undefined;
  let queued: Promise<AwsProfileView[]> | undefined;
  let envOf: (() => NodeJS.ProcessEnv) | undefined;
  let watchers = new Map<string, FSWatcher>();
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;
  let debounceTimer: ReturnType<typeof setTimeout> | undefined;

  const background = () => void refresh().catch(() => undefined);

  /** Pushes the whole state when it differs from what was last pushed. */
  function publish(): void {
    const change = { sessions: sessions ?? [], profiles: [...profiles.values()] };
    const key = JSON.stringify(change);
    if (key === lastPushed) return;
    lastPushed = key;
    revision += 1;
    options.emit({ revision, ...change });
  }

  const stamp = () => new Date(now()).toISOString();
  const keyOf = (at: ProfileAt) => `${at.dir}\u0000${at.profile}`;
  function update(at: ProfileAt, change: (current: ProfileState) => ProfileState): void {
    const current = profiles.get(keyOf(at)) ?? { dir: at.dir, profile: at.profile };
    profiles.set(keyOf(at), change(current));
  }

  async function deriveReadiness(at: ProfileAt): Promise<ReadinessItem[]> {
    if (!options.readReadiness) throw new Error('This state store has no readiness derivation.');
    const items = await options.readReadiness(at);
    update(at, (p) => ({ ...p, readiness: items }));
    return items;
  }

  async function derive(): Promise<AwsProfileView[]> {
    if (envOf) followFiles(envOf());
    const next = await options.readSessions();
    const changed = sessions !== undefined && JSON.stringify(next) !== JSON.stringify(sessions);
    sessions = next;
    // A session that started or ended changes every checklist with an AWS item: checked again here, once, for all
    // windows, instead of each checklist asking again on every push. One that fails keeps what it had.
    if (changed) {
      const withAws = [...profiles.values()].filter((p) => p.readiness?.some((i) => i.id.startsWith('aws')));
      await Promise.all(withAws.map((p) => deriveReadiness(p).catch(() => undefined)));
    }
    publish();
    if (envOf) scheduleExpiry(next);
    return next;
  }

  // One derivation at a time, so pushes leave in order; callers during one share the next, which sees their change.
  function refresh(): Promise<AwsProfileView[]> {
    if (queued) return queued;
    if (!running) {
      running = derive().finally(() => {
        running = undefined;
      });
      return running;
    }
    queued = running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return refresh();
      });
    return queued;
  }

  function scheduleExpiry(sessions: AwsProfileView[]): void {
    clearTimeout(expiryTimer);
    expiryTimer = undefined;
    let first = Infinity;
    for (const p of sessions) {
      const end = p.session.active && p.session.expiresAt ? Date.parse(p.session.expiresAt) - FRESH_MARGIN_MS : NaN;
      if (end < first) first = end;
    }
    if (!Number.isFinite(first)) return;
    const delay = Math.min(Math.max(0, first - now()) + 1000, MAX_TIMER_MS);
    expiryTimer = setTimeout(background, delay);
    expiryTimer.unref?.();
  }

  // Folders, not files: the AWS files are replaced by a rename (ours and most editors'), which a file watch misses.
  function followFiles(env: NodeJS.ProcessEnv): void {
    const wanted = new Map<string, Set<string>>();
    for (const kind of ['config', 'credentials'] as const) {
      const file = awsFilePath(kind, env);
      const names = wanted.get(path.dirname(file)) ?? new Set<string>();
      names.add(path.basename(file));
      wanted.set(path.dirname(file), names);
    }
    const next = new Map<string, FSWatcher>();
    for (const [folder, names] of wanted) {
      const existing = watchers.get(folder);
      if (existing) {
        next.set(folder, existing);
        continue;
      }
      try {
        const watcher = watch(folder, (_event, filename) => {
          if (filename !== null && !names.has(filename)) return;
          clearTimeout(debounceTimer);
          debounceTimer = setTimeout(background, debounceMs);
          debounceTimer.unref?.();
        });
        watcher.on('error', () => {
          watcher.close();
          watchers.delete(folder);
        });
        watcher.unref();
        next.set(folder, watcher);
      } catch {
        // No such folder yet: the next refresh tries again (a login creates it through us anyway).
      }
    }
    for (const [folder, watcher] of watchers) if (!next.has(folder)) watcher.close();
    watchers = next;
  }

  return {
    refresh,
    sessions: () => (sessions ? Promise.resolve(sessions) : refresh()),
    async readiness(at) {
      const items = await deriveReadiness(at);
      publish();
      return items;
    },
    planned(at, plan, { cachedAt } = {}) {
      const cached = cachedAt !== undefined;
      update(at, (p) => {
        // The cached picture is only a first paint: never over a live plan's summary.
        if (cached && p.plan && !p.plan.cached) return p;
        const superseded = !cached && p.lastSync !== undefined && planHasNewWork(plan, heldBackOf.get(keyOf(at)));
        if (superseded) heldBackOf.delete(keyOf(at));
        const { lastSync, ...rest } = p;
        return {
          ...rest,
          ...(!superseded && lastSync && { lastSync }),
          plan: { counts: plan.counts, plannedAt: cachedAt ?? stamp(), cached, inSync: planIsInSync(plan) },
        };
      });
      publish();
    },
    synced(at, { wrote, heldBack }) {
      heldBackOf.set(keyOf(at), [...heldBack]);
      // The sync's plan is what was to do, not what is: the summary waits for the next plan (the window makes one).
      const syncedAt = stamp();
      update(at, ({ plan: _done, ...p }) => ({ ...p, lastSync: { wrote, heldBack: heldBack.length, at: syncedAt } }));
      publish();
      return syncedAt;
    },
    follow(env) {
      envOf = env;
      background();
    },
    dispose() {
      envOf = undefined;
      clearTimeout(expiryTimer);
      clearTimeout(debounceTimer);
      for (const watcher of watchers.values()) watcher.close();
      watchers = new Map();
    },
  };
}
