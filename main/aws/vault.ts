import { appendAuditEvent } from '../core/audit';
import { LatchkeyError } from '../core/errors';
import type { Keychain } from '../core/keychain';
import { editAwsFile, editBackup, readAwsFile } from './files';
import { isSectionEmpty, readIniSections, removeIniSection, setIniKeys } from './ini';
import { MANAGED_KEY, sessionAccount, vaultAccount } from './profiles';
import type { AwsKeys, AwsSession } from './vault-entries';

export { readCachedSession, readVaultKeys, type AwsKeys, type AwsSession } from './vault-entries';

// IAM user keys kept in the OS keychain, one entry per profile (`aws:<profile>`), and cached sessions; they are read
// in vault-entries.ts, which credential-process loads without this file's audit trail and its zod schemas.

/** Stores the keys and reads them back: a write the keychain did not keep is an error, not a silent loss. */
export async function storeVaultKeys(keychain: Keychain, profile: string, keys: AwsKeys): Promise<void> {
  await storeVerified(
    keychain,
    vaultAccount(profile),
    JSON.stringify({ accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey }),
  );
}

export async function deleteVaultKeys(keychain: Keychain, profile: string): Promise<boolean> {
  return keychain.delete(vaultAccount(profile));
}

export async function storeCachedSession(keychain: Keychain, profile: string, session: AwsSession): Promise<void> {
  await storeVerified(keychain, sessionAccount(profile), JSON.stringify(session));
}

export async function deleteCachedSession(keychain: Keychain, profile: string): Promise<boolean> {
  return keychain.delete(sessionAccount(profile));
}

async function storeVerified(keychain: Keychain, account: string, json: string): Promise<void> {
  await keychain.set(account, json);
  if ((await keychain.get(account)) !== json) {
    throw new LatchkeyError(
      'KEYCHAIN_UNAVAILABLE',
      `the OS keychain did not keep the entry ${account} (read-back differs)`,
    );
  }
}

export interface ImportResult {
  profile: string;
  removedPlaintext: boolean;
  /** The one-time backup made by this edit, if any. */
  backup?: string;
  /** True when the plaintext keys were also removed from Latchkey's earlier backup. */
  scrubbedBackup: boolean;
}

/**
 * Moves a profile's long-lived keys from the credentials file into the keychain. The plaintext is removed only on
 * request, and only after the keychain entry has been read back intact.
 */
export async function importFromCredentialsFile(
  keychain: Keychain,
  profile: string,
  opts: { removePlaintext?: boolean; env?: NodeJS.ProcessEnv; appDir?: string } = {},
): Promise<ImportResult> {
  const section = readIniSections(await readAwsFile('credentials', opts.env)).get(profile);
  if (!section?.aws_access_key_id || !section.aws_secret_access_key) {
    throw new LatchkeyError('PROFILE_NOT_FOUND', `the credentials file has no access key for profile ${profile}`);
  }
  if (section.aws_session_token || section[MANAGED_KEY]) {
    throw new LatchkeyError(
      'INVALID_INPUT',
      `profile ${profile} holds temporary session credentials, not IAM user keys; nothing to import`,
    );
  }
  await storeVaultKeys(keychain, profile, {
    accessKeyId: section.aws_access_key_id,
    secretAccessKey: section.aws_secret_access_key,
  });
  let result: ImportResult = { profile, removedPlaintext: false, scrubbedBackup: false };
  if (opts.removePlaintext) {
    const scrub = (text: string) =>
      removeKeysAndEmptySection(text, profile, ['aws_access_key_id', 'aws_secret_access_key']);
    // The backup is made from the file as it was, so it must be scrubbed too once it exists.
    const edit = await editAwsFile('credentials', scrub, opts.env);
    const scrubbedBackup = await editBackup('credentials', scrub, opts.env);
    result = { profile, removedPlaintext: true, scrubbedBackup, ...(edit.backup && { backup: edit.backup }) };
  }
  if (opts.appDir) {
    await appendAuditEvent(opts.appDir, {
      action: 'key.import',
      profile,
      outcome: 'ok',
      detail: result.removedPlaintext ? 'plaintext removed' : 'plaintext kept',
    });
  }
  return result;
}

export function removeKeysAndEmptySection(text: string, section: string, keys: string[]): string {
  const after = setIniKeys(text, section, Object.fromEntries(keys.map((k) => [k, undefined])));
  return isSectionEmpty(after, section) ? removeIniSection(after, section) : after;
}

/** The last four characters of an access key id: enough to tell keys apart, and how the AWS console shows them. */
export function keyIdTail(accessKeyId: string): string {
  return `…${accessKeyId.slice(-4)}`;
}
