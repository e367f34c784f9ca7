import type { Credentials } from '@aws-sdk/client-sts';
import os from 'node:os';
import { appendAuditEvent } from '../core/audit';
import { LatchkeyError } from '../core/errors';
import type { Keychain } from '../core/keychain';
import { awsErrorName, callDeadline, stsClient, type AwsClientOptions, type AwsCredentials } from './clients';
import { editAwsFile, readAwsFile, type AwsFileEdit } from './files';
import { readIniSections, setIniKeys } from './ini';
import {
  removeKeysAndEmptySection,
  readCachedSession,
  readVaultKeys,
  storeCachedSession,
  deleteCachedSession,
  type AwsSession,
} from './vault';
import { EXPIRATION_KEY, isFresh, MANAGED_KEY, mergeKeys, readAwsProfiles, type AwsFilesView } from './profiles';

/**
 * Sessions: STS GetSessionToken for IAM user profiles (with MFA when mfa_serial is set) and AssumeRole for
 * role_arn + source_profile profiles. Every session is cached in the keychain up to its expiry, so an MFA code is
 * asked for once per session, not once per command, and a role is assumed from the source's MFA session without a
 * new code (as aws-vault does).
 */

const DEFAULT_SESSION_SECONDS = 12 * 3600;
const DEFAULT_ROLE_SECONDS = 3600;
/** The keys Latchkey writes into a profile's credentials section, and the only ones `stop` removes. */
export const SESSION_KEYS = [
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  MANAGED_KEY,
  EXPIRATION_KEY,
] as const;

export interface SessionOptions extends AwsClientOptions {
  keychain: Keychain;
  /** Undefined clears a code the caller's options carry: a cached session or a role that needs none. */
  mfaCode?: string | undefined;
  /** Undefined clears a duration meant for the role, when the source profile's session is obtained. */
  durationSeconds?: number | undefined;
  now?: Date;
  /** Where the audit trail lives; no audit event when absent (unit tests). */
  appDir?: string;
  /** Ask STS even when this profile's cached session is still fresh (a refresh before expiry). */
  skipCache?: boolean;
}

export interface ObtainedSession {
  session: AwsSession;
  /** 'cached' when a fresh session from the keychain was reused: no STS call, no MFA code. */
  via: 'cached' | 'session-token' | 'assume-role';
}

/** A fresh session for `profile` from the cache or from STS, cached in the keychain. Writes no file. */
export async function obtainSession(profile: string, opts: SessionOptions): Promise<ObtainedSession> {
  const now = opts.now ?? new Date();
  const cached = opts.skipCache ? undefined : await readCachedSession(opts.keychain, profile);
  if (cached && isFresh(cached.expiration, now)) return { session: cached, via: 'cached' };
  const files = await readAwsProfiles(opts.env);
  const data = mergedProfile(files, profile);
  if (!data)
    throw new LatchkeyError('PROFILE_NOT_FOUND', `no AWS profile named ${profile} in the config or credentials file`);
  const session = data.role_arn
    ? await assumeRoleSession(profile, data, files, opts)
    : await userSession(profile, data, opts);
  await storeCachedSession(opts.keychain, profile, session);
  return { session, via: data.role_arn ? 'assume-role' : 'session-token' };
}

export function mergedProfile(files: AwsFilesView, profile: string): Record<string, string> | undefined {
  const config = files.config.get(profile);
  const creds = files.credentials.get(profile);
  return config || creds ? mergeKeys(config, creds) : undefined;
}

/** The long-lived keys a profile signs with: the keychain first, then plaintext in the file (never a session). */
export async function longLivedKeys(
  profile: string,
  data: Record<string, string>,
  keychain: Keychain,
): Promise<AwsCredentials> {
  const vaulted = await readVaultKeys(keychain, profile);
  if (vaulted) return vaulted;
  if (data.aws_access_key_id && data.aws_secret_access_key && !data.aws_session_token && data[MANAGED_KEY] !== 'true') {
    return { accessKeyId: data.aws_access_key_id, secretAccessKey: data.aws_secret_access_key };
  }
  if (data.sso_session || data.sso_start_url) {
    throw new LatchkeyError(
      'SOURCE_FAILED',
      `profile ${profile} is an SSO profile: the AWS tools get its credentials from the SSO token cache, not from Latchkey sessions`,
      `Sign in with: latchkey aws sso-login ${profile}`,
    );
  }
  throw new LatchkeyError(
    'NEEDS_INPUT',
    `no IAM user keys for profile ${profile} in the keychain`,
    `Import them: latchkey aws import ${profile} --remove-plaintext`,
    { action: 'import-aws-keys' },
  );
}

