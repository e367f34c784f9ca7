import { addToGitignore } from '../core/gitignore';
import { NeedsInputError } from '../core/keychain';
import {
  findMissingPersonalSecrets,
  preparePlan,
  type PreparedSync,
  type SyncProgress,
  type SyncResult,
} from '../core/sync';
import type { Manifest, Profile } from '../core/types';
import type { AppDeps } from './deps';
import { loadProjectProfile, type ProjectRef } from './project-lookup';
import { watchProject, type ProjectWatch } from './project-watch';

export interface SyncDeps extends AppDeps {
  projectWatch?: ProjectWatch;
}

export interface PlanRequest {
  project: ProjectRef;
  profile: string | undefined;
  /** Conflicting keys whose remote value the user chose over the local edit. */
  takeRemote?: string[];
  onProgress?: (progress: SyncProgress) => void;
}

export interface PlannedSync {
  manifest: Manifest;
  profile: Profile;
  /** The plan, and `apply()` to write it. */
  prepared: PreparedSync;
  /** `takeRemote` names that are not a conflict in this plan (a typo, or the conflict is gone). */
  notConflicts: string[];
}

/**
 * Resolves the profile's sources and compares them with the target and the last sync; nothing is written. Missing
 * personal secrets are reported (NEEDS_INPUT) before any source is contacted, so the form appears at once and
 * AWS is not hit for nothing.
 */
export async function planProfile(deps: SyncDeps, request: PlanRequest): Promise<PlannedSync> {
  const { manifest, profile } = await loadProjectProfile(request.project, request.profile);
  // Watched from here on, whatever happens next (a failing source, a missing secret).
  watchProject(deps.projectWatch, request.project, manifest.path, profile);
  const missing = await findMissingPersonalSecrets(manifest, profile, deps.runtime.keychain);
  if (missing.length > 0) throw new NeedsInputError(missing);
  const prepared = await preparePlan(manifest, profile.name, deps.runtime.syncEnvironment(manifest), {
    ...(request.takeRemote && { takeRemote: request.takeRemote }),
    ...(request.onProgress && { onProgress: request.onProgress }),
  });
  const notConflicts = (request.takeRemote ?? []).filter(
    (name) => !prepared.plan.entries.some((e) => e.name === name && e.status === 'conflict'),
  );
  return { manifest, profile, prepared, notConflicts };
}

/** Plans with the user's conflict choices and writes at once; our own write does not make the shown plan stale. */
export async function syncProfile(deps: SyncDeps, request: PlanRequest): Promise<SyncResult> {
  const { profile, prepared } = await planProfile(deps, request);
  const apply = () => prepared.apply();
  return deps.projectWatch ? deps.projectWatch.suppress(profile.target, apply) : apply();
}

/** Adds the profile's target to the .gitignore beside the manifest; returns that file. */
export async function ignoreTarget(project: ProjectRef, profileName: string | undefined): Promise<string> {
  const { manifest, profile } = await loadProjectProfile(project, profileName);
  return addToGitignore(manifest.dir, profile.target);
}
