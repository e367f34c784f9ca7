import { LatchkeyError } from '../core/errors';
import type { Keychain } from '../core/keychain';
import { sessionAccount, vaultAccount } from './profiles';

/**
 * Reading the keychain entries of the AWS vault (vault.ts): IAM user keys (`aws:<profile>`) and cached sessions
 * (`aws-session:<profile>`). Checked by hand rather than with zod, because `latchkey aws credential-process` reads
 * them on every AWS call a tool makes and must start without compiling zod (issue 12: start-up).
 */
export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface AwsSession extends AwsKeys {
  sessionToken: string;
  expiration: string;
}

export async function readVaultKeys(keychain: Keychain, profile: string): Promise<AwsKeys | undefined> {
  const entry = parseEntry(await keychain.get(vaultAccount(profile)), profile);
  if (entry === undefined) return undefined;
  return {
    accessKeyId: nonEmpty(entry.accessKeyId, profile),
    secretAccessKey: nonEmpty(entry.secretAccessKey, profile),
  };
}

export async function readCachedSession(keychain: Keychain, profile: string): Promise<AwsSession | undefined> {
  const entry = parseEntry(await keychain.get(sessionAccount(profile)), profile);
  if (entry === undefined) return undefined;
  // Only the known fields, as a schema would keep them: nothing else in the entry travels further.
  return {
    accessKeyId: nonEmpty(entry.accessKeyId, profile),
    secretAccessKey: nonEmpty(entry.secretAccessKey, profile),
    sessionToken: nonEmpty(entry.sessionToken, profile),
    expiration: aString(entry.expiration, profile),
  };
}

function parseEntry(raw: string | null, profile: string): Record<string, unknown> | undefined {
  if (raw === null) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw notOurFormat(profile);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw notOurFormat(profile);
  return json as Record<string, unknown>;
}

function aString(value: unknown, profile: string): string {
  if (typeof value !== 'string') throw notOurFormat(profile);
  return value;
}

function nonEmpty(value: unknown, profile: string): string {
  const text = aString(value, profile);
  if (text.length === 0) throw notOurFormat(profile);
  return text;
}

function notOurFormat(profile: string): LatchkeyError {
  return new LatchkeyError(
    'KEYCHAIN_UNAVAILABLE',
    `the keychain entry for AWS profile ${profile} is not in Latchkey's format`,
  );
}