async function userSession(profile: string, data: Record<string, string>, opts: SessionOptions): Promise<AwsSession> {
  const keys = await longLivedKeys(profile, data, opts.keychain);
  const mfaSerial = data.mfa_serial;
  if (mfaSerial && !opts.mfaCode) throw needsMfa(profile);
  const client = await stsClient(keys, opts);
  const { GetSessionTokenCommand } = await import('./sdk-sts');
  try {
    const out = await client.send(
      new GetSessionTokenCommand({
        DurationSeconds: opts.durationSeconds ?? DEFAULT_SESSION_SECONDS,
        ...(mfaSerial && { SerialNumber: mfaSerial, TokenCode: opts.mfaCode }),
      }),
      callDeadline(),
    );
    return toSession(out.Credentials, profile);
  } catch (error) {
    throw stsFailed('GetSessionToken', profile, error);
  } finally {
    client.destroy();
  }
}

async function assumeRoleSession(
  profile: string,
  data: Record<string, string>,
  files: AwsFilesView,
  opts: SessionOptions,
): Promise<AwsSession> {
  const source = data.source_profile;
  if (!source) {
    throw new LatchkeyError(
      'SOURCE_FAILED',
      `profile ${profile} has role_arn but no source_profile; Latchkey assumes roles from a source profile only`,
    );
  }
  if (source === profile)
    throw new LatchkeyError('INVALID_INPUT', `profile ${profile} names itself as its source_profile`);
  const sourceData = mergedProfile(files, source);
  if (!sourceData)
    throw new LatchkeyError('PROFILE_NOT_FOUND', `source_profile ${source} of ${profile} does not exist`);
  // With mfa_serial, the role is assumed from the source's MFA session: its MFA flag satisfies the role's trust
  // policy, and the cached session lets the next role (or the next hour) go without a new code.
  const mfaSerial = data.mfa_serial ?? sourceData.mfa_serial;
  let credentials: AwsCredentials;
  if (mfaSerial) {
    const sourceOpts = { ...opts, durationSeconds: undefined };
    const cached = await readCachedSession(opts.keychain, source);
    let session = cached && isFresh(cached.expiration, opts.now ?? new Date()) ? cached : undefined;
    if (!session) {
      if (!opts.mfaCode) throw needsMfa(profile);
      session = await userSession(source, { ...sourceData, mfa_serial: mfaSerial }, sourceOpts);
      await storeCachedSession(opts.keychain, source, session);
    }
    // Only the three fields: the SDK reads an `expiration` on credentials as a Date.
    credentials = {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
    };
  } else {
    credentials = await longLivedKeys(source, sourceData, opts.keychain);
  }
  const client = await stsClient(credentials, opts);
  const { AssumeRoleCommand } = await import('./sdk-sts');
  try {
    const out = await client.send(
      new AssumeRoleCommand({
        RoleArn: data.role_arn,
        RoleSessionName: data.role_session_name ?? defaultRoleSessionName(),
        DurationSeconds:
          opts.durationSeconds ?? (data.duration_seconds ? Number(data.duration_seconds) : DEFAULT_ROLE_SECONDS),
        ...(data.external_id && { ExternalId: data.external_id }),
      }),
      callDeadline(),
    );
    return toSession(out.Credentials, profile);
  } catch (error) {
    throw stsFailed('AssumeRole', profile, error);
  } finally {
    client.destroy();
  }
}

function defaultRoleSessionName(): string {
  const user = (os.userInfo().username || 'user').replace(/[^\w+=,.@-]/g, '-');
  return `latchkey-${user}`.slice(0, 64);
}

function toSession(c: Credentials | undefined, profile: string): AwsSession {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new LatchkeyError('SOURCE_FAILED', `STS returned no complete credentials for profile ${profile}`);
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration.toISOString(),
  };
}

export function needsMfa(profile: string): LatchkeyError {
  return new LatchkeyError(
    'NEEDS_INPUT',
    `profile ${profile} needs an MFA code and no session is cached`,
    `start a session in Latchkey: latchkey aws login ${profile} --mfa-code CODE`,
  );
}

function stsFailed(call: string, profile: string, error: unknown): LatchkeyError {
  if (error instanceof LatchkeyError) return error;
  const name = awsErrorName(error);
  const code = name === 'AccessDenied' || name === 'InvalidClientTokenId' ? 'ACCESS_DENIED' : 'SOURCE_FAILED';
  return new LatchkeyError(code, `STS ${call} failed for profile ${profile} (${name})`, undefined, { cause: error });
}

export interface StartedSession {
  profile: string;
  expiration: string;
  via: ObtainedSession['via'];
  edits: AwsFileEdit[];
}

/**
 * Starts (or reuses) a session and writes it into the profile's credentials section, marked as Latchkey's, and
 * into `[default]` too when asked. A section holding long-lived keys is never overwritten.
 */
