import { DEFAULT_GENERATE_POLICY, generateSecret, parameterName, splitParameterName } from '../core/chamber-rules';
import { LatchkeyError, isLatchkeyError } from '../core/errors';
import { chamberEnvName, validateEnvName } from '../core/names';
import { loadManifest } from '../core/manifest';
import { listProjectEntries } from '../core/projects';
import type { SyncResult } from '../core/sync';
import type { ChamberSpec, GeneratePolicy, Manifest, Profile, SsmSpec } from '../core/types';
import type { RotateStep } from '../../contract/ipc/shared-secrets';
import type { HistoryEntry, ParameterInfo, ParameterStore } from '../sources/chamber-store';
import { auditedAttempt, recordAudit } from './audit-trail';
import { parameterStoreFor, writeWithStore } from './chamber';
import type { AppDeps } from './deps';
import { loadProjectProfile, type ProjectRef } from './project-lookup';
import { syncProfile, type SyncDeps } from './sync';

/**
 * `latchkey rotate`: a new value from the CSPRNG for one shared key, written with the version just read, so a
 * concurrent change is never overwritten. Up to and including the write, any failure leaves the old version
 * current; the intent is audited before the write, so an audit trail that cannot be extended stops the rotation.
 */

export interface RotateRequest {
  project: ProjectRef;
  profile: string | undefined;
  /** The variable name, as in the profile's .env. */
  name: string;
  /** Re-sync the profile after the write. */
  sync?: boolean;
  /** Told as each step starts (read, generate, write, audit, sync), so a window can show where the rotation is. */
  onStep?: (step: RotateStep) => void;
}

/** Which shared key: a profile's variable, as in its .env. */
export interface SharedKeyRequest {
  project: ProjectRef;
  profile: string | undefined;
  name: string;
}

/** Where a profile's variable comes from, and how a new value is made for it. */
interface SharedKeyTarget {
  profile: string;
  name: string;
  parameter: string;
  spec: ChamberSpec | SsmSpec;
  policy: GeneratePolicy;
  current: ParameterInfo;
}

interface OtherUse {
  project: string;
  profile: string;
}

export interface RotateResult {
  name: string;
  parameter: string;
  previousVersion: number;
  version: number;
  policy: GeneratePolicy;
  /** Present when a re-sync was asked for: its result, or why it failed (the rotation itself stands). */
  sync?: { ok: true; wrote: boolean } | { ok: false; code: string; message: string };
  /** Other profiles among the recent projects that read this parameter: they need a sync now. */
  otherUses: OtherUse[];
}

/** Finds the parameter behind a variable: the last source that provides it wins, as in a sync. */
async function sharedKeyTarget(
  deps: AppDeps,
  request: { project: ProjectRef; profile: string | undefined; name: string },
): Promise<SharedKeyTarget & { manifest: Manifest; store: ParameterStore }> {
  const { manifest, profile } = await loadProjectProfile(request.project, request.profile);
  const specs = profile.sources
    .filter((s): s is ChamberSpec | SsmSpec => s.kind === 'chamber' || s.kind === 'ssm')
    .sort((a, b) => b.index - a.index);
  for (const spec of specs) {
    const store = await parameterStoreFor(deps, spec.aws);
    const found = await parameterFor(store, spec, request.name);
    if (found)
      return {
        manifest,
        store,
        profile: profile.name,
        name: request.name,
        parameter: found.name,
        spec,
        policy: spec.generate ?? DEFAULT_GENERATE_POLICY,
        current: found,
      };
  }
  throw new LatchkeyError(
    'SOURCE_NOT_FOUND',
    `no chamber or ssm source of profile ${profile.name} provides ${request.name}`,
    'Only keys from chamber: and ssm: sources can be rotated; check the name with latchkey plan.',
  );
}

