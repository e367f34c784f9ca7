import type { ReadinessItem } from '../../contract/ipc';
import { isLatchkeyError } from './errors';
import type { ManifestError } from './manifest';
import type { AwsSettings, Manifest, Profile } from './types';

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
}

const AWS_KINDS = new Set(['chamber', 'ssm', 's3']);

export async function buildReadiness(manifest: Manifest, profile: Profile, probes: ReadinessProbes): Promise<ReadinessItem[]> {
  const manifestItem: ReadinessItem = {
    id: 'manifest',
    label: 'Manifest is valid',
    state: 'ok',
    detail: `${Object.keys(manifest.profiles).length} profile${Object.keys(manifest.profiles).length === 1 ? '' : 's'} in ${manifest.path}`,
  };
  const [aws, personal, gitignore] = await Promise.all([
    Promise.all(awsTargets(profile).map((target, _i, all) => awsItem(target, all.length > 1, probes))),
    Promise.all(personalSecretNames(profile).map((name) => personalItem(name, probes))),
    gitignoreItem(profile, probes),
  ]);
  const items: ReadinessItem[] = [manifestItem, ...aws, ...personal];
  if (profile.sources.some((s) => s.kind === 'op')) {
    items.push({ id: 'op', label: '1Password connected', state: 'unavailable', detail: 'arrives with 1Password support' });
  }
  items.push({ id: 'aws-sessions', label: 'AWS session', state: 'unavailable', detail: 'arrives with AWS sessions' });
  items.push(gitignore);
  return items;
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