export async function startSession(
  profile: string,
  opts: SessionOptions & { asDefault?: boolean },
): Promise<StartedSession> {
  try {
    // Checked before STS is asked: a section holding long-lived keys would refuse the session after the MFA code
    // was spent and a session cached that no file holds (issue 14: the state then claimed a session that did not
    // exist). Refused first, the code stays unused for the login that follows the import.
    await assertWritable(profile, opts.env);
    if (opts.asDefault && profile !== 'default') await assertWritable('default', opts.env);
    const { session, via } = await obtainSession(profile, opts);
    const edits = [await writeSessionSection(profile, session, opts.env)];
    if (opts.asDefault && profile !== 'default') edits.push(await writeSessionSection('default', session, opts.env));
    if (opts.appDir) {
      await appendAuditEvent(opts.appDir, {
        action: 'session.start',
        profile,
        outcome: 'ok',
        detail: `${via}, expires ${session.expiration}${opts.asDefault ? ', also [default]' : ''}`,
      });
    }
    return { profile, expiration: session.expiration, via, edits };
  } catch (error) {
    if (opts.appDir && !(error instanceof LatchkeyError && error.code === 'NEEDS_INPUT')) {
      await appendAuditEvent(opts.appDir, {
        action: 'session.start',
        profile,
        outcome: 'error',
        detail: describe(error),
      }).catch(() => undefined);
    }
    throw error;
  }
}

function describe(error: unknown): string {
  return error instanceof LatchkeyError ? error.code : awsErrorName(error);
}

/** Refuses to overwrite long-lived keys: they must go to the keychain first (`latchkey aws import`). */
async function assertWritable(section: string, env?: NodeJS.ProcessEnv): Promise<void> {
  const existing = readIniSections(await readAwsFile('credentials', env)).get(section);
  if (existing?.aws_access_key_id && existing[MANAGED_KEY] !== 'true') {
    throw new LatchkeyError(
      'TARGET_UNSAFE',
      `the [${section}] section of the credentials file holds keys Latchkey does not manage; refusing to overwrite them`,
      `Move them to the keychain first: latchkey aws import ${section} --remove-plaintext`,
      { action: 'import-aws-keys' },
    );
  }
}

export async function writeSessionSection(
  section: string,
  session: AwsSession,
  env?: NodeJS.ProcessEnv,
): Promise<AwsFileEdit> {
  await assertWritable(section, env);
  return editAwsFile(
    'credentials',
    (text) =>
      setIniKeys(text, section, {
        aws_access_key_id: session.accessKeyId,
        aws_secret_access_key: session.secretAccessKey,
        aws_session_token: session.sessionToken,
        [MANAGED_KEY]: 'true',
        [EXPIRATION_KEY]: session.expiration,
      }),
    env,
  );
}

/**
 * Stops a profile's session: removes the managed keys from its section (and from `[default]` when it holds the
 * same session) and forgets the cached session. Sections Latchkey does not manage are left alone.
 */
export async function stopSession(
  profile: string,
  opts: { keychain: Keychain; env?: NodeJS.ProcessEnv; appDir?: string },
): Promise<{ removedFrom: string[] }> {
  const sections = readIniSections(await readAwsFile('credentials', opts.env));
  const own = sections.get(profile);
  const cached = await readCachedSession(opts.keychain, profile);
  const sessionKey = own?.[MANAGED_KEY] === 'true' ? own.aws_access_key_id : cached?.accessKeyId;
  const removedFrom: string[] = [];
  for (const name of [profile, 'default']) {
    const s = sections.get(name);
    if (s?.[MANAGED_KEY] !== 'true') continue;
    if (name !== profile && s.aws_access_key_id !== sessionKey) continue;
    await editAwsFile('credentials', (text) => removeKeysAndEmptySection(text, name, [...SESSION_KEYS]), opts.env);
    removedFrom.push(name);
  }
  await deleteCachedSession(opts.keychain, profile);
  if (opts.appDir)
    await appendAuditEvent(opts.appDir, {
      action: 'session.stop',
      profile,
      outcome: 'ok',
      detail: removedFrom.length ? `removed from [${removedFrom.join('], [')}]` : 'no session on disk',
    });
  return { removedFrom };
}

/** "Use as default": writes the profile's session into `[default]`, starting one when none is cached. */
export async function useAsDefault(profile: string, opts: SessionOptions): Promise<StartedSession> {
  await assertWritable('default', opts.env);
  const { session, via } = await obtainSession(profile, opts);
  const edit = await writeSessionSection('default', session, opts.env);
  if (opts.appDir)
    await appendAuditEvent(opts.appDir, {
      action: 'profile.switch',
      profile,
      outcome: 'ok',
      detail: `[default] now ${profile}, expires ${session.expiration}`,
    });
  return { profile, expiration: session.expiration, via, edits: [edit] };
}
