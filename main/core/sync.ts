import { setMaxListeners } from 'node:events';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { SyncPhase } from '../../contract/ipc';
import type { ErrorCode } from '../../contract/errors';
import { FILE_REVEAL_MAX_BYTES, type Plan } from '../../contract/plan';
import type { AuditInput } from './audit';
import {
  assertRoomFor,
  assertSafeTarget,
  ensureFileMode,
  prepareAtomicWrite,
  type PreparedWrite,
} from './atomic-write';
import { decodeLossless, encodeLossless } from './bytes';
import { documentValues, parseDotenv, renderDotenv, type DotenvDocument, type ReaderHazard } from './dotenv';
import { LatchkeyError } from './errors';
import { rememberSecrets } from './redact';
import { gitWouldTrack } from './gitignore';
import { isKeychainLocked, keychainLocked, NeedsInputError, personalSecretAccount, type Keychain } from './keychain';
import { assignNames, isFileSecret, type NamedSecret, type NameError } from './names';
import {
  computeFilePlan,
  fileCompareOf,
  DEFAULT_FILE_MODE,
  fileOrigin,
  type FileSlot,
  type PlannedFile,
  type PreviousFile,
} from './file-plan';
import { computePlan, fingerprintOf, octal, type ComputedPlan, type PreviousEntry } from './plan';
import { driftTracking, noMac } from './drift-tracking';
import { emptySyncState, loadSyncState, prepareSyncState, type SyncFileEntry, type SyncState } from './state';
import type {
  Manifest,
  Profile,
  ResolveContext,
  ResolveProgress,
  ResolvedSecret,
  S3Spec,
  SecretSource,
  SourceKind,
  SourceSpec,
  SpecOf,
} from './types';
import { originId, specRef } from './types';

/** The systems of record available to this process, by kind. Built outside the core (see main/runtime.ts). */
export type SourceRegistry = { [K in SourceKind]?: SecretSource<K> };

export interface SyncEnvironment {
  sources: SourceRegistry;
  keychain: Keychain;
  appDir: string;
  now?: () => Date;
}

export interface SyncProgress {
  phase: SyncPhase;
  /** Keys read (or kept by version) and keys found so far, over every source. */
  done: number;
  total: number;
  /** Requests sent and answered so far, over the sources that count them (issue 14, item 5: real work). */
  requests?: { sent: number; answered: number };
  /** True while a source is still paging through a listing: `total` is what was found so far, not the end. */
  listing?: boolean;
}

export interface PlanOptions {
  /** Conflicts (keys, and for the CLI's `--take-remote <path>` files too) resolved with the source's value. */
  takeRemote?: Iterable<string>;
  /** File secrets only, by path: the app names files apart, so a path can never resolve a key of the same name. */
  takeRemoteFiles?: Iterable<string>;
  /** Adds, changes and removals the user unticked (the app's review): the file keeps what it has for them. */
  keepLocal?: Iterable<string>;
  /** File secrets (by path) whose add or change the user unticked: not written, the file left as it is. */
  keepLocalFiles?: Iterable<string>;
  /** Keys the user keeps as their own (`latchkey.local.yml`): shown as `local-override`, never written. */
  kept?: Iterable<string>;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  /**
   * How long reading every source may take in all, in ms (default 60 s): past it the resolve ends with
   * SOURCE_FAILED naming each source still waiting and its step (issue 10, item 5). The CLI's --timeout sets it.
   */
  deadlineMs?: number;
  /**
   * A source that cannot be reached (SOURCE_FAILED: the network, a timeout, Connect down) marks only its own rows
   * `source-offline`, named from the last sync's state, instead of failing the plan; apply() still refuses (the
   * app's plan, issue 14, item 1). Off: the first failure ends the plan, as a sync must.
   */
  offlineRows?: boolean;
  /**
   * The review shows who last changed each key (the app's plan): every chamber service is listed first, which names
   * them. Without it, a service with no sync state is read by path first, in fewer requests that cannot say who.
   */
  whoChanged?: boolean;
}

const DEFAULT_DEADLINE_MS = 60_000;
/** A sync's write that met another program's change: the plan it was made from no longer holds. */
const REPLAN_HINT = 'Look at the file, then run plan again.';

export interface PreparedSync {
  plan: Plan;
  /** What the strictest .env reader would make of the target as it is now; the plan's warnings say them too. */
  hazards: ReaderHazard[];
  /** Writes the plan. Refuses when the plan has errors or the target changed since it was read. */
  apply(): Promise<SyncResult>;
}

export interface SyncResult {
  plan: Plan;
  wrote: boolean;
  target: string;
  /** The file secrets written (absolute paths). */
  files: string[];
  statePath?: string;
  /** What the sync changed about the file beyond its keys, for people ("removed the byte order mark"). */
  fixes: string[];
}

export function profileOf(manifest: Manifest, name: string | undefined): Profile {
  const names = [...manifest.profiles.keys()];
  const chosen = name ?? (names.length === 1 ? names[0] : undefined);
  if (chosen === undefined) {
    throw new LatchkeyError('PROFILE_NOT_FOUND', `name a profile: ${manifest.path} has ${names.join(', ')}`);
  }
  const profile = manifest.profiles.get(chosen);
  if (!profile) {
    throw new LatchkeyError(
      'PROFILE_NOT_FOUND',
      `no profile ${JSON.stringify(chosen)} in ${manifest.path}`,
      `Profiles: ${names.join(', ') || '(none)'}`,
    );
  }
  return profile;
}

