import { GetAccessKeyLastUsedCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { RotationInfo } from '../../contract/plan';
import { appendAuditEvent } from '../core/audit';
import { LatchkeyError } from '../core/errors';
import type { Keychain } from '../core/keychain';
import { rotationStatus } from '../core/rotation';
import { awsErrorName, iamClient, stsClient, type AwsClientOptions, callDeadline } from './clients';
import { readAwsProfiles } from './profiles';
import { longLivedKeys, mergedProfile } from './sessions';
import { deleteVaultKeys, keyIdTail, storeVaultKeys, type AwsKeys } from './vault';

/** Key age and last use for a profile's IAM user, and keys added to (or deleted from) the keychain by hand. */

const DEFAULT_KEY_MAX_AGE_DAYS = 90;

export interface AccessKeyInfo {
  /** `…WXYZ`: never the whole id. */
  keyId: string;
  /** True for the key this profile signs with. */
  current: boolean;
  status: string;
  createdAt?: string;
  rotation: RotationInfo;
  lastUsed?: { date?: string; service?: string; region?: string };
}

export interface DescribeKeysOptions extends AwsClientOptions {
  keychain: Keychain;
  now?: Date;
  maxAgeDays?: number;
}

/** ListAccessKeys + GetAccessKeyLastUsed, signed with the profile's own long-lived keys (keychain, else file). */
export async function describeAccessKeys(profile: string, opts: DescribeKeysOptions): Promise<AccessKeyInfo[]> {
  const data = mergedProfile(await readAwsProfiles(opts.env), profile) ?? {};
  const keys = await longLivedKeys(profile, data, opts.keychain);
  const iam = await iamClient(keys, opts);
  const policy = { maxAgeDays: opts.maxAgeDays ?? DEFAULT_KEY_MAX_AGE_DAYS };
  try {
    const listed = await iam.send(new ListAccessKeysCommand({}), callDeadline());
    const out: AccessKeyInfo[] = [];
    for (const meta of listed.AccessKeyMetadata ?? []) {
      const id = meta.AccessKeyId ?? '';
      const used = (await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id }), callDeadline()))
        .AccessKeyLastUsed;
      // IAM says "N/A" for a key that was never used.
      const known = (v: string | undefined) => (v && v !== 'N/A' ? v : undefined);
      const service = known(used?.ServiceName);
      const region = known(used?.Region);
      const lastUsed = {
        ...(used?.LastUsedDate && { date: used.LastUsedDate.toISOString() }),
        ...(service && { service }),
        ...(region && { region }),
      };
      out.push({
        keyId: keyIdTail(id),
        current: id === keys.accessKeyId,
        status: meta.Status ?? 'unknown',
        ...(meta.CreateDate && { createdAt: meta.CreateDate.toISOString() }),
        rotation: rotationStatus(meta.CreateDate, policy, opts.now ?? new Date()),
        ...(Object.keys(lastUsed).length > 0 && { lastUsed }),
      });
    }
    return out;
  } catch (error) {
    const name = awsErrorName(error);
    const code = name === 'AccessDenied' || name === 'InvalidClientTokenId' ? 'ACCESS_DENIED' : 'SOURCE_FAILED';
    throw new LatchkeyError(
      code,
      `IAM ListAccessKeys/GetAccessKeyLastUsed failed for profile ${profile} (${name})`,
      undefined,
      { cause: error },
    );
  } finally {
    iam.destroy();
  }
}

export interface AddKeysOptions extends AwsClientOptions {
  keychain: Keychain;
  /** GetCallerIdentity before storing (default true): a typo is caught before it replaces a working key. */
  verify?: boolean;
  appDir?: string;
}

/** Stores hand-entered IAM user keys in the keychain; returns the identity ARN when verified. */
export async function addVaultKeys(
  profile: string,
  keys: AwsKeys,
  opts: AddKeysOptions,
): Promise<{ profile: string; keyId: string; arn?: string }> {
  if (!/^[A-Z0-9]{16,128}$/.test(keys.accessKeyId)) {
    throw new LatchkeyError(
      'INVALID_INPUT',
      `that does not look like an access key id (16 or more upper-case letters and digits) for profile ${profile}`,
    );
  }
  if (keys.secretAccessKey.trim() === '' || /\s/.test(keys.secretAccessKey)) {
    throw new LatchkeyError(
      'INVALID_INPUT',
      `the secret access key for profile ${profile} is empty or contains whitespace`,
    );
  }
  let arn: string | undefined;
  if (opts.verify !== false) {
    const sts = await stsClient(keys, opts, 1);
    try {
      arn = (await sts.send(new GetCallerIdentityCommand({}), callDeadline())).Arn;
    } catch (error) {
      throw new LatchkeyError(
        'ACCESS_DENIED',
        `AWS refused the keys given for profile ${profile} (${awsErrorName(error)}); nothing stored`,
        'Check the keys, or store them anyway with --no-verify',
        { cause: error },
      );
    } finally {
      sts.destroy();
    }
  }
  await storeVaultKeys(opts.keychain, profile, keys);
  if (opts.appDir)
    await appendAuditEvent(opts.appDir, {
      action: 'key.import',
      profile,
      outcome: 'ok',
      detail: `${keyIdTail(keys.accessKeyId)} added by hand${arn ? ', verified' : ', not verified'}`,
    });
  return { profile, keyId: keyIdTail(keys.accessKeyId), ...(arn && { arn }) };
}

/** Forgets the profile's keys in the keychain. IAM is never touched: the key stays valid there. */
export async function removeVaultKeys(profile: string, opts: { keychain: Keychain }): Promise<boolean> {
  return deleteVaultKeys(opts.keychain, profile);
}
