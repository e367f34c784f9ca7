import type { Profile } from '../core/types';
import type { ProjectRef } from './project-lookup';

/** What the app shows about one project folder, so a change on disk can tell its window the plan is stale. */
export interface WatchTarget {
  /** The project folder as the window named it: the staleness event carries it back verbatim. */
  dir: string;
  profile?: string;
  manifestPath: string;
  target?: string;
}

/**
 * The port the desktop app gives the use cases to watch the manifests and targets its window shows (the IPC
 * layer's plan watcher implements it). The CLI has none: nothing is shown that could go stale.
 */
export interface ProjectWatch {
  watch(target: WatchTarget): void;
  unwatchDir(dir: string): void;
  /** Runs our own write of `file` without reporting it back as someone else's change. */
  suppress<T>(file: string, work: () => Promise<T>): Promise<T>;
}

/** From now on, a change to this manifest (or the profile's target) makes the shown plan stale. */
export function watchProject(
  watch: ProjectWatch | undefined,
  ref: ProjectRef,
  manifestPath: string,
  profile?: Profile,
): void {
  if (!watch || 'cwd' in ref) return;
  watch.watch({ dir: ref.dir, manifestPath, ...(profile && { profile: profile.name, target: profile.target }) });
}
