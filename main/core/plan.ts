import type { ChangeContext, ChangeSide, KeyStatus, Plan, PlanEntry } from '../../contract/plan';
import { FINGERPRINT_HEX, KEY_STATUSES } from '../../contract/plan';
import type { DotenvDocument } from './dotenv';
import { documentValues, readerHazards, spellEntry, type ReaderHazard } from './dotenv';
import type { NameError, NamedSecret } from './names';
import { isRotated, rotationStatus } from './rotation';
import type { Profile } from './types';

/** What the sync state remembers of one key we wrote (no value). */
export interface PreviousEntry {
  origin: string;
  /** Undefined for a source without versions, as the sync state records it. */
  version?: string | undefined;
  hmac: string;
  chamberVersion?: number | undefined;
  /** When the source last changed the value we wrote, and when we wrote it. */
  modifiedAt?: string | undefined;
  syncedAt?: string | undefined;
}

/** Everything `computePlan` needs; it does no I/O, so every status rule is unit-testable. */
export interface PlanInput {
  profile: Profile;
  manifestPath: string;
  named: NamedSecret[];
  nameErrors: NameError[];
  /** The target as it is now; undefined when the file does not exist. */
  current: DotenvDocument | undefined;
  /** By env name. */
  previous: ReadonlyMap<string, PreviousEntry>;
  /** HMAC of a value bound to its name, with the install's key. */
  mac: (name: string, value: string) => string;
  /** Conflicting keys for which the user chose the remote value. */
  takeRemote: ReadonlySet<string>;
  /**
   * Adds, changes and removals the user unticked: the file keeps what it has for them (no line added, the local
   * value kept, the line kept), and the state keeps its record, so the next plan offers them again. The same
   * `keep-local` as a conflict's default: for a conflict it changes nothing.
   */
  keepLocal?: ReadonlySet<string>;
  /**
   * The short keyed fingerprint of a value (fingerprintOf(mac)); absent when the sync is untracked, as no
   * fingerprint of any value exists without the drift key. Then the plan carries no change context.
   */
  fingerprint?: ((name: string, value: string) => string) | undefined;
  /** Keys the user keeps as their own (`latchkey.local.yml`): never a conflict, never written, never removed. */
  kept?: ReadonlySet<string>;
  warnings: string[];
  gitignoreNeeded: boolean;
  now: Date;
  /** Permission bits of the target as it is now; undefined when it does not exist (or on Windows). */
  fileMode?: number;
}

/** What a sync changes about the file beyond its keys, so that its readers all see what it holds. */
interface FileFixes {
  /** Drop the byte order mark (issue 10, item 10). */
  stripBom: boolean;
  /** The target's current mode, when it is not 0600 and will be made so (issue 10, item 14). */
  mode?: number;
}

/** The plan plus what writing it means. The values stay here, in the main process; only `plan` leaves it. */
export interface ComputedPlan {
  plan: Plan;
  /** Keys to write with their values, in the order new keys are appended. */
  set: Map<string, string>;
  remove: Set<string>;
  /** The value each managed key will hold after the write, for the new sync state. */
  managed: Map<string, { named: NamedSecret; value: string }>;
  /** Keys whose previous state entry must be kept as is (a conflict resolved in favour of the local edit). */
  keepPrevious: Set<string>;
  fixes: FileFixes;
  /** What the strictest reader would make of the file as it is (they are in the plan's warnings too). */
  hazards: ReaderHazard[];
}

