import type { AwsProfileKind, ReadinessItem, ReadinessState } from '../../contract/ipc';
import { isLatchkeyError } from './errors';
import { isKeychainLocked } from './keychain';
import type { ManifestError } from './manifest';
import type { AwsSettings, Manifest, OpSpec, Profile } from './types';

/**
 * The profile screen's checklist: can this machine sync this profile, and if not, what is missing. Pure: every
 * question about the world (AWS, the keychain, git) is asked through a probe, so the rules are testable alone.
 */
export interface ReadinessProbes {
  /** Can we get AWS credentials for these settings? `detail` says who we are, or what went wrong. */
  awsAccess(aws: AwsSettings): Promise<{ ok: boolean; detail: string }>;
  /** Does the keychain hold this personal secret for this manifest? */
  personalSecretPresent(name: string): Promise<boolean>;
  /** Would git track the target (it lies in a work tree that does not ignore it)? */
  gitWouldTrack(target: string): Promise<boolean>;
  /**
   * Is 1Password Connect configured and reachable, and does every one of these references resolve? The probe
   * resolves without handing values back; its detail names references and servers, never a value.
   */
  opReadiness(specs: OpSpec[]): Promise<OpReadiness>;
  /** Where this machine stands with a named AWS profile's session; no `aws-sessions` item without this probe. */
  awsSession?(profile: string): Promise<AwsSessionStatus>;
}

/** A named AWS profile as the session item sees it: never a credential, only whether one is there and until when. */
export type AwsSessionStatus =
  | { exists: false }
  | {
      exists: true;
      kind: AwsProfileKind;
      /** The profile (or the source profile its role is assumed from) has mfa_serial. */
      mfa: boolean;
      /** Set while a session Latchkey manages is valid: its expiry (ISO 8601). */
      activeUntil?: string;
    };

export interface OpReadiness {
  state: Extract<ReadinessState, 'ok' | 'missing' | 'error'>;
  detail: string;
  /** `configure-op` when no server or token is set. */
  action?: string;
}

const AWS_KINDS = new Set(['chamber', 'ssm', 's3']);

export async function buildReadiness(
  manifest: Manifest,
  profile: Profile,
  probes: ReadinessProbes,
): Promise<ReadinessItem[]> {
  const manifestItem: ReadinessItem = {
    id: 'manifest',
    label: 'Manifest is valid',
    state: 'ok',
    detail: `${manifest.profiles.size} profile${manifest.profiles.size === 1 ? '' : 's'} in ${manifest.path}`,
  };
  const opSpecs = profile.sources.filter((s): s is OpSpec => s.kind === 'op');
  const sessionProbe = probes.awsSession?.bind(probes);
  const sessionProfiles = [...new Set(awsTargets(profile).flatMap((t) => (t.profile ? [t.profile] : [])))];
  const [aws, sessions, personal, op, gitignore] = await Promise.all([
    Promise.all(awsTargets(profile).map((target, _i, all) => awsItem(target, all.length > 1, probes))),
    Promise.all(
      sessionProbe ? sessionProfiles.map((name, _i, all) => awsSessionItem(name, all.length > 1, sessionProbe)) : [],
    ),
    Promise.all(personalSecretNames(profile).map((name) => personalItem(name, probes))),
    opSpecs.length > 0 ? opItem(opSpecs, probes) : undefined,
    gitignoreItem(profile, probes),
  ]);
  return [manifestItem, ...aws, ...personal, ...(op ? [op] : []), ...sessions, gitignore];
}

/** The checklist of a manifest that does not parse: that one item, with where it breaks. */
export function invalidManifestReadiness(error: ManifestError): ReadinessItem[] {
  const first = error.problems[0];
  const where = first ? `line ${first.line}, column ${first.col}: ${first.message}` : error.message;
  const more = error.problems.length > 1 ? ` (and ${error.problems.length - 1} more)` : '';
  return [{ id: 'manifest', label: 'Manifest is valid', state: 'error', detail: `${where}${more}` }];
}

/** Distinct AWS settings among the profile's AWS-backed sources: usually one. */
function awsTargets(profile: Profile): AwsSettings[] {
  const seen = new Map<string, AwsSettings>();
  for (const spec of profile.sources) {
    if (!AWS_KINDS.has(spec.kind) || !('aws' in spec)) continue;
    const key = JSON.stringify([spec.aws.profile ?? '', spec.aws.region ?? '']);
    if (!seen.has(key)) seen.set(key, spec.aws);
  }
  return [...seen.values()];
}

