import type { Keychain } from '../core/keychain';
import { LatchkeyError } from '../core/errors';
import type { AwsClientOptions } from './clients';
import { isFresh, readAwsProfiles } from './profiles';
import { readCachedSession, readVaultKeys, type AwsSession } from './vault-entries';

/**
 * What `latchkey aws credential-process <profile>` prints: the Version 1 JSON of the AWS `credential_process`
 * protocol. It never asks anything: a tool runs it with no one watching its terminal, and a prompt there is a hang
 * (a much-reported failure of other tools). When an MFA code is needed and no session is cached, it fails at once.
 * A tool runs it before every AWS call, so its everyday answers (vaulted keys, a fresh cached session) come from a
 * small import graph: STS, the audit trail and zod load only when a session must be obtained (issue 12: start-up).
 */
export interface ProcessCredentials {
  Version: 1;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken?: string;
  Expiration?: string;
}

export type CredentialProcessOptions = AwsClientOptions & { keychain: Keychain; now?: Date };

export async function credentialProcessOutput(
  profile: string,
  opts: CredentialProcessOptions,
): Promise<ProcessCredentials> {
  return (await credentialsAtHand(profile, opts)) ?? (await credentialsFromSts(profile, opts));
}

/**
 * The answer when no STS call is needed: vaulted long-lived keys of a profile without MFA or role, or a fresh cached
 * session. Undefined when a session must be obtained. Its import graph is small (no SDK, no zod), so the CLI runs it
 * on its own before loading the rest of the app.
 */
export async function credentialsAtHand(
  profile: string,
  opts: CredentialProcessOptions,
): Promise<ProcessCredentials | undefined> {
  const files = await readAwsProfiles(opts.env);
  const data = { ...files.config.get(profile), ...files.credentials.get(profile) };
  // Long-lived keys without MFA need no session: hand them out as they are (no expiry, the SDK caches them).
  if (!data.role_arn && !data.mfa_serial) {
    const keys = await readVaultKeys(opts.keychain, profile);
    if (keys) return { Version: 1, AccessKeyId: keys.accessKeyId, SecretAccessKey: keys.secretAccessKey };
  }
  const cached = await readCachedSession(opts.keychain, profile);
  if (cached && isFresh(cached.expiration, opts.now ?? new Date())) return fromSession(cached);
  return undefined;
}

async function credentialsFromSts(profile: string, opts: CredentialProcessOptions): Promise<ProcessCredentials> {
  const { needsMfa, obtainSession } = await import('./sessions');
  try {
    // One STS can give without a code (a role whose source needs no MFA); the cache was read already.
    const { session } = await obtainSession(profile, { ...opts, mfaCode: undefined, skipCache: true });
    return fromSession(session);
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

function fromSession(session: AwsSession): ProcessCredentials {
  return {
    Version: 1,
    AccessKeyId: session.accessKeyId,
    SecretAccessKey: session.secretAccessKey,
    SessionToken: session.sessionToken,
    Expiration: session.expiration,
  };
}