export function computePlan(input: PlanInput): ComputedPlan {
  const { profile, current, previous, mac } = input;
  const kept = input.kept ?? new Set<string>();
  const keepLocal = input.keepLocal ?? new Set<string>();
  const contextOf = (name: string, localValue: string | undefined, remote: string | undefined) =>
    changeContext(name, localValue, remote, previous.get(name), input.fingerprint);
  const local = current ? documentValues(current) : new Map<string, string>();
  const entries: PlanEntry[] = [];
  const set = new Map<string, string>();
  const remove = new Set<string>();
  const managed = new Map<string, { named: NamedSecret; value: string }>();
  const keepPrevious = new Set<string>();
  const produced = new Set<string>();

  for (const error of input.nameErrors) {
    produced.add(error.name);
    entries.push(entry({ name: error.name, status: 'error', origin: error.origin, reason: error.reason }));
  }

  for (const named of input.named) {
    const { name, secret } = named;
    if (produced.has(name)) continue; // a collision error already covers this name
    produced.add(name);
    const base = {
      name,
      origin: named.origin,
      overrides: named.overrides,
      collision: named.collision,
      meta: secret.meta,
      ...(isRotated(secret.spec) && {
        rotation: rotationStatus(secret.meta.modifiedAt, secret.spec.rotation ?? profile.rotation, input.now),
      }),
    };
    const localValue = local.get(name);

    if (kept.has(name)) {
      entries.push(entry({ ...base, status: 'local-override', reason: KEPT_REASON }));
      continue;
    }
    if (secret.offline !== undefined) {
      entries.push(entry({ ...base, status: 'source-offline', reason: secret.offline }));
      continue;
    }
    if (secret.keychainLocked) {
      entries.push(entry({ ...base, status: 'keychain-locked', reason: 'the OS keychain is locked: unlock it' }));
      continue;
    }
    if (secret.needsInput) {
      entries.push(entry({ ...base, status: 'needs-input', reason: 'personal secret not set in the keychain yet' }));
      continue;
    }
    if (secret.reused) {
      // The source skipped the read because the version and the file's HMAC both matched: the file is the value.
      if (localValue === undefined) throw new Error(`internal: ${name} was reused but is not in the target`);
      managed.set(name, { named, value: localValue });
      entries.push(entry({ ...base, status: 'unchanged', reused: true }));
      continue;
    }
    const remote = secret.value ?? '';
    const spelling = spellEntry(name, remote, profile.dialect);
    if (!spelling.ok) {
      entries.push(entry({ ...base, status: 'error', reason: `${spelling.reason} (dialect ${profile.dialect})` }));
      continue;
    }
    const prior = previous.get(name);
    const verdict = classify(localValue, remote, prior ? prior.hmac : undefined, (v) => mac(name, v));
    if (verdict.status === 'conflict') {
      const takeRemote = input.takeRemote.has(name);
      entries.push(
        entry({
          ...base,
          status: 'conflict',
          reason: verdict.reason,
          remoteChanged: verdict.remoteChanged,
          resolution: takeRemote ? 'take-remote' : 'keep-local',
          ...contextOf(name, localValue, remote),
        }),
      );
      if (takeRemote) {
        set.set(name, remote);
        managed.set(name, { named, value: remote });
      } else if (prior) {
        keepPrevious.add(name);
      }
      continue;
    }
    if (verdict.status === 'unchanged') {
      managed.set(name, { named, value: remote });
      entries.push(entry({ ...base, status: verdict.status }));
      continue;
    }
    const context = contextOf(name, localValue, remote);
    if (keepLocal.has(name)) {
      // Unticked: the file keeps its line (or lacks it); the record of what we wrote, if any, stays as it was.
      if (prior) keepPrevious.add(name);
      entries.push(entry({ ...base, status: verdict.status, resolution: 'keep-local', ...context }));
      continue;
    }
    set.set(name, remote);
    managed.set(name, { named, value: remote });
    entries.push(entry({ ...base, status: verdict.status, ...context }));
  }

  for (const [name, prior] of previous) {
    if (produced.has(name)) continue;
    const localValue = local.get(name);
    if (localValue === undefined) continue; // already gone from the file: only the state forgets it
    if (kept.has(name)) {
      entries.push(entry({ name, status: 'local-override', reason: KEPT_REASON }));
    } else if (mac(name, localValue) === prior.hmac) {
      const untick = keepLocal.has(name);
      if (untick) keepPrevious.add(name);
      else remove.add(name);
      entries.push(
        entry({
          name,
          status: 'remove',
          reason: `no longer produced by the profile (was ${prior.origin})`,
          ...(untick && { resolution: 'keep-local' as const }),
          ...contextOf(name, localValue, undefined),
        }),
      );
    } else {
      entries.push(
        entry({ name, status: 'local-only', reason: `no longer produced by the profile, but edited locally, so kept` }),
      );
    }
    produced.add(name);
  }

  for (const name of local.keys()) {
    if (produced.has(name)) continue;
    entries.push(
      kept.has(name)
        ? entry({ name, status: 'local-override', reason: KEPT_REASON })
        : entry({ name, status: 'local-only' }),
    );
  }

  const counts = Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])) as Record<KeyStatus, number>;
  for (const e of entries) counts[e.status] += 1;

  const hazards = readerHazards(current, profile.dialect);
  const fixes: FileFixes = {
    stripBom: hazards.some((h) => h.kind === 'bom'),
    ...(input.fileMode !== undefined && (input.fileMode & 0o777) !== 0o600 && { mode: input.fileMode & 0o777 }),
  };
  const warnings = [...input.warnings, ...hazards.map((h) => `${profile.targetRel}: ${h.message}`)];
  if (fixes.mode !== undefined) {
    warnings.push(
      `${profile.targetRel} has mode ${octal(fixes.mode)}, so others than you may read it; sync makes it 0600`,
    );
  }

  const plan: Plan = {
    profile: profile.name,
    manifestPath: input.manifestPath,
    target: profile.target,
    dialect: profile.dialect,
    entries,
    files: [],
    counts,
    warnings,
    gitignoreNeeded: input.gitignoreNeeded,
    writes: set.size > 0 || remove.size > 0 || fixes.stripBom || fixes.mode !== undefined,
  };
  return { plan, set, remove, managed, keepPrevious, fixes, hazards };
}