async function awsItem(aws: AwsSettings, several: boolean, probes: ReadinessProbes): Promise<ReadinessItem> {
  const who = aws.profile ? `profile ${aws.profile}` : 'the default profile';
  const label = `AWS credentials for ${who}${aws.region ? ` (${aws.region})` : ''}`;
  const id = several ? `aws:${aws.profile ?? ''}:${aws.region ?? ''}` : 'aws';
  try {
    const result = await probes.awsAccess(aws);
    return { id, label, state: result.ok ? 'ok' : 'error', detail: result.detail };
  } catch (error) {
    return { id, label, state: 'error', detail: problemText(error) };
  }
}

async function awsSessionItem(
  name: string,
  several: boolean,
  probe: (profile: string) => Promise<AwsSessionStatus>,
): Promise<ReadinessItem> {
  const base = { id: several ? `aws-sessions:${name}` : 'aws-sessions', label: `AWS session for profile ${name}` };
  try {
    const status = await probe(name);
    if (!status.exists)
      return {
        ...base,
        state: 'unavailable',
        detail: `no AWS profile named ${name} in the config or credentials file`,
      };
    if (status.activeUntil)
      return { ...base, state: 'ok', detail: `session active until ${clockTime(status.activeUntil)}` };
    if (status.mfa) return { ...base, state: 'missing', detail: 'needs an MFA session', action: `aws-login:${name}` };
    return { ...base, state: 'ok', detail: SESSIONLESS_DETAIL[status.kind] };
  } catch (error) {
    return { ...base, state: 'error', detail: problemText(error) };
  }
}

/** Profiles that need no session from Latchkey, in words that stay true for their kind. */
const SESSIONLESS_DETAIL: Record<AwsProfileKind, string> = {
  'file-keys': 'long-lived credentials',
  'keychain-keys': 'long-lived credentials',
  unknown: 'long-lived credentials',
  role: 'role assumed by the AWS SDK from its source profile',
  sso: 'AWS SSO sign-in',
  'credential-process': 'credentials from credential_process',
};

/** HH:MM on this machine's clock: the session ends within hours, so the time of day is what people want. */
export function clockTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

function personalSecretNames(profile: Profile): string[] {
  return [...new Set(profile.sources.flatMap((spec) => (spec.kind === 'keychain' ? [spec.name] : [])))];
}

async function personalItem(name: string, probes: ReadinessProbes): Promise<ReadinessItem> {
  const base = { id: `keychain:${name}`, label: `Personal secret ${name}` };
  try {
    return (await probes.personalSecretPresent(name))
      ? { ...base, state: 'ok', detail: 'stored in the OS keychain' }
      : { ...base, state: 'missing', detail: 'not set on this machine yet', action: `set-personal:${name}` };
  } catch (error) {
    // Locked is not "not set": no paste box that would overwrite what may be there, only the way to unlock.
    if (isKeychainLocked(error)) {
      return {
        ...base,
        state: 'error',
        detail: 'the OS keychain is locked: unlock it, then check again',
        action: 'unlock-keychain',
      };
    }
    return { ...base, state: 'error', detail: problemText(error) };
  }
}

async function opItem(specs: OpSpec[], probes: ReadinessProbes): Promise<ReadinessItem> {
  const base = { id: 'op', label: '1Password connected' };
  try {
    const result = await probes.opReadiness(specs);
    return {
      ...base,
      state: result.state,
      detail: result.detail,
      ...(result.action !== undefined && { action: result.action }),
    };
  } catch (error) {
    return { ...base, state: 'error', detail: problemText(error) };
  }
}

async function gitignoreItem(profile: Profile, probes: ReadinessProbes): Promise<ReadinessItem> {
  const base = { id: 'gitignore', label: `${profile.targetRel} is ignored by git` };
  try {
    // The label says what is true now, so a "missing" badge never sits next to a sentence claiming the opposite.
    return (await probes.gitWouldTrack(profile.target))
      ? {
          ...base,
          label: `${profile.targetRel} is not ignored by git`,
          state: 'missing',
          detail: `git would track ${profile.targetRel}: a commit would publish its secrets`,
          action: 'add-gitignore',
        }
      : { ...base, state: 'ok' };
  } catch (error) {
    return { ...base, state: 'error', detail: problemText(error) };
  }
}

/** Probes report in words that name no values; anything unexpected is summarized, not quoted. */
function problemText(error: unknown): string {
  return isLatchkeyError(error) ? error.message : 'could not be checked';
}
