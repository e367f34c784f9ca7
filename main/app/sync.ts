import type { Plan } from '../../contract/plan';
import { addTargetToGitignore, type GitignoreResult } from '../core/gitignore';
import { NeedsInputError } from '../core/keychain';
import { keptKeys, loadLocalOverrides } from '../core/local-overrides';
import {
  findMissingPersonalSecrets,
  preparePlan,
  type PreparedSync,
  type SyncProgress,
  type SyncResult,
} from '../core/sync';
import { loadPlanCache, savePlanCache, type CachedPlan } from '../core/plan-cache';
import type { AwsSettings, Manifest, Profile } from '../core/types';
import { nowOf, type AppDeps } from './deps';
import { loadProjectProfile, type ProjectRef } from './project-lookup';
import { watchProject, type ProjectWatch } from './project-watch';

export interface SyncDeps extends AppDeps {
  projectWatch?: ProjectWatch;
}

export interface PlanRequest {
  project: ProjectRef;
  profile: string | undefined;
  /** Conflicting keys whose remote value the user chose over the local edit (none when absent or undefined). */
  takeRemote?: string[] | undefined;
  /** Conflicting file secrets (by path) whose remote bytes the user chose over the local edit. */
  takeRemoteFiles?: string[] | undefined;
  /** Adds, changes and removals the user unticked (the app's review): left in the file as they are. */
  keepLocal?: string[] | undefined;
  /** File secrets (by path) whose add or change the user unticked: not written. */
  keepLocalFiles?: string[] | undefined;
  /**
   * Show missing personal secrets as `needs-input` rows of a whole plan (the CLI's plan, status and sync, the app's
   * plan) instead of failing with NEEDS_INPUT before any source is read (a sync, which cannot write without them).
   */
  needsInputRows?: boolean | undefined;
  /**
   * A source that cannot be reached marks its last-known keys `source-offline` and the rest of the plan stands (the
   * app's plan); otherwise it fails the plan with SOURCE_FAILED (the CLI, a sync).
   */
  offlineRows?: boolean | undefined;
  /** The review shows who last changed each key (the app): see core/sync.ts PlanOptions.whoChanged. */
  whoChanged?: boolean | undefined;
  /** Keep the plan (never a value) as the profile's first picture the next time it is opened (the app's plan). */
  rememberPlan?: boolean | undefined;
  onProgress?: (progress: SyncProgress) => void;
  /** `--timeout`: how long reading every source may take in all, in ms (default 60 s). */
  deadlineMs?: number | undefined;
}

export interface PlannedSync {
  manifest: Manifest;
  profile: Profile;
  /** The plan, and `apply()` to write it. */
  prepared: PreparedSync;
  /** `takeRemote` names that are not a conflict in this plan (a typo, or the conflict is gone). */
  notConflicts: string[];
  /** Which AWS credentials the profile's AWS sources used, in words, one per distinct `aws:` setting. */
  awsCredentials: string[];
}

/**
 * Resolves the profile's sources and compares them with the target and the last sync; nothing is written. Missing
 * personal secrets are reported (NEEDS_INPUT) before any source is contacted, so the form appears at once and
 * AWS is not hit for nothing.
 */
export async function planProfile(deps: SyncDeps, request: PlanRequest): Promise<PlannedSync> {
  return planWith(deps, request, request.rememberPlan ? 'record' : undefined);
}

