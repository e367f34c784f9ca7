import { addVaultKeys, describeAccessKeys, removeVaultKeys, type AccessKeyInfo } from '../../aws/keys';
import { readAwsProfiles } from '../../aws/profiles';
import { rotateAccessKey, type RotationResult } from '../../aws/rotate';
import { mergedProfile } from '../../aws/sessions';
import { importFromCredentialsFile, type AwsKeys, type ImportResult } from '../../aws/vault';
import { recordAudit } from '../audit-trail';
import { awsEnvOf, type AppDeps } from '../deps';

export type { AwsKeys, ImportResult, RotationResult };

// The aws/ functions audit key.import and key.rotate themselves (the rotation on failure too): nothing twice here.

/** A profile's IAM access keys: age and rotation status, last use; signed with its own long-lived keys. */
export async function accessKeys(deps: AppDeps, profile: string): Promise<AccessKeyInfo[]> {
  const region = (mergedProfile(await readAwsProfiles(awsEnvOf(deps)), profile) ?? {}).region;
  return describeAccessKeys(profile, {
    keychain: deps.runtime.keychain,
    env: awsEnvOf(deps),
    ...(region && { region }),
  });
}

/** Hand-entered IAM user keys into the keychain, checked with STS first unless `verify` is false. */
export function addKeys(
  deps: AppDeps,
  profile: string,
  keys: AwsKeys,
  opts: { verify: boolean },
): Promise<{ profile: string; keyId: string; arn?: string }> {
  return addVaultKeys(profile, keys, {
    keychain: deps.runtime.keychain,
    env: awsEnvOf(deps),
    verify: opts.verify,
    appDir: deps.runtime.appDir,
  });
}

/** Forgets the keychain's copy of a profile's keys; IAM is not touched. Returns whether there was one. */
export async function deleteKeys(deps: AppDeps, profile: string): Promise<boolean> {
  const deleted = await removeVaultKeys(profile, { keychain: deps.runtime.keychain });
  if (deleted)
    await recordAudit(deps, {
      action: 'key.delete',
      profile,
      outcome: 'ok',
      detail: 'keychain copy only; IAM untouched',
    });
  return deleted;
}

/** Moves a profile's IAM user keys from the credentials file into the keychain, and out of the file if asked. */
export function importKeys(
  deps: AppDeps,
  profile: string,
  opts: { removePlaintext?: boolean | undefined },
): Promise<ImportResult> {
  return importFromCredentialsFile(deps.runtime.keychain, profile, {
    env: awsEnvOf(deps),
    appDir: deps.runtime.appDir,
    ...(opts.removePlaintext !== undefined && { removePlaintext: opts.removePlaintext }),
  });
}

/** Create the new key, verify it, store it, then delete the old one: a failure at any step loses neither key. */
export function rotateKey(deps: AppDeps, profile: string): Promise<RotationResult> {
  return rotateAccessKey(profile, {
    keychain: deps.runtime.keychain,
    env: awsEnvOf(deps),
    appDir: deps.runtime.appDir,
  });
}
