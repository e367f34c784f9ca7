import { LatchkeyError } from './errors';
import type { AwsSettings } from './types';

/*
 * Which AWS credentials a source uses, decided the way pipelines hand them out. The manifest's `aws.profile` is a
 * default for developers' machines, not a demand: a CI runner has keys, a web identity token or container
 * credentials in its environment and no such profile. In order:
 *   1. `--aws-profile` / LATCHKEY_AWS_PROFILE;
 *   2. an explicit AWS_PROFILE (set but empty means "no profile");
 *   3. the environment's credentials (keys, web identity, container) when the manifest's profile is not on this
 *      machine (or the manifest names none);
 *   4. the manifest's profile.
 * A profile named by 1, 2 or 4 that is not in the AWS files, with nothing else to fall back on, is an error that
 * names the profile and the files searched. Pure: the caller says which profiles exist.
 */

export type CredentialChoice =
  | { kind: 'profile'; profile: string; from: 'LATCHKEY_AWS_PROFILE' | 'AWS_PROFILE' | 'manifest' }
  | EnvironmentChoice
  /** Nothing chosen: the SDK's own chain (its `default` profile, then instance metadata). */
  | { kind: 'sdk-default'; why: 'AWS_PROFILE is empty' | 'no profile named' };

/** Credentials the environment holds; `absentProfile` is the manifest's profile they stand in for. */
type EnvironmentChoice = ({ kind: 'env-keys' } | { kind: 'web-identity'; roleArn: string } | { kind: 'container' }) & {
  absentProfile?: string;
};

interface RoleToAssume {
  roleArn: string;
  externalId?: string;
  sessionName: string;
}

export interface CredentialPlan {
  base: CredentialChoice;
  /** `aws.roleArn`: assumed on top of the base credentials. */
  role?: RoleToAssume;
}

export interface CredentialInputs {
  aws: AwsSettings;
  env: NodeJS.ProcessEnv;
  profileExists: (name: string) => boolean;
  /** The AWS files looked in, for the error message. */
  filesSearched: string[];
}

const DEFAULT_SESSION_NAME = 'latchkey';

const trimmed = (value: string | undefined) => value?.trim() || undefined;

/** The credentials the environment itself holds, in the order the SDK's own chain would take them. */
function environmentCredentials(env: NodeJS.ProcessEnv): EnvironmentChoice | undefined {
  if (trimmed(env.AWS_ACCESS_KEY_ID) && trimmed(env.AWS_SECRET_ACCESS_KEY)) return { kind: 'env-keys' };
  const roleArn = trimmed(env.AWS_ROLE_ARN);
  if (roleArn && trimmed(env.AWS_WEB_IDENTITY_TOKEN_FILE)) return { kind: 'web-identity', roleArn };
  if (trimmed(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) || trimmed(env.AWS_CONTAINER_CREDENTIALS_FULL_URI)) {
    return { kind: 'container' };
  }
  return undefined;
}

export function chooseCredentials(inputs: CredentialInputs): CredentialPlan {
  const role = inputs.aws.roleArn
    ? {
        roleArn: inputs.aws.roleArn,
        ...(inputs.aws.externalId !== undefined && { externalId: inputs.aws.externalId }),
        sessionName: inputs.aws.sessionName ?? DEFAULT_SESSION_NAME,
      }
    : undefined;
  return { base: chooseBase(inputs), ...(role && { role }) };
}

function chooseBase({ aws, env, profileExists, filesSearched }: CredentialInputs): CredentialChoice {
  const named = (profile: string, from: 'LATCHKEY_AWS_PROFILE' | 'AWS_PROFILE' | 'manifest'): CredentialChoice => {
    if (!profileExists(profile)) throw unknownProfile(profile, from, filesSearched);
    return { kind: 'profile', profile, from };
  };
  const override = trimmed(env.LATCHKEY_AWS_PROFILE);
  if (override) return named(override, 'LATCHKEY_AWS_PROFILE');
  if (env.AWS_PROFILE !== undefined) {
    const explicit = trimmed(env.AWS_PROFILE);
    if (explicit) return named(explicit, 'AWS_PROFILE');
    return environmentCredentials(env) ?? { kind: 'sdk-default', why: 'AWS_PROFILE is empty' };
  }
  const manifestProfile = trimmed(aws.profile);
  if (manifestProfile && profileExists(manifestProfile))
    return { kind: 'profile', profile: manifestProfile, from: 'manifest' };
  const fromEnv = environmentCredentials(env);
  if (fromEnv) return manifestProfile ? { ...fromEnv, absentProfile: manifestProfile } : fromEnv;
  if (manifestProfile) throw unknownProfile(manifestProfile, 'manifest', filesSearched);
  return { kind: 'sdk-default', why: 'no profile named' };
}

function unknownProfile(profile: string, from: string, files: string[]): LatchkeyError {
  const by =
    from === 'manifest' ? "the manifest's aws.profile" : from === 'AWS_PROFILE' ? 'AWS_PROFILE' : '--aws-profile';
  return new LatchkeyError(
    'SOURCE_FAILED',
    `AWS profile "${profile}" (from ${by}) is not in ${files.join(' or ')}, and no other AWS credentials are set`,
    from === 'manifest'
      ? 'Add the profile to your AWS files, pass --aws-profile, or (in CI) provide credentials in the environment: ' +
          'AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE, or container credentials.'
      : 'Check the name, or add the profile to your AWS files.',
  );
}

/** For people: which credentials, and why those. */
export function describeCredentials(plan: CredentialPlan): string {
  const base = plan.base;
  let text: string;
  switch (base.kind) {
    case 'profile':
      text =
        base.from === 'manifest'
          ? `profile ${base.profile} (the manifest's aws.profile)`
          : base.from === 'AWS_PROFILE'
            ? `profile ${base.profile} (AWS_PROFILE)`
            : `profile ${base.profile} (--aws-profile / LATCHKEY_AWS_PROFILE)`;
      break;
    case 'env-keys':
      text = 'access keys from the environment (AWS_ACCESS_KEY_ID)';
      break;
    case 'web-identity':
      text = `web identity token (AWS_WEB_IDENTITY_TOKEN_FILE) for ${base.roleArn}`;
      break;
    case 'container':
      text = 'container credentials (AWS_CONTAINER_CREDENTIALS_*)';
      break;
    case 'sdk-default':
      text = `the AWS SDK's default chain (${base.why})`;
      break;
  }
  if ('absentProfile' in base && base.absentProfile) {
    text += `, as the manifest's profile ${base.absentProfile} is not on this machine`;
  }
  return plan.role ? `${text}, then role ${plan.role.roleArn} (session ${plan.role.sessionName})` : text;
}