async function parameterFor(
  store: ParameterStore,
  spec: ChamberSpec | SsmSpec,
  name: string,
): Promise<ParameterInfo | undefined> {
  if (spec.kind === 'ssm') {
    const derived = spec.as !== undefined ? validateEnvName(spec.as) : chamberEnvName(lastSegment(spec.name));
    if (!derived.ok || derived.name !== name) return undefined;
    return store.describe(spec.name);
  }
  const path = `/${spec.service}`;
  const candidates = spec.only
    ? (await Promise.all(spec.only.map((key) => store.describe(parameterName(spec.service, key))))).filter(
        (p): p is ParameterInfo => p !== undefined,
      )
    : await store.describeService(path);
  return candidates.find((p) => {
    const derived = chamberEnvName(lastSegment(p.name));
    return derived.ok && derived.name === name;
  });
}

/** What a window shows of a shared key before acting on it: the parameter, its history, policy and impact. */
export interface SharedKeyDescription {
  name: string;
  profile: string;
  parameter: string;
  sourceKind: 'chamber' | 'ssm';
  current: ParameterInfo;
  /** Oldest first; names, versions, dates, users and labels, never values. */
  history: HistoryEntry[];
  policy: GeneratePolicy;
  otherUses: OtherUse[];
}

/**
 * The preview of a rotation or a write: the same lookup as `rotateSharedKey`, so what the confirmation names is
 * what the rotation will touch. Reads no value.
 */
export async function describeSharedKey(deps: AppDeps, request: SharedKeyRequest): Promise<SharedKeyDescription> {
  const target = await sharedKeyTarget(deps, request);
  const [history, uses] = await Promise.all([target.store.history(target.parameter), sharedKeyImpact(deps, target)]);
  return {
    name: target.name,
    profile: target.profile,
    parameter: target.parameter,
    sourceKind: target.spec.kind,
    current: target.current,
    history,
    policy: target.policy,
    otherUses: uses,
  };
}

export interface SharedWriteResult {
  name: string;
  parameter: string;
  previousVersion: number;
  version: number;
  otherUses: OtherUse[];
}

/**
 * A value the user typed for a shared key, written as chamber writes it, only over `ifVersion` (the version the
 * user was shown): a change made meanwhile is refused naming who made it and when. Audited; the value goes in only.
 */
export async function writeSharedKey(
  deps: AppDeps,
  request: SharedKeyRequest & { value: string; ifVersion: number },
): Promise<SharedWriteResult> {
  if (request.value === '')
    throw new LatchkeyError('INVALID_INPUT', `empty value for ${request.name}; nothing was written`);
  const target = await sharedKeyTarget(deps, request);
  let version: number | undefined;
  return auditedAttempt(
    deps,
    (outcome, code) => ({
      action: 'chamber.write',
      profile: target.profile,
      target: target.parameter,
      keys: [request.name],
      ...(version !== undefined && { versions: { [request.name]: String(version) } }),
      outcome,
      ...(code !== undefined && { detail: code }),
    }),
    async () => {
      ({ version } = await writeWithStore(deps, target.store, {
        name: target.parameter,
        value: request.value,
        ifVersion: request.ifVersion,
      }));
      return {
        name: request.name,
        parameter: target.parameter,
        previousVersion: request.ifVersion,
        version,
        otherUses: await sharedKeyImpact(deps, target),
      };
    },
  );
}

