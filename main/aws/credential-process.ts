import type { Keychain } from '../core/keychain';
import { LatchkeyError } from '../core/errors';
import type { AwsClientOptions } from './clients';
import { readAwsProfiles } from './profiles';
import { needsMfa, obtainSession } from './sessions';
import { readVaultKeys } from './vault';

/**
 * What `latchkey aws credential-process <profile>` prints: the Version 1 JSON of the AWS `credential_process`
 * protocol. It never asks anything: a tool runs it with no one watching its terminal, and a prompt there is a hang
 * (a much-reported failure of other tools). When an MFA code is needed and no session is cached, it fails at once.
 */
export interface ProcessCredentials {
  Version: 1;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken?: string;
  Expiration?: string;
}

export async function credentialProcessOutput(
  profile: string,
  opts: AwsClientOptions & { keychain: Keychain; now?: Date },
): Promise<ProcessCredentials> {
  const files = await readAwsProfiles(opts.env);
  const data = { ...files.config.get(profile), ...files.credentials.get(profile) };
  // Long-lived keys without MFA need no session: hand them out as they are (no expiry, the SDK caches them).
  if (!data.role_arn && !data.mfa_serial) {
    const keys = await readVaultKeys(opts.keychain, profile);
    if (keys) return { Version: 1, AccessKeyId: keys.accessKeyId, SecretAccessKey: keys.secretAccessKey };
  }
  try {
    // A cached session, or one STS can give without a code (a role whose source needs no MFA).
    const { session } = await obtainSession(profile, { ...opts, mfaCode: undefined });
    return {
      Version: 1,
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: session.expiration,
    };
  } catch (error) {
    if (error instanceof LatchkeyError && error.code === 'NEEDS_INPUT') {
      const mfa = needsMfa(profile);
      throw new LatchkeyError(
        'NEEDS_INPUT',
        `${error.message}: start a session in Latchkey: latchkey aws login ${profile}`,
        mfa.hint,
      );
    }
    throw error;
  }
}