/** Personal secrets the profile needs that the keychain does not hold yet; a locked keychain throws KEYCHAIN_LOCKED. */
export async function findMissingPersonalSecrets(manifest: Manifest, profile: Profile, keychain: Keychain) {
  const missing: { name: string; account: string }[] = [];
  for (const spec of profile.sources) {
    if (spec.kind !== 'keychain') continue;
    const account = personalSecretAccount(manifest.path, spec.name);
    if ((await keychain.get(account)) === null) missing.push({ name: spec.name, account });
  }
  return missing;
}

/**
 * The profile's personal secrets that cannot be read now: not set (`missing`), or behind a locked keychain
 * (`locked`), which may well hold them. Each becomes a row of its own in the plan rather than failing it.
 */
async function unreadablePersonalSecrets(manifest: Manifest, profile: Profile, keychain: Keychain) {
  const missing: { name: string; account: string }[] = [];
  const locked: string[] = [];
  for (const spec of profile.sources) {
    if (spec.kind !== 'keychain') continue;
    const account = personalSecretAccount(manifest.path, spec.name);
    try {
      if ((await keychain.get(account)) === null) missing.push({ name: spec.name, account });
    } catch (error) {
      if (!isKeychainLocked(error)) throw error;
      locked.push(spec.name);
    }
  }
  return { missing, locked };
}

interface Resolution {
  /** Sources that could not be read (only with `offlineRows`); their last-known keys are among `named`. */
  failures: SourceFailure[];
  named: NamedSecret[];
  nameErrors: NameError[];
  /** File secrets (`s3:` with `file:`): they have a path instead of a variable name. */
  files: ResolvedSecret[];
  warnings: string[];
}

/**
 * Fetch every value the profile needs, all sources at once. The first failure aborts the others: a sync is all or
 * nothing, so there is no point in finishing the rest.
 */
async function resolveProfile(profile: Profile, env: SyncEnvironment, ctx: ResolveAllContext): Promise<Resolution> {
  const { secrets, warnings, failures } = await resolveAll(profile.sources, env, ctx);
  const { named, errors } = assignNames(secrets);
  const files = secrets.filter(isFileSecret);
  return { named, nameErrors: errors, files, warnings, failures };
}

/** A source kind that could not be read, its specs, and the error (its message never holds a value). */
interface SourceFailure {
  kind: SourceKind;
  specs: SourceSpec[];
  error: LatchkeyError;
}

type ResolveAllContext = Pick<ResolveContext, 'canReuse' | 'hasPriorState' | 'hasPriorStateOf'> & {
  /** Personal secrets not set yet: named like the rest, shown as `needs-input`, never read. */
  placeholders?: ResolvedSecret[] | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: SyncProgress) => void) | undefined;
  /** When the whole operation must be over, and the limit it was given; default DEFAULT_DEADLINE_MS from now. */
  deadline?: Deadline | undefined;
  /**
   * Given, a source kind that fails with SOURCE_FAILED does not abort the others: it is a failure of the result,
   * and these stand in for its keys (last-known names and versions, no values).
   */
  offlineStandIns?: ((failure: SourceFailure) => ResolvedSecret[]) | undefined;
};

/**
 * Any list of specs (inject's references), resolved as a profile's are: all at once, within the whole-operation
 * deadline, and every value remembered by the sanitiser before anything can quote it.
 */
export function resolveSpecs(
  specs: readonly SourceSpec[],
  env: SyncEnvironment,
  options: Omit<PlanOptions, 'takeRemote'> = {},
): Promise<{ secrets: ResolvedSecret[]; warnings: string[] }> {
  const { deadlineMs, ...rest } = options;
  return resolveAll(specs, env, {
    canReuse: () => false,
    ...rest,
    deadline: deadlineIn(deadlineMs ?? DEFAULT_DEADLINE_MS),
  });
}