export async function rotateSharedKey(deps: SyncDeps, request: RotateRequest): Promise<RotateResult> {
  const step = (name: RotateStep) => request.onStep?.(name);
  step('read');
  const target = await sharedKeyTarget(deps, request);
  const { parameter, current, policy } = target;
  const event = (outcome: 'intent' | 'ok' | 'error', versions: Record<string, string>, detail?: string) => ({
    action: 'secret.rotate' as const,
    profile: target.profile,
    target: parameter,
    keys: [request.name],
    versions,
    outcome,
    ...(detail !== undefined && { detail }),
  });
  const fromVersion = { [request.name]: String(current.version) };
  step('generate');
  const value = generateSecret(policy);
  step('write');
  // Before the write: a trail that cannot record the rotation stops it while the old version is still current.
  await recordAudit(deps, event('intent', fromVersion, `from version ${current.version}`));
  let version: number;
  try {
    ({ version } = await writeWithStore(deps, target.store, {
      name: parameter,
      value,
      ifVersion: current.version,
    }));
  } catch (error) {
    const code = isLatchkeyError(error) ? error.code : 'INTERNAL';
    await recordAudit(deps, event('error', fromVersion, code)).catch(() => undefined);
    throw await rotationFailed(error, target.store, parameter, current.version);
  }
  step('audit');
  await recordAudit(deps, event('ok', { [request.name]: String(version) }, `from version ${current.version}`));
  const result: RotateResult = {
    name: request.name,
    parameter,
    previousVersion: current.version,
    version,
    policy,
    otherUses: await sharedKeyImpact(deps, target),
  };
  if (request.sync) {
    step('sync');
    result.sync = await resync(deps, request);
  }
  return result;
}

/** The write failed: say so, and whether the old version is still current (a lost reply may hide a write). */
async function rotationFailed(
  error: unknown,
  store: ParameterStore,
  parameter: string,
  oldVersion: number,
): Promise<LatchkeyError> {
  const why = isLatchkeyError(error) ? error.message : 'an unexpected error';
  const hint = isLatchkeyError(error) ? error.hint : undefined;
  const code = isLatchkeyError(error) ? error.code : 'SOURCE_FAILED';
  const now = await store.describe(parameter).catch(() => undefined);
  const state =
    now === undefined
      ? `its current version could not be checked (version ${oldVersion} was current before)`
      : now.version === oldVersion
        ? `version ${oldVersion} is still current`
        : `it is now at version ${now.version}: check its history before trying again`;
  return new LatchkeyError(code, `rotation of ${parameter} failed while writing: ${why}; ${state}`, hint);
}

async function resync(deps: SyncDeps, request: RotateRequest): Promise<NonNullable<RotateResult['sync']>> {
  try {
    const synced: SyncResult = await syncProfile(deps, { project: request.project, profile: request.profile });
    return { ok: true, wrote: synced.wrote };
  } catch (error) {
    return isLatchkeyError(error)
      ? { ok: false, code: error.code, message: error.message }
      : { ok: false, code: 'INTERNAL', message: 'the sync failed unexpectedly' };
  }
}

/** The impact of changing the target's parameter: who else reads it. */
function sharedKeyImpact(
  deps: AppDeps,
  target: { manifest: Manifest; profile: string; parameter: string },
): Promise<OtherUse[]> {
  return otherUses(deps, target.manifest, target.profile, target.parameter);
}

/** Profiles among the recent projects (this one's other profiles included) that read the same parameter. */
async function otherUses(deps: AppDeps, manifest: Manifest, profile: string, parameter: string): Promise<OtherUse[]> {
  // The recent list straight from disk: naming other projects needs no window, so none is admitted to the registry.
  const recent = await listProjectEntries(deps.runtime.appDir);
  const dirs = new Set([manifest.dir, ...recent.map((p) => p.dir)]);
  const out: OtherUse[] = [];
  for (const dir of dirs) {
    const other = dir === manifest.dir ? manifest : await loadManifest({ dir }).catch(() => undefined);
    if (!other) continue;
    for (const p of other.profiles.values()) {
      if (other.dir === manifest.dir && p.name === profile) continue;
      if (readsParameter(p, parameter)) out.push({ project: other.dir, profile: p.name });
    }
  }
  return out;
}

function readsParameter(profile: Profile, parameter: string): boolean {
  const split = splitParameterName(parameter);
  return profile.sources.some((spec) => {
    if (spec.kind === 'ssm') return spec.name === parameter;
    if (spec.kind !== 'chamber' || !split) return false;
    return spec.service === split.service && (!spec.only || spec.only.includes(split.key));
  });
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
