import type { AwsKeyView, AwsProfileView, EventPayload } from '../../../contract/ipc';
import { readAwsFile } from '../../aws/files';
import { readIniSections } from '../../aws/ini';
import { describeAccessKeys, type AccessKeyInfo } from '../../aws/keys';
import { describeProfile, isFresh, listAwsProfiles, readAwsProfiles, type AwsProfileInfo } from '../../aws/profiles';
import { refreshNeedsMfa, type RefreshEvent } from '../../aws/refresher';
import { rotateAccessKey } from '../../aws/rotate';
import { mergedProfile, startSession, stopSession, useAsDefault } from '../../aws/sessions';
import { importFromCredentialsFile, readCachedSession, readVaultKeys, type AwsSession } from '../../aws/vault';
import { isLatchkeyError } from '../../core/errors';
import type { Keychain } from '../../core/keychain';
import { NeedsInputError } from '../../core/keychain';
import type { AwsSessionStatus } from '../../core/readiness';
import type { Handlers } from '../types';
import type { HandlerContext } from './context';

type AwsHandlers = Pick<
  Handlers,
  'aws.list' | 'aws.keys' | 'aws.login' | 'aws.logout' | 'aws.useDefault' | 'aws.import' | 'aws.rotateKey'
>;

/** What the renderer's MFA prompt keys on: NEEDS_INPUT whose `missing` is this one name. */
export const MFA_INPUT = 'MFA';

/**
 * NEEDS_INPUT with `missing: ['MFA']`, so the UI shows the code prompt and calls again with the code. It is a
 * NeedsInputError because that is what the router turns into `missing`; the message and hint speak of MFA.
 */
export class MfaCodeNeeded extends NeedsInputError {
  override readonly hint = 'Enter the current code of your MFA device to start the session.';
  constructor(profile: string) {
    super([{ name: MFA_INPUT, account: '' }]);
    this.message = `profile ${profile} needs an MFA code to start a session`;
  }
}

/**
 * The AWS view: every profile and its session, a profile's access keys, sessions started and stopped, the default
 * profile, keys moved into the keychain and rotated. The aws/ functions write the audit events themselves (the
 * CLI shares them), so nothing is audited twice here. No credential crosses: profiles, expiries and the last four
 * characters of key ids only.
 */
