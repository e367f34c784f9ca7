import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  ListAccessKeysCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { appendAuditEvent } from '../core/audit';
import { LatchkeyError } from '../core/errors';
import type { Keychain } from '../core/keychain';
import {
  awsErrorName,
  iamClient,
  stsClient,
  type AwsClientOptions,
  type AwsCredentials,
  callDeadline,
} from './clients';
import { keyIdTail, readVaultKeys, storeVaultKeys, type AwsKeys } from './vault';

/**
 * Rotates a profile's own IAM access key: create the new key, prove it works (GetCallerIdentity, retried while
 * IAM propagates it), store it in the keychain and read it back, delete the old key, audit. At every step the
 * keychain holds a key that works, and a failure says exactly which keys exist in IAM.
 */

export const ROTATION_STEPS = [
  'list-keys',
  'create-key',
  'verify-new-key',
  'store-new-key',
  'delete-old-key',
  'audit',
] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

export interface RotateOptions extends AwsClientOptions {
  keychain: Keychain;
  appDir: string;
  /** How long to keep retrying the new key while it propagates. */
  verifyAttempts?: number;
  verifyDelayMs?: number;
  /** Test hook for fault injection: called before each step; throwing makes that step fail. */
  beforeStep?: (step: RotationStep) => void | Promise<void>;
}

export interface RotationResult {
  profile: string;
  oldKey: string;
  newKey: string;
}

export async function rotateAccessKey(profile: string, opts: RotateOptions): Promise<RotationResult> {
  const old = await readVaultKeys(opts.keychain, profile);
  if (!old) {
    throw new LatchkeyError(
      'NEEDS_INPUT',
      `no IAM user keys for profile ${profile} in the keychain`,
      `Import them first: latchkey aws import ${profile} --remove-plaintext`,
      { action: 'import-aws-keys' },
    );
  }
  const step = async (name: RotationStep) => opts.beforeStep?.(name);
  const oldTail = keyIdTail(old.accessKeyId);
  const fail = async (at: RotationStep, state: string, error: unknown, hint?: string): Promise<never> => {
    const detail = `${at}: ${error instanceof LatchkeyError ? error.code : awsErrorName(error)}`;
    await appendAuditEvent(opts.appDir, { action: 'key.rotate', profile, outcome: 'error', detail }).catch(
      () => undefined,
    );
    const code = error instanceof LatchkeyError ? error.code : 'SOURCE_FAILED';
    throw new LatchkeyError(
      code,
      `key rotation for ${profile} failed at ${at} (${detail.slice(at.length + 2)}). ${state}`,
      hint,
      { cause: error },
    );
  };

  // CreateAccessKey's LimitExceeded is the answer here, not throttling: no retries.
  const iamOld = await iamClient(old, opts, 1);
  try {
    let existing: { id: string; created: Date | undefined }[];
    try {
      await step('list-keys');
      const listed = await iamOld.send(new ListAccessKeysCommand({}), callDeadline());
      existing = (listed.AccessKeyMetadata ?? []).map((k) => ({ id: k.AccessKeyId ?? '', created: k.CreateDate }));
    } catch (error) {
      return await fail(
        'list-keys',
        `Nothing changed in IAM (the old key ${oldTail} is untouched), and the keychain holds it.`,
        error,
      );
    }
    if (existing.length >= 2) throw twoKeys(profile, old, existing);

    let created: AwsKeys;
    try {
      await step('create-key');
      const out = await iamOld.send(new CreateAccessKeyCommand({}), callDeadline());
      if (!out.AccessKey?.AccessKeyId || !out.AccessKey.SecretAccessKey)
        throw new Error('CreateAccessKey returned no key');
      created = { accessKeyId: out.AccessKey.AccessKeyId, secretAccessKey: out.AccessKey.SecretAccessKey };
    } catch (error) {
      if (awsErrorName(error) === 'LimitExceeded' || awsErrorName(error) === 'LimitExceededException')
        throw twoKeys(profile, old, existing);
      return await fail(
        'create-key',
        `Nothing changed: IAM still has only the old key ${oldTail}, and the keychain holds it.`,
        error,
      );
    }
    const newTail = keyIdTail(created.accessKeyId);

    try {
      await step('verify-new-key');
      await verifyWorks(created, opts);
    } catch (error) {
      const undone = await deleteKey(iamOld, created.accessKeyId);
      return await fail(
        'verify-new-key',
        undone
          ? `The new key ${newTail} did not work and was deleted again: IAM has only the old key ${oldTail}, and the keychain holds it.`
          : `The new key ${newTail} did not work and could not be deleted: IAM has both ${oldTail} (in the keychain, working) and ${newTail} (unused).`,
        error,
        undone
          ? undefined
          : `Delete ${newTail} in the IAM console, or: aws iam delete-access-key --access-key-id <id ending ${created.accessKeyId.slice(-4)}>`,
      );
    }

    try {
      await step('store-new-key');
      await storeVaultKeys(opts.keychain, profile, created);
    } catch (error) {
      const restored = await restoreOld(opts.keychain, profile, old);
      const undone = restored && (await deleteKey(iamOld, created.accessKeyId));
      return await fail(
        'store-new-key',
        restored
          ? undone
            ? `The keychain could not keep the new key, so it was deleted again: IAM has only the old key ${oldTail}, and the keychain holds it.`
            : `The keychain could not keep the new key: it holds the old key ${oldTail} again; IAM has both ${oldTail} and ${newTail} (unused, delete it).`
          : `The keychain could not keep the new key, nor be restored: IAM has both keys ${oldTail} and ${newTail}; neither was deleted.`,
        error,
      );
    }

    const iamNew = await iamClient(created, opts, 1);
    try {
      await step('delete-old-key');
      await iamNew.send(new DeleteAccessKeyCommand({ AccessKeyId: old.accessKeyId }), callDeadline());
    } catch (error) {
      return await fail(
        'delete-old-key',
        `The new key ${newTail} works and is in the keychain; the old key ${oldTail} is still active in IAM.`,
        error,
        `Delete the old key in the IAM console, or run latchkey aws rotate-key ${profile} again once it is gone.`,
      );
    } finally {
      iamNew.destroy();
    }

    try {
      await step('audit');
      await appendAuditEvent(opts.appDir, {
        action: 'key.rotate',
        profile,
        outcome: 'ok',
        detail: `${oldTail} replaced by ${newTail}`,
      });
    } catch (error) {
      throw new LatchkeyError(
        'AUDIT_BROKEN',
        `key rotation for ${profile} is complete (the keychain holds the new key ${newTail}; ${oldTail} is deleted in IAM), but the audit event could not be written`,
        undefined,
        { cause: error },
      );
    }
    return { profile, oldKey: oldTail, newKey: newTail };
  } finally {
    iamOld.destroy();
  }
}

