import type { AwsProfileView } from '../../../contract/ipc';
import { readAwsFile } from '../../aws/files';
import { readIniSections } from '../../aws/ini';
import { describeAccessKeys, type AccessKeyInfo } from '../../aws/keys';
import { describeProfile, isFresh, listAwsProfiles, readAwsProfiles, type AwsProfileInfo } from '../../aws/profiles';
import { mergedProfile } from '../../aws/sessions';
import { readCachedSession, readVaultKeys, type AwsSession } from '../../aws/vault';
import { LatchkeyError } from '../../core/errors';
import type { Keychain } from '../../core/keychain';
import type { AwsSessionStatus } from '../../core/readiness';
import { awsEnvOf, nowOf, type AppDeps } from '../deps';

export type { AccessKeyInfo };

/** A profile as `latchkey aws list` prints it: with its access keys when asked, or why they could not be read. */
export type AwsProfileListing = AwsProfileInfo & { keys?: AccessKeyInfo[]; keysError?: string };

/** Every AWS profile with its kind and session; with `withKeys`, each IAM user profile's keys, age and last use. */
export async function listProfiles(
  deps: AppDeps,
  opts: { withKeys?: boolean | undefined; maxAgeDays?: number | undefined } = {},
): Promise<AwsProfileListing[]> {
  const keychain = deps.runtime.keychain;
  const profiles: AwsProfileListing[] = await listAwsProfiles(keychain, { env: awsEnvOf(deps) });
  if (!opts.withKeys) return profiles;
  for (const p of profiles) {
    if (p.kind !== 'keychain-keys' && p.kind !== 'file-keys') continue;
    try {
      p.keys = await describeAccessKeys(p.name, {
        keychain,
        env: awsEnvOf(deps),
        ...(p.region && { region: p.region }),
        ...(opts.maxAgeDays && { maxAgeDays: opts.maxAgeDays }),
      });
    } catch (error) {
      p.keysError = error instanceof LatchkeyError ? error.message : 'unexpected error';
    }
  }
  return profiles;
}

/**
 * The AWS screen's list: every profile, its session (the one in its credentials section, or the one the keychain
 * holds), and whether `[default]` mirrors it. No credential: profiles, expiries and flags only.
 */
export async function listProfileViews(deps: AppDeps): Promise<AwsProfileView[]> {
  const keychain = deps.runtime.keychain;
  const profiles = await listAwsProfiles(keychain, { env: awsEnvOf(deps) });
  const credentials = readIniSections(await readAwsFile('credentials', awsEnvOf(deps)));
  const defaultKeyId = credentials.get('default')?.aws_access_key_id;
  const now = nowOf(deps);
  const views: AwsProfileView[] = [];
  for (const p of profiles)
    views.push(
      await profileView(p, keychain, { defaultKeyId, fileKeyId: credentials.get(p.name)?.aws_access_key_id }, now),
    );
  return views;
}

/** Where this machine stands with one profile's session, for the profile checklist. */
export async function sessionStatus(deps: AppDeps, profile: string): Promise<AwsSessionStatus> {
  const files = await readAwsProfiles(awsEnvOf(deps));
  const data = mergedProfile(files, profile);
  if (!data) return { exists: false };
  const info = await describeProfile(profile, files, deps.runtime.keychain, nowOf(deps));
  const source = data.source_profile ? mergedProfile(files, data.source_profile) : undefined;
  const session = await sessionOf(info, deps.runtime.keychain, nowOf(deps));
  return {
    exists: true,
    kind: info.kind,
    mfa: Boolean(data.mfa_serial ?? source?.mfa_serial),
    ...(session.active && session.expiresAt && { activeUntil: session.expiresAt }),
  };
}

/** A role_arn profile: the AWS CLI and SDKs assume its role themselves, ignoring keys in its credentials section. */
export async function isRoleProfile(deps: AppDeps, profile: string): Promise<boolean> {
  const files = await readAwsProfiles(awsEnvOf(deps));
  return Boolean(files.config.get(profile)?.role_arn ?? files.credentials.get(profile)?.role_arn);
}

async function profileView(
  p: AwsProfileInfo,
  keychain: Keychain,
  ids: { defaultKeyId: string | undefined; fileKeyId: string | undefined },
  now: Date,
): Promise<AwsProfileView> {
  const cached = await quietly(readCachedSession(keychain, p.name));
  const session = await sessionOf(p, keychain, now, cached);
  return {
    name: p.name,
    kind: p.kind,
    ...(p.region && { region: p.region }),
    ...(p.mfaSerial && { mfaSerial: p.mfaSerial }),
    ...(p.roleArn && { roleArn: p.roleArn }),
    ...(p.sourceProfile && { sourceProfile: p.sourceProfile }),
    latchkeyProcess: p.latchkeyProcess ?? false,
    isDefault:
      p.name === 'default' ||
      (ids.defaultKeyId !== undefined &&
        (await keyIdsOf(p.name, keychain, cached, ids.fileKeyId)).includes(ids.defaultKeyId)),
    session,
  };
}

/**
 * A profile's session as the view shows it: the managed one in its credentials section, or, for a profile whose
 * session lives only in the keychain (credential-process mode, or one made the default), the cached one.
 */
async function sessionOf(
  p: AwsProfileInfo,
  keychain: Keychain,
  now: Date,
  cached?: AwsSession,
): Promise<AwsProfileView['session']> {
  if (p.session.active)
    return { active: true, managed: true, ...(p.session.expiration && { expiresAt: p.session.expiration }) };
  const held = cached ?? (await quietly(readCachedSession(keychain, p.name)));
  if (held && isFresh(held.expiration, now)) return { active: true, managed: true, expiresAt: held.expiration };
  return {
    active: false,
    managed: p.session.managed,
    ...(p.session.expiration && { expiresAt: p.session.expiration }),
  };
}

/**
 * The access key ids this profile signs with: its session's and its long-lived keys'. `[default]` mirrors a
 * profile when it holds one of them, whichever way it got there (Latchkey's "use as default" or a hand copy).
 */
async function keyIdsOf(
  profile: string,
  keychain: Keychain,
  cached: AwsSession | undefined,
  fileKeyId: string | undefined,
): Promise<string[]> {
  const vault = await quietly(readVaultKeys(keychain, profile));
  const ids = [cached?.accessKeyId, vault?.accessKeyId, fileKeyId];
  return ids.filter((id): id is string => Boolean(id));
}

/** A keychain entry in another format is the CLI's problem to report; the list still shows the profile. */
async function quietly<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch {
    return undefined;
  }
}
