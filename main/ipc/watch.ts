import { createHash } from 'node:crypto';
import { readFileSync, watch as watchFolder } from 'node:fs';
import path from 'node:path';
import type { EventPayload, InvalidationReason } from '../../contract/ipc';

/**
 * Tells the renderer when the plan it shows went stale because latchkey.yml or the target file changed on disk
 * (an editor, git, another tool). It watches folders, not files: editors and our own writer replace a file by
 * renaming another over it, which a watch on the file itself stops seeing after the first time.
 */
interface WatchTarget {
  /** The project folder as the renderer named it: the event carries it back verbatim. */
  dir: string;
  profile?: string;
  manifestPath: string;
  target?: string;
}

export interface PlanWatcher {
  /** Starts (or refreshes) watching for this project and profile. */
  watch(target: WatchTarget): void;
  /** Stops watching everything registered for this project folder. */
  unwatchDir(dir: string): void;
  /**
   * Runs `work` (our own write of `file`) with the events for `file` ignored while it runs and for a short grace
   * period after, so a sync does not invalidate the plan it has just applied.
   */
  suppress<T>(file: string, work: () => Promise<T>): Promise<T>;
  /** Closes every watcher and timer. */
  dispose(): void;
}

export type FolderListener = (filename: string | null) => void;
/** fs.watch on a folder, reduced to what we use; injectable for tests of the rules. */
type WatchFolder = (folder: string, listener: FolderListener, onError: () => void) => { close(): void };

export interface PlanWatcherOptions {
  emit(payload: EventPayload<'plan.invalidated'>): void;
  debounceMs?: number;
  graceMs?: number;
  watchFolder?: WatchFolder;
}

export const DEFAULT_DEBOUNCE_MS = 150;
export const DEFAULT_GRACE_MS = 500;

interface Subscription {
  dir: string;
  profile?: string;
  manifestPath: string;
  target?: string;
}

export function createPlanWatcher(opts: PlanWatcherOptions): PlanWatcher {
  const debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
  const open = opts.watchFolder ?? nodeWatchFolder;
  const subscriptions = new Map<string, Subscription>();
  const folders = new Map<string, { close(): void }>();
  const timers = new Map<string, NodeJS.Timeout>();
  const suppressed = new Map<string, { active: number; until: number; wrote?: string }>();
  let disposed = false;

  // Our own write reaches us as an event too, sometimes late. During the write it is ignored; for a short grace
  // after it, an event is ignored only while the file still holds exactly what we wrote, so a user's edit that lands
  // right after a sync is never mistaken for our echo.
  const isSuppressed = (file: string) => {
    const entry = suppressed.get(file);
    if (entry === undefined) return false;
    if (entry.active > 0) return true;
    return Date.now() < entry.until && contentDigest(file) === entry.wrote;
  };

  const schedule = (sub: Subscription, reason: InvalidationReason) => {
    const key = JSON.stringify([sub.dir, sub.profile ?? null, reason]);
    const pending = timers.get(key);
    if (pending) clearTimeout(pending);
    const timer = setTimeout(() => {
      timers.delete(key);
      if (disposed) return;
      opts.emit({ dir: sub.dir, ...(sub.profile !== undefined && { profile: sub.profile }), reason });
    }, debounceMs);
    timer.unref?.();
    timers.set(key, timer);
  };

  const onChange = (folder: string, filename: string | null) => {
    if (disposed) return;
    const file = filename === null ? undefined : path.join(folder, filename);
    for (const sub of subscriptions.values()) {
      // Without a file name (some platforms), a change in the folder may be either file.
      if (matches(file, folder, sub.manifestPath)) schedule(sub, 'manifest');
      if (sub.target && matches(file, folder, sub.target) && !isSuppressed(sub.target)) schedule(sub, 'target');
    }
  };

  const reconcile = () => {
    const needed = new Set<string>();
    for (const sub of subscriptions.values()) {
      needed.add(path.dirname(sub.manifestPath));
      if (sub.target) needed.add(path.dirname(sub.target));
    }
    for (const [folder, watcher] of folders) {
      if (!needed.has(folder)) {
        watcher.close();
        folders.delete(folder);
      }
    }
    for (const folder of needed) {
      if (folders.has(folder)) continue;
      try {
        const watcher = open(
          folder,
          (filename) => onChange(folder, filename),
          () => {
            // The folder went away (or the platform gave up on it): stop; the next plan call watches again.
            folders.get(folder)?.close();
            folders.delete(folder);
          },
        );
        folders.set(folder, watcher);
      } catch {
        // A folder that does not exist (yet), or no watch handles left: the plan still works, only not live.
      }
    }
  };

  return {
    watch(target) {
      if (disposed) return;
      const sub: Subscription = {
        dir: target.dir,
        ...(target.profile !== undefined && { profile: target.profile }),
        manifestPath: path.resolve(target.manifestPath),
        ...(target.target !== undefined && { target: path.resolve(target.target) }),
      };
      // A profile's subscription covers the manifest too: drop the folder-only one that a broken manifest left.
      if (target.profile !== undefined) subscriptions.delete(JSON.stringify([target.dir, null]));
      subscriptions.set(JSON.stringify([target.dir, target.profile ?? null]), sub);
      reconcile();
    },
    unwatchDir(dir) {
      for (const [key, sub] of subscriptions) if (sub.dir === dir) subscriptions.delete(key);
      reconcile();
    },
    async suppress(file, work) {
      const abs = path.resolve(file);
      const entry = suppressed.get(abs) ?? { active: 0, until: 0 };
      suppressed.set(abs, entry);
      entry.active += 1;
      try {
        return await work();
      } finally {
        entry.active -= 1;
        entry.until = Math.max(entry.until, Date.now() + graceMs);
        entry.wrote = contentDigest(abs);
      }
    },
    dispose() {
      disposed = true;
      for (const watcher of folders.values()) watcher.close();
      folders.clear();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      subscriptions.clear();
      suppressed.clear();
    },
  };
}

function matches(file: string | undefined, folder: string, wanted: string): boolean {
  return file === undefined ? path.dirname(wanted) === folder : file === wanted;
}

const nodeWatchFolder: WatchFolder = (folder, listener, onError) => {
  const watcher = watchFolder(folder, { persistent: false }, (_event, filename) => {
    listener(filename === null || filename === undefined ? null : filename.toString());
  });
  watcher.on('error', onError);
  return watcher;
};

/** A digest of the file's bytes (never kept as text: the file holds secrets), or a marker when it cannot be read. */
function contentDigest(file: string): string {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return 'unreadable';
  }
}