async function planWith(
  deps: SyncDeps,
  request: PlanRequest,
  handing: 'record' | 'replay' | undefined,
): Promise<PlannedSync> {
  const { manifest, profile } = await loadProjectProfile(request.project, request.profile);
  // Watched from here on, whatever happens next (a failing source, a missing secret).
  watchProject(deps.projectWatch, request.project, manifest.path, profile);
  if (!request.needsInputRows) {
    const missing = await findMissingPersonalSecrets(manifest, profile, deps.runtime.keychain);
    if (missing.length > 0) throw new NeedsInputError(missing);
  }
  // Decided before any request: an AWS profile that is nowhere is a clear error, not an SDK error per source.
  const awsCredentials = await describeProfileCredentials(deps, profile);
  const kept = keptKeys(await loadLocalOverrides(manifest.dir), profile.name);
  const base = deps.runtime.syncEnvironment(manifest);
  const handoverKey = `${manifest.path}\u0000${profile.name}`;
  const recording = handing === 'record' ? deps.handover?.recording(handoverKey, base.sources) : undefined;
  const replayed = handing === 'replay' ? deps.handover?.replaying(handoverKey, base.sources) : undefined;
  const env = { ...base, sources: recording?.sources ?? replayed ?? base.sources };
  const prepared = await preparePlan(manifest, profile.name, env, {
    kept,
    ...(request.takeRemote && { takeRemote: request.takeRemote }),
    ...(request.takeRemoteFiles && { takeRemoteFiles: request.takeRemoteFiles }),
    ...(request.keepLocal && { keepLocal: request.keepLocal }),
    ...(request.keepLocalFiles && { keepLocalFiles: request.keepLocalFiles }),
    ...(request.onProgress && { onProgress: request.onProgress }),
    ...(request.deadlineMs !== undefined && { deadlineMs: request.deadlineMs }),
    ...(request.offlineRows && { offlineRows: true }),
    ...(request.whoChanged && { whoChanged: true }),
  });
  recording?.keep();
  if (request.rememberPlan) await rememberPlan(deps, prepared.plan);
  const notConflicts = (request.takeRemote ?? []).filter(
    (name) =>
      !prepared.plan.entries.some((e) => e.name === name && e.status === 'conflict') &&
      !prepared.plan.files.some((f) => f.path === name && f.status === 'conflict'),
  );
  return { manifest, profile, prepared, notConflicts, awsCredentials };
}

/** Best effort: a cache that cannot be written costs the next opening its first picture, never this plan. */
async function rememberPlan(deps: SyncDeps, plan: Plan): Promise<void> {
  try {
    await savePlanCache(deps.runtime.appDir, plan, nowOf(deps));
  } catch {
    // Nothing to tell: the live plan is on its way to the user either way.
  }
}

/**
 * The profile's last plan as the app made it (names, sources, versions, ages, statuses; never values), shown while
 * the live plan is made; undefined when there is none. Reads no source.
 */
export async function cachedPlan(
  deps: SyncDeps,
  project: ProjectRef,
  profileName: string | undefined,
): Promise<CachedPlan | undefined> {
  const { manifest, profile } = await loadProjectProfile(project, profileName);
  return loadPlanCache(deps.runtime.appDir, manifest.path, profile.name);
}

/** One line per distinct `aws:` setting among the profile's AWS sources. */
async function describeProfileCredentials(deps: SyncDeps, profile: Profile): Promise<string[]> {
  const describe = deps.runtime.describeAwsCredentials;
  if (!describe) return [];
  const settings = new Map<string, AwsSettings>();
  for (const spec of profile.sources) {
    if ('aws' in spec) settings.set(JSON.stringify(spec.aws), spec.aws);
  }
  const lines = await Promise.all([...settings.values()].map((aws) => describe(aws)));
  return [...new Set(lines)];
}

/**
 * Plans with the user's conflict choices and writes at once; our own write does not make the shown plan stale. In the
 * app, the remote values come from the plan the user just reviewed where they still can (plan-handover.ts).
 */
export async function syncProfile(deps: SyncDeps, request: PlanRequest): Promise<SyncResult> {
  const { profile, prepared } = await planWith(deps, request, 'replay');
  const apply = () => prepared.apply();
  return deps.projectWatch ? deps.projectWatch.suppress(profile.target, apply) : apply();
}

/**
 * Adds the profile's target to the .gitignore beside the manifest, then asks git: the result says whether git
 * ignores it now, and what to do when it does not (it tracks the file already).
 */
export async function ignoreTarget(project: ProjectRef, profileName: string | undefined): Promise<GitignoreResult> {
  const { manifest, profile } = await loadProjectProfile(project, profileName);
  return addTargetToGitignore(manifest.dir, profile.target);
}