async function resolveAll(
  specsToResolve: readonly SourceSpec[],
  env: SyncEnvironment,
  ctx: ResolveAllContext,
): Promise<{ secrets: ResolvedSecret[]; warnings: string[]; failures: SourceFailure[] }> {
  const byKind = new Map<SourceKind, SourceSpec[]>();
  for (const spec of specsToResolve) {
    const specs = byKind.get(spec.kind);
    if (specs) specs.push(spec);
    else byKind.set(spec.kind, [spec]);
  }

  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // one listener per in-flight request in each source
  const onOuterAbort = () => abort.abort(ctx.signal?.reason);
  ctx.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const progress = new Map<SourceKind, ResolveProgress>();
  const steps = new Map<SourceKind, string>();
  const pending = new Set(byKind.keys());
  const report = (p: ResolveProgress) => {
    progress.set(p.kind, p);
    if (p.step !== undefined) steps.set(p.kind, p.step);
    let done = 0;
    let total = 0;
    let sent = 0;
    let answered = 0;
    let listing = false;
    for (const [kind, each] of progress) {
      done += each.done;
      total += each.total;
      sent += each.requests?.sent ?? 0;
      answered += each.requests?.answered ?? 0;
      // A source that has settled lists nothing more, whatever its last report said.
      listing ||= (each.listing ?? false) && pending.has(kind);
    }
    ctx.onProgress?.({ phase: 'resolving', done, total, requests: { sent, answered }, listing });
  };

  const deadline = ctx.deadline ?? deadlineIn(DEFAULT_DEADLINE_MS);
  const remainingMs = Math.max(0, deadline.at - Date.now());
  let timer: NodeJS.Timeout | undefined;
  // A source that never answers (or answers a byte a second) must not hold the sync: past the deadline every
  // source is told to stop, and the resolve ends whether or not they do.
  const overdue = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = deadlinePassed(
        [...pending].map((kind) => ({ kind, step: steps.get(kind) })),
        deadline.limitMs,
      );
      abort.abort(error);
      reject(error);
    }, remainingMs);
  });
  // Raced per source with offlineStandIns, so it may have no other listener when it fires.
  overdue.catch(() => undefined);
  const failures: SourceFailure[] = [];
  const standIns = ctx.offlineStandIns;

  try {
    const work = Promise.all(
      [...byKind].map(async ([kind, specs]) => {
        const source = env.sources[kind] as SecretSource | undefined;
        if (!source) {
          throw new LatchkeyError(
            'SOURCE_FAILED',
            `"${kind}:" sources are not available in this build`,
            'Remove them from the profile or update Latchkey.',
          );
        }
        const resolveSome = async (some: SourceSpec[]): Promise<{ secrets: ResolvedSecret[]; warnings: string[] }> => {
          try {
            const resolving = source.resolve(some as SpecOf<typeof kind>[], {
              signal: abort.signal,
              onProgress: report,
              canReuse: ctx.canReuse,
              hasPriorState: ctx.hasPriorState,
              hasPriorStateOf: ctx.hasPriorStateOf,
            });
            // With stand-ins, the deadline ends each source on its own: the others' results are kept.
            return await (standIns ? Promise.race([resolving, overdue]) : resolving);
          } catch (error) {
            if (standIns && isStandInError(error)) {
              // A refusal or a missing service is about one source, not the kind: read them one by one, so only
              // the ones refused or missing lose their values (issue 14, item 1). Rare, so the re-read is cheap.
              if (error.code !== 'SOURCE_FAILED' && some.length > 1) {
                const each = await Promise.all(some.map((spec) => resolveSome([spec])));
                return { secrets: each.flatMap((r) => r.secrets), warnings: each.flatMap((r) => r.warnings) };
              }
              const failure = { kind, specs: some, error };
              failures.push(failure);
              return { secrets: standIns(failure), warnings: [] };
            }
            abort.abort(error);
            throw error;
          }
        };
        try {
          return await resolveSome(specs);
        } finally {
          pending.delete(kind);
        }
      }),
    );
    // With stand-ins every source settles by the deadline on its own (raced above), each into a result.
    const results = await (standIns ? work : Promise.race([work, overdue]));
    const secrets: ResolvedSecret[] = [...results.flatMap((r) => r.secrets), ...(ctx.placeholders ?? [])];
    // From here on, no edge of this process shows these values, whatever error quotes them (redact.ts).
    rememberSecrets(secrets.flatMap((s) => (s.value === undefined ? [] : [s.value])));
    return { secrets, warnings: results.flatMap((r) => r.warnings), failures };
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/**
 * The failures a source's rows can stand in for (the app's plan): it cannot be reached, it refuses us, or what the
 * manifest names is not there. Anything else (a bad name, a bug) still fails the plan.
 */
const STAND_IN_CODES = new Set<ErrorCode>(['SOURCE_FAILED', 'ACCESS_DENIED', 'SOURCE_NOT_FOUND']);

function isStandInError(error: unknown): error is LatchkeyError {
  return error instanceof LatchkeyError && STAND_IN_CODES.has(error.code);
}

/** A whole-operation deadline: when it passes, and the limit it was set from (for the message). */
export interface Deadline {
  at: number;
  limitMs: number;
}

function deadlineIn(limitMs: number): Deadline {
  return { at: Date.now() + limitMs, limitMs };
}

function deadlinePassed(waiting: { kind: SourceKind; step: string | undefined }[], limitMs: number): LatchkeyError {
  const who = waiting.map(({ kind, step }) => (step ? `${kind} (waiting on ${step})` : kind)).join(', ');
  return new LatchkeyError(
    'SOURCE_FAILED',
    `no answer within ${Math.round(limitMs / 100) / 10} s from ${who || 'the sources'}; nothing was written`,
    'Check the network, a VPN or the endpoint, then try again.',
  );
}

/** Resolve, then compare with the target and the sync state. Nothing is written until `apply()`. */
export async function preparePlan(
  manifest: Manifest,
  profileName: string | undefined,
  env: SyncEnvironment,
  options: PlanOptions = {},
): Promise<PreparedSync> {
  const profile = profileOf(manifest, profileName);
  const now = env.now?.() ?? new Date();
  const deadline = deadlineIn(options.deadlineMs ?? DEFAULT_DEADLINE_MS);
  await assertSafeTarget(profile.target, manifest.dir);
  const slots = await fileSlots(manifest, profile);
  // A personal secret not set yet, or behind a locked keychain, does not hide the rest of the plan: it is a row of
  // its own (`needs-input`, `keychain-locked`), and only apply() refuses (issue 12, item 5; issue 14, items 1, 3).
  const { missing, locked } = await unreadablePersonalSecrets(manifest, profile, env.keychain);
  const missingNames = new Set(missing.map((m) => m.name));
  const lockedNames = new Set(locked);
  const placeholders: ResolvedSecret[] = profile.sources.flatMap((spec): ResolvedSecret[] => {
    if (spec.kind !== 'keychain') return [];
    if (lockedNames.has(spec.name)) return [{ spec, sourceKey: spec.name, keychainLocked: true, meta: {} }];
    if (missingNames.has(spec.name)) return [{ spec, sourceKey: spec.name, needsInput: true, meta: {} }];
    return [];
  });
  const resolvable: Profile = {
    ...profile,
    sources: profile.sources.filter(
      (spec) => !(spec.kind === 'keychain' && (missingNames.has(spec.name) || lockedNames.has(spec.name))),
    ),
  };
  // Only readable personal secrets make a keychain a must: a locked one plans untracked, its rows marked.
  // The HMAC key is asked for now, but only a plan with sync state needs it for its reads (to reuse a value): a
  // first plan's requests start without waiting on the keychain (issue 12: start-up), and its answer, or its
  // error, is in before the plan is made of what they read.
  const pendingTracking = driftTracking(env.keychain, resolvable);
  pendingTracking.catch(() => undefined); // awaited below; this only keeps an early failure from being unhandled
  const state = await loadSyncState(env.appDir, profile.target);
  const readsNeedKey = state.entries.size > 0 || (state.files?.size ?? 0) > 0;
  let knownTracking = readsNeedKey ? await pendingTracking : undefined;
  const mac = (name: string, value: string) => (knownTracking?.tracked ? knownTracking.mac(name, value) : noMac());
  const fileMac = (filePath: string, bytes: Uint8Array) =>
    knownTracking?.tracked ? knownTracking.fileMac(filePath, bytes) : noMac();
  // Untracked, the state's HMACs cannot be checked: the plan has no previous entries and reuses nothing. (With no
  // sync state, the state is as empty as that either way.)
  const previousState = knownTracking?.tracked === false ? emptySyncState(profile.target) : state;
  const before = await readTarget(profile.target, profile);
  // git runs while the sources are read rather than after them (nothing is written between), but starts once the
  // first answer is in: spawning it holds the main thread for over 10 ms, which before the first request would
  // delay every read (issue 12: start-up). Sources that count no requests leave it to start after the reads.
  let gitignoreNeeded: Promise<boolean> | undefined;
  const askGit = () => {
    if (gitignoreNeeded) return gitignoreNeeded;
    gitignoreNeeded = gitWouldTrack(profile.target);
    gitignoreNeeded.catch(() => undefined); // awaited below; this only keeps an early failure from being unhandled
    return gitignoreNeeded;
  };
  const onResolveProgress = (progress: SyncProgress) => {
    if ((progress.requests?.answered ?? 0) > 0) void askGit();
    options.onProgress?.(progress);
  };

  const local = before.doc ? documentValues(before.doc) : new Map<string, string>();
  const byOrigin = new Map([...previousState.entries].map(([name, e]) => [e.origin, { name, ...e }]));
  const slotsByOrigin = new Map(slots.map((slot) => [fileOrigin(slot.spec).id, slot]));
  const canReuseFile = (slot: FileSlot, version: string) => {
    const prior = previousState.files?.get(slot.spec.file);
    const bytes = slot.current?.bytes;
    return (
      slot.error === undefined &&
      prior?.origin === fileOrigin(slot.spec).id &&
      prior.version === version &&
      bytes !== undefined &&
      fileMac(slot.spec.file, bytes) === prior.hmac
    );
  };
  const canReuse = (originId: string, version: string) => {
    const slot = slotsByOrigin.get(originId);
    if (slot) return canReuseFile(slot, version);
    const prior = byOrigin.get(originId);
    if (!prior || prior.version !== version) return false;
    const value = local.get(prior.name);
    return value !== undefined && mac(prior.name, value) === prior.hmac;
  };

  const hasPriorState = (originId: string) => byOrigin.has(originId);
  // Any origin of the spec: `chamber:api/dev` itself or one of its keys (originId's shapes).
  const hasPriorStateOf = (spec: SourceSpec) => {
    const whole = `${spec.kind}:${specRef(spec)}`;
    for (const id of byOrigin.keys()) if (id === whole || id.startsWith(`${whole}#`)) return true;
    return false;
  };
  const offlineStandIns = options.offlineRows ? (failure: SourceFailure) => lastKnown(failure, state) : undefined;
  let resolution = await resolveProfile(resolvable, env, {
    canReuse,
    hasPriorState,
    ...(!options.whoChanged && { hasPriorStateOf }),
    placeholders,
    signal: options.signal,
    onProgress: onResolveProgress,
    deadline,
    offlineStandIns,
  }).catch(async (error: unknown) => {
    // A keychain that fails says so first, as when it was read before the sources.
    await pendingTracking;
    throw error;
  });
  const tracking = (knownTracking ??= await pendingTracking);
  if (!reuseIsConsistent(resolution.named, previousState, local)) {
    // A manifest edit renamed a key whose value was skipped: rare, so simply read everything again.
    resolution = await resolveProfile(resolvable, env, {
      canReuse: () => false,
      placeholders,
      signal: options.signal,
      onProgress: options.onProgress,
      deadline,
      offlineStandIns,
    });
  }
  options.onProgress?.({ phase: 'planning', done: 0, total: 1 });

  const takeRemote = new Set(options.takeRemote ?? []);
  const filePlan = computeFilePlan({
    profile,
    files: resolution.files.map((secret) => ({ secret, slot: slotOf(slotsByOrigin, secret) })),
    previous: previousFiles(previousState),
    mac: fileMac,
    takeRemote: new Set([...takeRemote, ...(options.takeRemoteFiles ?? [])]),
    keepLocal: new Set(options.keepLocalFiles ?? []),
    fingerprints: tracking.tracked,
    now,
  });
  const computed = computePlan({
    profile,
    manifestPath: manifest.path,
    named: resolution.named,
    nameErrors: resolution.nameErrors,
    current: before.doc,
    previous: previousEntries(previousState),
    mac,
    takeRemote,
    keepLocal: new Set(options.keepLocal ?? []),
    fingerprint: tracking.tracked ? fingerprintOf(mac) : undefined,
    kept: new Set(options.kept ?? []),
    warnings: [
      ...(tracking.tracked ? resolution.warnings : [...resolution.warnings, tracking.notice]),
      ...filePlan.warnings,
    ],
    gitignoreNeeded: await askGit(),
    now,
    ...(before.mode !== undefined && { fileMode: before.mode }),
  });

  const plan: Plan = {
    ...withFiles(computed.plan, filePlan.files),
    ...(resolution.failures.length > 0 && { offline: offlineSources(resolution.failures) }),
  };
  return {
    plan,
    hazards: computed.hazards,
    apply: () =>
      applyPlan({
        manifest,
        profile,
        env,
        computed: { ...computed, plan },
        files: filePlan.files,
        before,
        state,
        mac,
        fileMac,
        tracked: tracking.tracked,
        now,
        onProgress: options.onProgress,
        missing,
        locked,
        failures: resolution.failures,
      }),
  };
}

/** What a refusal of the values says was not done: exec runs nothing, export prints, inject writes, reveal shows. */
export type NothingWas = 'run' | 'printed' | 'written' | 'revealed';

/** Just the values of a profile, for `exec` and `export`: no target file and no state are involved. */
export async function resolveValues(
  manifest: Manifest,
  profileName: string | undefined,
  env: SyncEnvironment,
  options: Omit<PlanOptions, 'takeRemote'> & {
    /** What the caller would have done with the values, for the refusal's "Nothing was …" (default: run). */
    nothingWas?: NothingWas;
  } = {},
) {
  const profile = profileOf(manifest, profileName);
  const { deadlineMs, nothingWas = 'run', ...rest } = options;
  const resolution = await resolveProfile(profile, env, {
    // Nothing is reused for a process's environment: every service is read as a first sync reads it.
    canReuse: () => false,
    hasPriorStateOf: () => false,
    ...rest,
    deadline: deadlineIn(deadlineMs ?? DEFAULT_DEADLINE_MS),
  });
  if (resolution.nameErrors.length > 0) {
    throw new LatchkeyError(
      'PLAN_HAS_ERRORS',
      describeErrors(resolution.nameErrors.map((e) => ({ name: e.name, reason: e.reason }))),
    );
  }
  const values = new Map<string, string>();
  for (const named of resolution.named) values.set(named.name, named.secret.value ?? '');
  // No environment variable can carry a NUL: spawn would refuse it with a message quoting the value. Refuse it
  // here by name, as sync does (issue 10, item 6).
  const withNul = [...values].filter(([, value]) => value.includes('\0')).map(([name]) => name);
  if (withNul.length > 0) {
    throw new LatchkeyError(
      'PLAN_HAS_ERRORS',
      describeErrors(
        withNul.map((name) => ({
          name,
          reason: 'the value holds a NUL character, which no environment variable or .env reader can carry',
        })),
      ),
      `Nothing was ${nothingWas}. Fix the value at its source.`,
    );
  }
  return { profile, values, named: resolution.named, files: resolution.files, warnings: resolution.warnings };
}

interface ApplyInput {
  manifest: Manifest;
  profile: Profile;
  env: SyncEnvironment;
  computed: ComputedPlan;
  /** File secrets, written with the target: all of them and the target, or none. */
  files: PlannedFile[];
  before: TargetSnapshot;
  state: SyncState;
  mac: (name: string, value: string) => string;
  fileMac: (filePath: string, bytes: Uint8Array) => string;
  /** False without a keychain (drift-tracking.ts): no fingerprint of any value is kept. */
  tracked: boolean;
  now: Date;
  onProgress?: ((p: SyncProgress) => void) | undefined;
  /** Personal secrets the plan shows as `needs-input`: apply() refuses with NEEDS_INPUT naming them. */
  missing: { name: string; account: string }[];
  /** Personal secrets behind a locked keychain (`keychain-locked`): apply() refuses with KEYCHAIN_LOCKED. */
  locked: string[];
  /** Sources that could not be read (`source-offline`): apply() refuses with the first one's error. */
  failures: SourceFailure[];
}

/**
 * Writes the plan so that nothing lands in the target without a record of it (issue 10, item 9). Everything that
 * can fail is done first: the target's and every file secret's new bytes and the new state sit in synced temp
 * files, there is room for the audit events, and an "intent" event is in the log. Only then the target and the
 * files are renamed into place, the state after them, and the outcome recorded. The target and the files are one
 * change (issue 13): when any of their renames fails, those already done are put back. A failure after the
 * renames still leaves the intent in the log.
 */
async function applyPlan(input: ApplyInput): Promise<SyncResult> {
  const { manifest, profile, env, computed, before } = input;
  const { plan } = computed;
  const changedKeys = plan.entries
    .filter((e) => computed.set.has(e.name) || computed.remove.has(e.name))
    .map((e) => e.name);
  const changedFiles = input.files.filter((f) => f.write !== undefined);
  const event = (outcome: 'intent' | 'ok' | 'error', detail: string): AuditInput => ({
    action: 'sync',
    profile: profile.name,
    target: profile.target,
    // A file secret is named by its path, marked so that no env name can be mistaken for it.
    keys: [...changedKeys, ...changedFiles.map((f) => `file:${f.item.path}`)],
    versions: Object.fromEntries([
      ...changedKeys.flatMap((name) => {
        const version = computed.managed.get(name)?.named.secret.meta.version;
        return version === undefined ? [] : [[name, version]];
      }),
      ...changedFiles.flatMap((f) =>
        f.item.meta?.version === undefined ? [] : [[`file:${f.item.path}`, f.item.meta.version]],
      ),
    ]),
    outcome,
    detail,
  });
  const audit = async (outcome: 'intent' | 'ok' | 'error', detail: string) => {
    // The trail (its schemas) loads when a sync writes, not with every plan (issue 12: start-up).
    const { appendAuditEvent } = await import('./audit');
    await appendAuditEvent(env.appDir, event(outcome, detail));
  };

  let target: PreparedWrite | undefined;
  let state: PreparedWrite | undefined;
  const fileWrites: PreparedWrite[] = [];
  const committed: PreparedWrite[] = [];
  try {
    // A plan with a source offline is partial: writing it would drop that source's keys from the file.
    const offline = input.failures[0];
    if (offline) throw offline.error;
    if (input.locked.length > 0) {
      throw keychainLocked(`cannot read ${input.locked.join(', ')}; nothing was written`);
    }
    if (input.missing.length > 0) throw new NeedsInputError(input.missing);
    const errors = [
      ...plan.entries.filter((e) => e.status === 'error'),
      ...plan.files.filter((f) => f.status === 'error').map((f) => ({ name: f.path, reason: f.reason })),
    ];
    if (errors.length > 0) {
      throw new LatchkeyError(
        'PLAN_HAS_ERRORS',
        describeErrors(errors.map((e) => ({ name: e.name, reason: e.reason ?? 'error' }))),
        'Nothing was written. Fix these keys, or remove them from the profile.',
      );
    }
    input.onProgress?.({ phase: 'writing', done: 0, total: 1 });
    await assertSafeTarget(profile.target, manifest.dir);
    const now2 = await readTarget(profile.target, profile);
    if (now2.text !== before.text) {
      throw new LatchkeyError(
        'WRITE_FAILED',
        `${profile.targetRel} changed after the plan was made`,
        'Nothing was written. Plan again.',
      );
    }
    const next = renderDotenv(
      before.doc,
      { set: computed.set, remove: computed.remove, stripBom: computed.fixes.stripBom },
      profile.dialect,
    );
    const wrote = next !== before.text;
    const fixes: string[] = [];
    if (computed.fixes.stripBom) fixes.push(`removed the byte order mark from ${profile.targetRel}`);
    if (wrote) {
      // A target such as `config/.env` may name a folder that does not exist yet; it is created inside the root
      // only, without following a symlink, and the write fails rather than replace an edit made meanwhile.
      target = await prepareAtomicWrite(profile.target, encodeLossless(next), {
        mode: 0o600,
        root: manifest.dir,
        createFolders: true,
        expected: before.bytes ?? null,
        conflictHint: REPLAN_HINT,
      });
    }
    for (const file of changedFiles) {
      await assertSafeTarget(file.slot.abs, manifest.dir);
      // Same rules as the target; `expected` makes the rename fail rather than replace an edit made since the plan.
      fileWrites.push(
        await prepareAtomicWrite(file.slot.abs, file.write!, {
          mode: file.slot.spec.mode ?? DEFAULT_FILE_MODE,
          root: manifest.dir,
          createFolders: true,
          expected: file.slot.current?.bytes ?? null,
          conflictHint: REPLAN_HINT,
        }),
      );
    }
    const nextSyncState = input.tracked ? nextState(input) : withoutRewrittenKeys(input, changedKeys);
    if (nextSyncState) state = await prepareSyncState(env.appDir, nextSyncState);
    const intent = event('intent', 'writing');
    // The intent, the outcome, the head and the anchor: room for twice the event and some.
    await assertRoomFor(env.appDir, 2 * Buffer.byteLength(JSON.stringify(intent)) + 64 * 1024);
    await audit('intent', wrote || changedFiles.length > 0 ? 'writing' : 'nothing to write');

    for (const write of [...(target ? [target] : []), ...fileWrites]) {
      await write.commit();
      committed.push(write);
    }
    committed.length = 0; // all in place: from here on nothing is undone
    if (computed.fixes.mode !== undefined) {
      // A rewrite is 0600 already; an unchanged file is tightened in place, through its held folder.
      if (!wrote) await ensureFileMode(profile.target, 0o600, manifest.dir);
      fixes.push(`made ${profile.targetRel} private: its mode was ${octal(computed.fixes.mode)}, it is 0600 now`);
    }
    for (const file of input.files.filter((f) => f.fixMode && f.write === undefined)) {
      await ensureFileMode(file.slot.abs, file.slot.spec.mode ?? DEFAULT_FILE_MODE, manifest.dir);
      fixes.push(`set ${file.item.path} to mode ${file.item.mode}`);
    }
    await state?.commit();
    await audit('ok', input.tracked ? summarize(plan) : `${summarize(plan)}; drift tracking off (no keychain)`);
    input.onProgress?.({ phase: 'done', done: 1, total: 1 });
    return {
      plan,
      wrote: wrote || changedFiles.length > 0,
      target: profile.target,
      files: changedFiles.map((f) => f.slot.abs),
      fixes,
    };
  } catch (error) {
    const kept = await revertAll(committed);
    const code = error instanceof LatchkeyError ? error.code : 'INTERNAL';
    await audit('error', kept.length > 0 ? `${code}; not undone: ${kept.join(', ')}` : code).catch(() => undefined);
    if (kept.length > 0 && error instanceof LatchkeyError) {
      throw new LatchkeyError(
        error.code,
        `${error.message}; these files were written and could not be put back: ${kept.join(', ')}`,
        error.hint,
      );
    }
    throw error;
  } finally {
    await target?.abort();
    for (const write of fileWrites) await write.abort();
    await state?.abort();
  }
}

/** Undoes committed writes, last first; returns the paths that could not be put back. */
async function revertAll(committed: PreparedWrite[]): Promise<string[]> {
  const kept: string[] = [];
  for (const write of [...committed].reverse()) {
    if (!(await write.revert())) kept.push(write.target);
  }
  return kept;
}

function nextState(input: ApplyInput): SyncState {
  const { state, computed, mac, now, manifest, profile } = input;
  const entries: SyncState['entries'] = new Map();
  for (const [name, { named, value }] of computed.managed) {
    const prior = state.entries.get(name);
    const hmac = mac(name, value);
    const meta = named.secret.meta;
    entries.set(name, {
      origin: named.origin.id,
      ...(meta.version !== undefined && { version: meta.version }),
      ...(meta.chamberVersion !== undefined && { chamberVersion: meta.chamberVersion }),
      ...(meta.modifiedAt !== undefined && { modifiedAt: meta.modifiedAt }),
      syncedAt: prior && prior.hmac === hmac ? prior.syncedAt : now.toISOString(),
      hmac,
    });
  }
  for (const name of computed.keepPrevious) {
    const prior = state.entries.get(name);
    if (prior) entries.set(name, prior);
  }
  const files = nextFileStates(input);
  return {
    ...state,
    version: 1,
    target: profile.target,
    manifest: manifest.path,
    profile: profile.name,
    updatedAt: now.toISOString(),
    entries,
    ...(files.size > 0 ? { files } : { files: undefined }),
  };
}

function nextFileStates(input: ApplyInput): Map<string, SyncFileEntry> {
  const files = new Map<string, SyncFileEntry>();
  for (const file of input.files) {
    const filePath = file.item.path;
    const prior = input.state.files?.get(filePath);
    if (file.managed === undefined) {
      // A conflict kept local: the record of what Latchkey wrote stays, so the edit is still seen as one.
      if (prior) files.set(filePath, prior);
      continue;
    }
    const hmac = input.fileMac(filePath, file.managed);
    const meta = file.item.meta;
    files.set(filePath, {
      origin: file.item.origin.id,
      ...(meta?.version !== undefined && { version: meta.version }),
      ...(meta?.modifiedAt !== undefined && { modifiedAt: meta.modifiedAt }),
      syncedAt: prior && prior.hmac === hmac ? prior.syncedAt : input.now.toISOString(),
      hmac,
      size: file.managed.length,
    });
  }
  return files;
}

/**
 * Untracked, the state is only ever pruned: entries for the keys this sync rewrote would no longer match the file,
 * and a later tracked sync would take them for local edits. No state file is created: undefined when nothing is
 * to be forgotten.
 */
function withoutRewrittenKeys(input: ApplyInput, changedKeys: string[]): SyncState | undefined {
  const rewritten = new Set(changedKeys);
  const kept = new Map([...input.state.entries].filter(([name]) => !rewritten.has(name)));
  const rewrittenFiles = new Set(input.files.filter((f) => f.write !== undefined).map((f) => f.item.path));
  const priorFiles = input.state.files ?? new Map<string, SyncFileEntry>();
  const keptFiles = new Map([...priorFiles].filter(([filePath]) => !rewrittenFiles.has(filePath)));
  if (kept.size === input.state.entries.size && keptFiles.size === priorFiles.size) return undefined;
  return {
    ...input.state,
    entries: kept,
    ...(input.state.files !== undefined && { files: keptFiles }),
    updatedAt: input.now.toISOString(),
  };
}

/**
 * A file secret's two sides as text, for the review's side-by-side reveal: the file on disk and the source's object.
 * Only a path the profile's `s3:` + `file:` sources write, and only small text (fileCompareOf); anything else is
 * refused with why, and no byte of it leaves this function.
 */
export async function fileSecretSides(
  manifest: Manifest,
  profileName: string | undefined,
  env: SyncEnvironment,
  filePath: string,
): Promise<{ local?: string; remote?: string }> {
  const profile = profileOf(manifest, profileName);
  const spec = profile.sources.filter(isFileSpec).find((s) => s.file === filePath);
  if (!spec)
    throw new LatchkeyError(
      'SOURCE_NOT_FOUND',
      `profile ${profile.name} writes no file ${filePath}`,
      'Plan again: the file may have been removed from latchkey.yml.',
    );
  const abs = path.resolve(manifest.dir, spec.file);
  await assertSafeTarget(abs, manifest.dir);
  const [local, resolved] = await Promise.all([readFileSecret(abs), resolveSpecs([spec], env)]);
  const remote = resolved.secrets[0]?.bytes;
  const sides = [local?.bytes, remote].filter((b): b is Uint8Array => b !== undefined);
  const compare = fileCompareOf(sides);
  if (compare !== 'text')
    throw new LatchkeyError(
      'INVALID_INPUT',
      compare === 'binary'
        ? `${filePath} is not text: its contents are not shown`
        : `${filePath} is larger than ${FILE_REVEAL_MAX_BYTES / 1024} KB: its contents are not shown`,
    );
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
  return {
    ...(local !== undefined && { local: text(local.bytes) }),
    ...(remote !== undefined && { remote: text(remote) }),
  };
}

/** The target's values as its strictest reader would see them, for the review's side-by-side reveal. */
export async function targetValues(profile: Profile): Promise<Map<string, string>> {
  const { doc } = await readTarget(profile.target, profile);
  return doc ? documentValues(doc) : new Map<string, string>();
}

interface TargetSnapshot {
  bytes: Buffer | undefined;
  /** The bytes as lossless text (bytes.ts): untouched lines are written back byte for byte. */
  text: string | undefined;
  doc: DotenvDocument | undefined;
  mode?: number;
}

async function readTarget(target: string, profile: Profile): Promise<TargetSnapshot> {
  try {
    const handle = await open(target, 'r');
    try {
      const [bytes, stat] = await Promise.all([handle.readFile(), handle.stat()]);
      const text = decodeLossless(bytes);
      return {
        bytes,
        text,
        doc: parseDotenv(text, profile.dialect),
        ...(process.platform !== 'win32' && { mode: stat.mode & 0o7777 }),
      };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { bytes: undefined, text: undefined, doc: undefined };
    throw new LatchkeyError(
      'WRITE_FAILED',
      `cannot read ${target} (${(error as NodeJS.ErrnoException).code ?? 'unexpected error'})`,
    );
  }
}

function previousEntries(state: SyncState): Map<string, PreviousEntry> {
  return new Map(
    [...state.entries].map(([name, e]) => [
      name,
      {
        origin: e.origin,
        version: e.version,
        hmac: e.hmac,
        chamberVersion: e.chamberVersion,
        modifiedAt: e.modifiedAt,
        syncedAt: e.syncedAt,
      },
    ]),
  );
}

function reuseIsConsistent(named: NamedSecret[], state: SyncState, local: Map<string, string>): boolean {
  return named.every(
    (n) => !n.secret.reused || (state.entries.get(n.name)?.origin === n.origin.id && local.has(n.name)),
  );
}

function describeErrors(errors: { name: string; reason: string }[]): string {
  return `${errors.length} key${errors.length === 1 ? '' : 's'} cannot be written:\n${errors.map((e) => `  ${e.name}: ${e.reason}`).join('\n')}`;
}

function summarize(plan: Plan): string {
  return Object.entries(plan.counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
}

function previousFiles(state: SyncState): Map<string, PreviousFile> {
  return new Map(
    [...(state.files ?? new Map<string, SyncFileEntry>())].map(([filePath, e]) => [
      filePath,
      { origin: e.origin, version: e.version, hmac: e.hmac, modifiedAt: e.modifiedAt, syncedAt: e.syncedAt },
    ]),
  );
}

/** The plan with its file items, counted with the keys. */
function withFiles(plan: Plan, files: PlannedFile[]): Plan {
  const counts = { ...plan.counts };
  for (const file of files) counts[file.item.status] += 1;
  const writes = files.some((f) => f.write !== undefined || f.fixMode);
  return { ...plan, files: files.map((f) => f.item), counts, writes: plan.writes || writes };
}

function slotOf(slots: ReadonlyMap<string, FileSlot>, secret: ResolvedSecret): FileSlot {
  const slot = slots.get(originId(secret.spec, secret.sourceKey));
  if (!slot) throw new LatchkeyError('INTERNAL', `no file slot for ${secret.sourceKey}`);
  return slot;
}

function isFileSpec(spec: SourceSpec): spec is S3Spec & { file: string } {
  return spec.kind === 's3' && spec.file !== undefined;
}

/**
 * Where each file secret of the profile goes, and what is there now. The same rules as the target (inside the
 * project, no symlink anywhere, no refused location); a file that is the target, the manifest or another source's
 * file is an error of its own in the plan.
 */
async function fileSlots(manifest: Manifest, profile: Profile): Promise<FileSlot[]> {
  const specs = profile.sources.filter(isFileSpec);
  const claimed = new Map<string, string>();
  const slots: FileSlot[] = [];
  for (const spec of specs) {
    const abs = path.resolve(manifest.dir, spec.file);
    await assertSafeTarget(abs, manifest.dir);
    let error: string | undefined;
    if (abs === path.resolve(profile.target)) error = `it is the profile's target ${profile.targetRel}`;
    else if (abs === path.resolve(manifest.path)) error = 'it is latchkey.yml itself';
    else if (claimed.has(abs)) error = `${claimed.get(abs)} is written there too`;
    claimed.set(abs, spec.url);
    slots.push({ spec, abs, current: await readFileSecret(abs), ...(error !== undefined && { error }) });
  }
  return slots;
}

/** A file secret's current bytes and mode, read without following a symlink; undefined when there is none. */
async function readFileSecret(abs: string): Promise<FileSlot['current']> {
  let handle;
  try {
    handle = await open(abs, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new LatchkeyError('WRITE_FAILED', `cannot read ${abs} (${code ?? 'unexpected error'})`);
  }
  try {
    const [bytes, stat] = await Promise.all([handle.readFile(), handle.stat()]);
    if (!stat.isFile()) throw new LatchkeyError('TARGET_UNSAFE', `Refusing to write ${abs}: it is not a regular file`);
    return { bytes, mode: process.platform === 'win32' ? undefined : stat.mode & 0o7777 };
  } finally {
    await handle.close();
  }
}

/**
 * Stand-ins for the keys of a source that could not be read: the ones the last sync wrote from it, with the
 * version and time it recorded (never a value, nor its HMAC), so the table keeps them, marked `source-offline`.
 */
function lastKnown(failure: SourceFailure, state: SyncState): ResolvedSecret[] {
  const reason = `${failure.kind} ${unreadableWords(failure.error.code)}: ${failure.error.message}`;
  const standIns: ResolvedSecret[] = [];
  for (const spec of failure.specs) {
    if (isFileSpec(spec)) continue; // a file secret's bytes stay as they are; the failure says it
    const ref = specRef(spec);
    for (const entry of state.entries.values()) {
      const sourceKey =
        entry.origin === `${spec.kind}:${ref}` ? ref : sourceKeyUnder(entry.origin, `${spec.kind}:${ref}#`);
      if (sourceKey === undefined) continue;
      standIns.push({
        spec,
        sourceKey,
        offline: reason,
        meta: {
          ...(entry.version !== undefined && { version: entry.version }),
          ...(entry.modifiedAt !== undefined && { modifiedAt: entry.modifiedAt }),
        },
      });
    }
  }
  return standIns;
}

function sourceKeyUnder(origin: string, prefix: string): string | undefined {
  return origin.startsWith(prefix) ? origin.slice(prefix.length) : undefined;
}

/** Why a source could not be read, as the row says it: offline, refused, or not there. */
function unreadableWords(code: ErrorCode): string {
  if (code === 'ACCESS_DENIED') return 'refused access';
  if (code === 'SOURCE_NOT_FOUND') return 'was not found';
  return 'is offline';
}

/**
 * The plan's list of sources that could not be read, for people: kind, what the manifest names, why, and what the
 * app can do about it (the error's code and in-app action; its hint only when it is not a CLI command's).
 */
function offlineSources(failures: SourceFailure[]): NonNullable<Plan['offline']> {
  return failures.map((f) => ({
    kind: f.kind,
    refs: f.specs.map(specRef),
    reason: f.error.message,
    code: f.error.code,
    ...(f.error.action !== undefined && { action: f.error.action }),
  }));
}
