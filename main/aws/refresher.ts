import { appendAuditEvent } from '../core/audit';
import { LatchkeyError } from '../core/errors';
import type { Keychain } from '../core/keychain';
import type { AwsClientOptions } from './clients';
import { readAwsFile } from './files';
import { readIniSections } from './ini';
import { EXPIRATION_KEY, isFresh, MANAGED_KEY, readAwsProfiles, type AwsFilesView } from './profiles';
import { mergedProfile, startSession } from './sessions';
import { readCachedSession } from './vault';

/**
 * Refreshes Latchkey's sessions before they expire while the app runs. A refresh that needs no MFA code (a role
 * assumed from a still-valid cached MFA session, or GetSessionToken for a profile without mfa_serial) happens
 * silently and rewrites the profile's section. One that needs a new code is never prompted for here: the
 * refresher emits `needs-mfa` and the UI asks the user when it suits them.
 */

type RefreshState = 'refreshed' | 'needs-mfa' | 'failed';

export interface RefreshEvent {
  profile: string;
  state: RefreshState;
  /** The expiry of the session now on disk: the new one after `refreshed`, the old one otherwise. */
  expiresAt: string;
  /** For `failed`: the error code, never a credential. */
  error?: string;
}

/** What starts a session without a code; the real one is `startSession` with the cache skipped. */
type SessionStarter = (profile: string, opts: { asDefault: boolean }) => Promise<{ expiration: string }>;

export interface RefresherOptions extends AwsClientOptions {
  keychain: Keychain;
  onEvent: (event: RefreshEvent) => void;
  now?: () => Date;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  refreshBeforeMs?: number;
  /** After a failed refresh, try again this much later while the session is still valid. */
  retryMs?: number;
  startSession?: SessionStarter;
  appDir?: string;
}

export interface SessionRefresher {
  /** Re-reads the credentials file and (re)schedules every managed session in it; call after a login. */
  scan(): Promise<void>;
  /** The profiles with a refresh scheduled. */
  scheduled(): string[];
  /** Resolves once no refresh is running (tests, and a clean shutdown). */
  idle(): Promise<void>;
  stop(): void;
}

const DEFAULT_REFRESH_BEFORE_MS = 5 * 60_000;
// setTimeout fires at once for delays past 2^31-1 ms; a longer wait is re-armed instead.
const MAX_TIMER_MS = 2 ** 31 - 1;

interface ManagedSession {
  profile: string;
  expiration: string;
  /** `[default]` holds a copy of this profile's session. */
  alsoDefault: boolean;
}

/** Every managed section of the credentials file, `[default]` folded into the profile whose session it copies. */
export function managedSessions(credentialsText: string): ManagedSession[] {
  const sections = readIniSections(credentialsText);
  const managed = [...sections].filter(([, v]) => v[MANAGED_KEY] === 'true' && v[EXPIRATION_KEY]);
  const defaultKey =
    sections.get('default')?.[MANAGED_KEY] === 'true' ? sections.get('default')?.aws_access_key_id : undefined;
  const copied = managed.some(([name, v]) => name !== 'default' && v.aws_access_key_id === defaultKey);
  return managed
    .filter(([name]) => !(name === 'default' && copied))
    .map(([name, v]) => ({
      profile: name,
      expiration: v[EXPIRATION_KEY] as string,
      alsoDefault: name !== 'default' && copied && v.aws_access_key_id === defaultKey,
    }));
}

/** True when refreshing `profile` needs a new MFA code: GetSessionToken with mfa_serial, or a role without a valid source MFA session. */
export async function refreshNeedsMfa(
  profile: string,
  files: AwsFilesView,
  keychain: Keychain,
  now: Date,
): Promise<boolean> {
  const data = mergedProfile(files, profile) ?? {};
  if (!data.role_arn) return Boolean(data.mfa_serial);
  const source = data.source_profile;
  const sourceData = source ? (mergedProfile(files, source) ?? {}) : {};
  if (!(data.mfa_serial ?? sourceData.mfa_serial)) return false;
  const cached = source ? await readCachedSession(keychain, source).catch(() => undefined) : undefined;
  return !(cached && isFresh(cached.expiration, now));
}

export function createSessionRefresher(opts: RefresherOptions): SessionRefresher {
  const now = opts.now ?? (() => new Date());
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
  const clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  const before = opts.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
  const retryMs = opts.retryMs ?? 60_000;
  const start: SessionStarter =
    opts.startSession ??
    ((profile, { asDefault }) =>
      startSession(profile, {
        keychain: opts.keychain,
        env: opts.env,
        endpoint: opts.endpoint,
        region: opts.region,
        skipCache: true,
        asDefault,
        now: now(),
      }));
  const timers = new Map<string, unknown>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const cancel = (profile: string) => {
    if (timers.has(profile)) clearTimer(timers.get(profile));
    timers.delete(profile);
  };

  const schedule = (session: ManagedSession, at: number) => {
    cancel(session.profile);
    if (stopped) return;
    const wait = Math.max(0, at - now().getTime());
    timers.set(
      session.profile,
      setTimer(
        () => {
          timers.delete(session.profile);
          if (wait > MAX_TIMER_MS) schedule(session, at);
          else {
            const run = refresh(session).finally(() => running.delete(run));
            running.add(run);
          }
        },
        Math.min(wait, MAX_TIMER_MS),
      ),
    );
  };

  const audit = async (profile: string, outcome: 'ok' | 'error', detail: string) => {
    if (opts.appDir)
      await appendAuditEvent(opts.appDir, { action: 'session.refresh', profile, outcome, detail }).catch(
        () => undefined,
      );
  };

  const refresh = async (session: ManagedSession) => {
    if (stopped) return;
    const { profile, expiration } = session;
    try {
      const files = await readAwsProfiles(opts.env);
      if (await refreshNeedsMfa(profile, files, opts.keychain, now())) {
        opts.onEvent({ profile, state: 'needs-mfa', expiresAt: expiration });
        return;
      }
      const started = await start(profile, { asDefault: session.alsoDefault });
      if (stopped) return;
      await audit(profile, 'ok', `expires ${started.expiration}`);
      opts.onEvent({ profile, state: 'refreshed', expiresAt: started.expiration });
      const next = { ...session, expiration: started.expiration };
      schedule(next, Date.parse(started.expiration) - before);
    } catch (error) {
      if (stopped) return;
      const code =
        error instanceof LatchkeyError ? error.code : ((error as { name?: string } | null)?.name ?? 'unknown error');
      await audit(profile, 'error', code);
      opts.onEvent({
        profile,
        state: code === 'NEEDS_INPUT' ? 'needs-mfa' : 'failed',
        expiresAt: expiration,
        ...(code !== 'NEEDS_INPUT' && { error: code }),
      });
      const retryAt = now().getTime() + retryMs;
      if (code !== 'NEEDS_INPUT' && retryAt < Date.parse(expiration)) schedule(session, retryAt);
    }
  };

  return {
    async scan() {
      const sessions = managedSessions(await readAwsFile('credentials', opts.env));
      if (stopped) return;
      const seen = new Set(sessions.map((s) => s.profile));
      for (const profile of [...timers.keys()]) if (!seen.has(profile)) cancel(profile);
      for (const s of sessions) {
        const expires = Date.parse(s.expiration);
        if (Number.isFinite(expires)) schedule(s, expires - before);
      }
    },
    scheduled: () => [...timers.keys()].sort(),
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
    stop() {
      stopped = true;
      for (const profile of [...timers.keys()]) cancel(profile);
    },
  };
}
