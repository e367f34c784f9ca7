import { readAwsProfiles } from '../../aws/profiles';
import { refreshNeedsMfa } from '../../aws/refresher';
import { startSession, stopSession, useAsDefault, type StartedSession } from '../../aws/sessions';
import { isLatchkeyError } from '../../core/errors';
import { NeedsInputError } from '../../core/keychain';
import { awsEnvOf, nowOf, type AppDeps } from '../deps';

export type { StartedSession };

/** What the app's MFA prompt keys on: NEEDS_INPUT whose `missing` is this one name. */
const MFA_INPUT = 'MFA';

/**
 * NEEDS_INPUT with `missing: ['MFA']`, so the app shows the code prompt and calls again with the code. It is a
 * NeedsInputError because that is what the IPC layer turns into `missing`; the message and hint speak of MFA.
 */
export class MfaCodeNeeded extends NeedsInputError {
  override readonly hint = 'Enter the current code of your MFA device to start the session.';
  constructor(profile: string) {
    super([{ name: MFA_INPUT, account: '' }]);
    this.message = `profile ${profile} needs an MFA code to start a session`;
  }
}

export type SessionChange =
  { profile: string; state: 'started'; expiresAt: string } | { profile: string; state: 'stopped' };

export interface SessionsDeps extends AppDeps {
  /**
   * The app asks for a code in a prompt: a session that needs one fails with MfaCodeNeeded. Without this the
   * plain error stands, whose hint names `--mfa-code` for the CLI.
   */
  signalMfa?: boolean;
  /** Told after a session started or stopped (the app's window, the session refresher). */
  onSessionChange?: (change: SessionChange) => Promise<void> | void;
}

export interface LoginRequest {
  profile: string;
  mfaCode?: string | undefined;
  /** Also write the session into [default]. */
  asDefault?: boolean | undefined;
  durationSeconds?: number | undefined;
}

// The aws/ functions write the audit events themselves (session.start, session.stop, profile.switch): nothing is
// audited twice here, and no credential leaves them but into the credentials file.

/** Starts (or reuses) a session (GetSessionToken or AssumeRole) and writes it into the profile. */
export async function login(deps: SessionsDeps, request: LoginRequest): Promise<StartedSession> {
  const { profile, mfaCode } = request;
  const started = await asMfaPrompt(deps, profile, mfaCode, () =>
    startSession(profile, {
      ...sessionOptions(deps),
      ...(mfaCode && { mfaCode }),
      ...(request.asDefault && { asDefault: request.asDefault }),
      ...(request.durationSeconds && { durationSeconds: request.durationSeconds }),
    }),
  );
  await deps.onSessionChange?.({ profile, state: 'started', expiresAt: started.expiration });
  return started;
}

/** Stops a profile's session: removes its temporary keys and forgets the cached session. */
export async function logout(deps: SessionsDeps, profile: string): Promise<{ removedFrom: string[] }> {
  const stopped = await stopSession(profile, sessionOptions(deps));
  await deps.onSessionChange?.({ profile, state: 'stopped' });
  return stopped;
}

/** Makes the profile's session the default ([default] in the credentials file), starting one when needed. */
export async function useAsDefaultProfile(
  deps: SessionsDeps,
  request: { profile: string; mfaCode?: string | undefined },
): Promise<StartedSession> {
  const { profile, mfaCode } = request;
  const started = await asMfaPrompt(deps, profile, mfaCode, () =>
    useAsDefault(profile, { ...sessionOptions(deps), ...(mfaCode && { mfaCode }) }),
  );
  await deps.onSessionChange?.({ profile, state: 'started', expiresAt: started.expiration });
  return started;
}

function sessionOptions(deps: AppDeps) {
  return { keychain: deps.runtime.keychain, env: awsEnvOf(deps), appDir: deps.runtime.appDir };
}

/** A NEEDS_INPUT that an MFA code would answer becomes the prompt; any other (no keys yet) stays as it is. */
async function asMfaPrompt<T>(
  deps: SessionsDeps,
  profile: string,
  mfaCode: string | undefined,
  start: () => Promise<T>,
): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (!deps.signalMfa || mfaCode || !isLatchkeyError(error) || error.code !== 'NEEDS_INPUT') throw error;
    if (error instanceof NeedsInputError) throw error;
    const files = await readAwsProfiles(awsEnvOf(deps));
    const needsCode = await refreshNeedsMfa(profile, files, deps.runtime.keychain, nowOf(deps)).catch(() => false);
    throw needsCode ? new MfaCodeNeeded(profile) : error;
  }
}