export function createAwsAccess(ctx: HandlerContext): {
  handlers: AwsHandlers;
  sessionStatus: (profile: string) => Promise<AwsSessionStatus>;
} {
  const env = () => ctx.awsEnv ?? process.env;
  const keychain = ctx.runtime.keychain;
  const opts = () => ({ keychain, env: env(), appDir: ctx.appDir });

  /** After a session changed on disk: the refresher reschedules, and a failure there must not fail the action. */
  const rescan = async () => {
    await ctx.sessionRefresher?.scan().catch(() => undefined);
  };

  /** A NEEDS_INPUT that an MFA code would answer becomes the prompt; any other (no keys yet) stays as it is. */
  const asMfaPrompt = async (profile: string, mfaCode: string | undefined, error: unknown): Promise<unknown> => {
    if (mfaCode || !isLatchkeyError(error) || error.code !== 'NEEDS_INPUT' || error instanceof NeedsInputError)
      return error;
    const needsCode = await refreshNeedsMfa(profile, await readAwsProfiles(env()), keychain, new Date()).catch(
      () => false,
    );
    return needsCode ? new MfaCodeNeeded(profile) : error;
  };

  const handlers: AwsHandlers = {
    async 'aws.list'() {
      const profiles = await listAwsProfiles(keychain, { env: env() });
      const credentials = readIniSections(await readAwsFile('credentials', env()));
      const defaultKeyId = credentials.get('default')?.aws_access_key_id;
      const now = new Date();
      const views: AwsProfileView[] = [];
      for (const p of profiles)
        views.push(
          await profileView(p, keychain, { defaultKeyId, fileKeyId: credentials.get(p.name)?.aws_access_key_id }, now),
        );
      return { profiles: views };
    },

    async 'aws.keys'({ profile }) {
      const region = (mergedProfile(await readAwsProfiles(env()), profile) ?? {}).region;
      const keys = await describeAccessKeys(profile, { keychain, env: env(), ...(region && { region }) });
      return { keys: keys.map(keyView) };
    },

    async 'aws.login'({ profile, mfaCode, asDefault }) {
      let started;
      try {
        // startSession audits session.start itself (profile, how, expiry: never a credential).
        started = await startSession(profile, {
          ...opts(),
          ...(mfaCode && { mfaCode }),
          ...(asDefault && { asDefault }),
        });
      } catch (error) {
        throw await asMfaPrompt(profile, mfaCode, error);
      }
      ctx.send('aws.session', { profile, state: 'started', expiresAt: started.expiration });
      await rescan();
      return { expiresAt: started.expiration };
    },

    async 'aws.logout'({ profile }) {
      // stopSession audits session.stop itself.
      await stopSession(profile, opts());
      ctx.send('aws.session', { profile, state: 'stopped' });
      await rescan();
      return {};
    },

    async 'aws.useDefault'({ profile, mfaCode }) {
      let started;
      try {
        // useAsDefault audits profile.switch itself.
        started = await useAsDefault(profile, { ...opts(), ...(mfaCode && { mfaCode }) });
      } catch (error) {
        throw await asMfaPrompt(profile, mfaCode, error);
      }
      ctx.send('aws.session', { profile, state: 'started', expiresAt: started.expiration });
      await rescan();
      return { expiresAt: started.expiration };
    },

    async 'aws.import'({ profile, removePlaintext }) {
      // importFromCredentialsFile audits key.import itself.
      const result = await importFromCredentialsFile(keychain, profile, { ...opts(), removePlaintext });
      return { removedPlaintext: result.removedPlaintext, ...(result.backup && { backup: result.backup }) };
    },

    async 'aws.rotateKey'({ profile }) {
      // rotateAccessKey audits key.rotate itself, on success and on failure; its errors say what IAM holds.
      const result = await rotateAccessKey(profile, { keychain, env: env(), appDir: ctx.appDir });
      return {
        newKeyIdTail: idTail(result.newKey),
        deletedKeyIdTail: idTail(result.oldKey),
        detail: `The new key ${result.newKey} works and is in the keychain; the old key ${result.oldKey} is deleted in IAM.`,
      };
    },
  };

  const sessionStatus = async (profile: string): Promise<AwsSessionStatus> => {
    const files = await readAwsProfiles(env());
    const data = mergedProfile(files, profile);
    if (!data) return { exists: false };
    const info = await describeProfile(profile, files, keychain, new Date());
    const source = data.source_profile ? mergedProfile(files, data.source_profile) : undefined;
    const session = await sessionOf(info, keychain, new Date());
    return {
      exists: true,
      kind: info.kind,
      mfa: Boolean(data.mfa_serial ?? source?.mfa_serial),
      ...(session.active && session.expiresAt && { activeUntil: session.expiresAt }),
    };
  };

  return { handlers, sessionStatus };
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

/** `…WXYZ` from the aws/ functions, as the contract wants it: the last four characters alone. */
function idTail(tail: string): string {
  return tail.replace(/^…/, '').slice(-4);
}

function keyView(k: AccessKeyInfo): AwsKeyView {
  return {
    idTail: idTail(k.keyId),
    status: k.status,
    ...(k.createdAt && { createdAt: k.createdAt }),
    rotation: {
      status: k.rotation.status,
      maxAgeDays: k.rotation.maxAgeDays,
      ...(k.rotation.ageDays !== undefined && { ageDays: k.rotation.ageDays }),
    },
    ...(k.lastUsed?.date && { lastUsedAt: k.lastUsed.date }),
    ...(k.lastUsed?.service && { lastUsedService: k.lastUsed.service }),
  };
}

/** The refresher's news for the renderer; a failed refresh says nothing while the session still has time to retry. */
export function sessionEventOf(e: RefreshEvent, now: Date, retryMs = 60_000): EventPayload<'aws.session'> | undefined {
  if (e.state === 'refreshed') return { profile: e.profile, state: 'refreshed', expiresAt: e.expiresAt };
  if (e.state === 'needs-mfa') return { profile: e.profile, state: 'needs-mfa', expiresAt: e.expiresAt };
  return isFresh(e.expiresAt, now, retryMs)
    ? undefined
    : { profile: e.profile, state: 'expired', expiresAt: e.expiresAt };
}