/** A value's short fingerprint: the install's HMAC of it (bound to its name), truncated. */
export function fingerprintOf(mac: (name: string, value: string) => string) {
  return (name: string, value: string) => mac(name, value).slice(0, FINGERPRINT_HEX);
}

/** The sides of a change as lengths and keyed fingerprints; nothing when the sync is untracked. */
function changeContext(
  name: string,
  localValue: string | undefined,
  remote: string | undefined,
  prior: PreviousEntry | undefined,
  fingerprint: ((name: string, value: string) => string) | undefined,
): { context?: ChangeContext } {
  if (!fingerprint) return {};
  const side = (value: string): ChangeSide => ({ length: [...value].length, fingerprint: fingerprint(name, value) });
  const context: ChangeContext = {
    ...(localValue !== undefined && { local: side(localValue) }),
    ...(remote !== undefined && { remote: side(remote) }),
    ...(prior && {
      synced: {
        // The stored HMAC is the same keyed hash of the same name and value: its prefix is that value's fingerprint.
        fingerprint: prior.hmac.slice(0, FINGERPRINT_HEX),
        ...(prior.version !== undefined && { version: prior.version }),
        ...(prior.chamberVersion !== undefined && { chamberVersion: prior.chamberVersion }),
        ...(prior.modifiedAt !== undefined && { modifiedAt: prior.modifiedAt }),
        ...(prior.syncedAt !== undefined && { syncedAt: prior.syncedAt }),
      },
    }),
  };
  return { context };
}

const KEPT_REASON = 'kept as yours in latchkey.local.yml; never written by a sync';

export function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

type Verdict =
  { status: 'add' | 'change' | 'unchanged' } | { status: 'conflict'; reason: string; remoteChanged: boolean };

/**
 * The three-way rule of DESIGN.md §3: compare the remote value, the file, and the HMAC of what we wrote last.
 * A key we never wrote that already holds another value counts as a local edit: nothing the user typed is lost.
 */
function classify(
  localValue: string | undefined,
  remote: string,
  priorMac: string | undefined,
  macOf: (value: string) => string,
): Verdict {
  if (localValue === undefined) return { status: 'add' };
  if (localValue === remote) return { status: 'unchanged' };
  if (priorMac === undefined) {
    return {
      status: 'conflict',
      reason: 'already in the file with a different value, not written by Latchkey',
      remoteChanged: true,
    };
  }
  const localUntouched = macOf(localValue) === priorMac;
  if (localUntouched) return { status: 'change' };
  const remoteChanged = macOf(remote) !== priorMac;
  return {
    status: 'conflict',
    reason: remoteChanged ? 'edited locally, and the source changed too' : 'edited locally since the last sync',
    remoteChanged,
  };
}

function entry(fields: Partial<PlanEntry> & Pick<PlanEntry, 'name' | 'status'>): PlanEntry {
  return { overrides: [], reused: false, ...fields };
}
