import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { AwsProfileView, EventPayload } from '../../contract/ipc';
import { awsFilePath } from '../aws/files';

export type StateChange = EventPayload<'state.changed'>;

/**
 * The app's one state model (issue 14, "one state model"): the AWS sessions as main derives them from the files
 * and the keychain, pushed whenever they change. There is no second copy to fall out of step: every derivation
 * goes through `refresh()`, so `aws.list`, the checklist (which reloads on the push) and the status bar see the
 * same thing, and a failed operation, having changed nothing on disk, changes nothing here either.
 */
export interface StateStore {
  /** Derives the state again, pushes it when it differs from what was last pushed, and returns the sessions. */
  refresh(): Promise<AwsProfileView[]>;
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
  let running: Promise<AwsProfileView[]> | undefined;
  let queued: Promise<AwsProfileView[]> | undefined;
  let envOf: (() => NodeJS.ProcessEnv) | undefined;
  let watchers = new Map<string, FSWatcher>();
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;
  let debounceTimer: ReturnType<typeof setTimeout> | undefined;

  const background = () => void refresh().catch(() => undefined);

  async function derive(): Promise<AwsProfileView[]> {
    if (envOf) followFiles(envOf());
    const sessions = await options.readSessions();
    const key = JSON.stringify(sessions);
    if (key !== lastPushed) {
      lastPushed = key;
      revision += 1;
      options.emit({ revision, sessions });
    }
    if (envOf) scheduleExpiry(sessions);
    return sessions;
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