async function verifyWorks(keys: AwsCredentials, opts: RotateOptions): Promise<void> {
  const attempts = opts.verifyAttempts ?? 10;
  const delay = opts.verifyDelayMs ?? 1_500;
  const sts = await stsClient(keys, opts, 1);
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await sts.send(new GetCallerIdentityCommand({}), callDeadline());
        return;
      } catch (error) {
        // A new key is refused as InvalidClientTokenId for a few seconds on AWS while it propagates.
        if (attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  } finally {
    sts.destroy();
  }
}

async function deleteKey(iam: IAMClient, accessKeyId: string): Promise<boolean> {
  try {
    await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: accessKeyId }), callDeadline());
    return true;
  } catch {
    return false;
  }
}

async function restoreOld(keychain: Keychain, profile: string, old: AwsKeys): Promise<boolean> {
  try {
    const now = await readVaultKeys(keychain, profile).catch(() => undefined);
    if (now?.accessKeyId === old.accessKeyId && now.secretAccessKey === old.secretAccessKey) return true;
    await storeVaultKeys(keychain, profile, old);
    return true;
  } catch {
    return false;
  }
}

function twoKeys(profile: string, old: AwsKeys, existing: { id: string; created: Date | undefined }[]): LatchkeyError {
  const other = existing.find((k) => k.id !== old.accessKeyId);
  const otherText = other
    ? `${keyIdTail(other.id)}${other.created ? `, created ${other.created.toISOString().slice(0, 10)}` : ''}`
    : 'another key';
  return new LatchkeyError(
    'SOURCE_FAILED',
    `profile ${profile}'s IAM user already has two access keys (the IAM limit): ${keyIdTail(old.accessKeyId)} (in the keychain) and ${otherText}. Nothing changed.`,
    `Delete the key you no longer use (${otherText}) in the IAM console or with aws iam delete-access-key, then run latchkey aws rotate-key ${profile} --yes again.`,
  );
}
