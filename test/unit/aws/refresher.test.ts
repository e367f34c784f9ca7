import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionAccount } from '../../../main/aws/profiles';
import {
  createSessionRefresher,
  managedSessions,
  type RefreshEvent,
  type SessionRefresher,
} from '../../../main/aws/refresher';
import { writeSessionSection } from '../../../main/aws/sessions';
import type { Keychain } from '../../../main/core/keychain';
import { useTempDir } from '../../support/temp';

function memoryKeychain(): Keychain & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (a) => entries.get(a) ?? null,
    set: async (a, s) => void entries.set(a, s),
    delete: async (a) => entries.delete(a),
  };
}

const CONFIG = `[profile plain]
region = us-east-1

[profile mfa]
mfa_serial = arn:aws:iam::123456789012:mfa/me

[profile role]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = mfa
`;

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const session = (id: string, minutes: number) => ({
  accessKeyId: id,
  secretAccessKey: `secret-${id}`,
  sessionToken: `token-${id}`,
  expiration: at(minutes),
});

const tmp = useTempDir('latchkey-refresher-');
let refresher: SessionRefresher | undefined;
afterEach(() => {
  refresher?.stop();
  vi.useRealTimers();
});

async function seed() {
  const env = {
    HOME: tmp.path,
    AWS_CONFIG_FILE: path.join(tmp.path, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(tmp.path, 'credentials'),
  };
  writeFileSync(env.AWS_CONFIG_FILE, CONFIG);
  writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE, '# mine\n[other]\nregion = x\n', { mode: 0o600 });
  return env;
}

describe('session refresher', () => {
  it('finds managed sessions and folds a [default] copy into its profile', async () => {
    const env = await seed();
    await writeSessionSection('plain', session('ASIAPLAIN', 60), env);
    await writeSessionSection('default', session('ASIAPLAIN', 60), env);
    await writeSessionSection('mfa', session('ASIAMFA', 30), env);
    expect(managedSessions(readFileSync(env.AWS_SHARED_CREDENTIALS_FILE, 'utf8'))).toEqual([
      { profile: 'plain', expiration: at(60), alsoDefault: true },
      { profile: 'mfa', expiration: at(30), alsoDefault: false },
    ]);
  });

  it('refreshes a no-MFA session 5 minutes before expiry, then schedules the next; an MFA one emits needs-mfa instead', async () => {
    vi.useFakeTimers({ now: T0 });
    const env = await seed();
    const keychain = memoryKeychain();
    await writeSessionSection('plain', session('ASIAPLAIN', 60), env);
    await writeSessionSection('mfa', session('ASIAMFA', 30), env);
    const events: RefreshEvent[] = [];
    const started: { profile: string; at: number; asDefault: boolean }[] = [];
    refresher = createSessionRefresher({
      keychain,
      env,
      onEvent: (e) => events.push(e),
      startSession: async (profile, { asDefault }) => {
        started.push({ profile, at: Date.now(), asDefault });
        return { expiration: new Date(Date.now() + 60 * 60_000).toISOString() };
      },
    });
    await refresher.scan();
    expect(refresher.scheduled()).toEqual(['mfa', 'plain']);

    await vi.advanceTimersByTimeAsync(25 * 60_000 - 1);
    await refresher.idle();
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await refresher.idle();
    expect(events).toEqual([{ profile: 'mfa', state: 'needs-mfa', expiresAt: at(30) }]);
    expect(started).toEqual([]);
    expect(refresher.scheduled()).toEqual(['plain']);

    await vi.advanceTimersByTimeAsync(30 * 60_000);
    await refresher.idle();
    expect(started).toEqual([{ profile: 'plain', at: T0 + 55 * 60_000, asDefault: false }]);
    expect(events[1]).toEqual({ profile: 'plain', state: 'refreshed', expiresAt: at(115) });
    // The next refresh is armed 5 minutes before the new expiry.
    await vi.advanceTimersByTimeAsync(55 * 60_000);
    await refresher.idle();
    expect(started.map((s) => s.at)).toEqual([T0 + 55 * 60_000, T0 + 110 * 60_000]);

    refresher.stop();
    expect(refresher.scheduled()).toEqual([]);
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    expect(started).toHaveLength(2);
  });

  it('refreshes a role silently while the source MFA session is cached, and asks for MFA once it is not', async () => {
    vi.useFakeTimers({ now: T0 });
    const env = await seed();
    const keychain = memoryKeychain();
    await writeSessionSection('role', session('ASIAROLE', 10), env);
    await writeSessionSection('default', session('ASIAROLE', 10), env);
    keychain.entries.set(sessionAccount('mfa'), JSON.stringify(session('ASIAMFA', 12 * 60)));
    const events: RefreshEvent[] = [];
    const starts: boolean[] = [];
    refresher = createSessionRefresher({
      keychain,
      env,
      onEvent: (e) => events.push(e),
      startSession: async (_p, { asDefault }) => {
        starts.push(asDefault);
        return { expiration: new Date(Date.now() + 60 * 60_000).toISOString() };
      },
    });
    await refresher.scan();
    expect(refresher.scheduled()).toEqual(['role']);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    await refresher.idle();
    expect(events).toEqual([{ profile: 'role', state: 'refreshed', expiresAt: at(65) }]);
    // [default] held the same session, so it is rewritten too.
    expect(starts).toEqual([true]);

    keychain.entries.delete(sessionAccount('mfa'));
    await vi.advanceTimersByTimeAsync(55 * 60_000);
    await refresher.idle();
    expect(events[1]).toEqual({ profile: 'role', state: 'needs-mfa', expiresAt: at(65) });
    expect(starts).toEqual([true]);
  });

  it('retries a failed refresh while the session is valid, and reports the error code only', async () => {
    vi.useFakeTimers({ now: T0 });
    const env = await seed();
    await writeSessionSection('plain', session('ASIAPLAIN', 8), env);
    const events: RefreshEvent[] = [];
    let calls = 0;
    refresher = createSessionRefresher({
      keychain: memoryKeychain(),
      env,
      retryMs: 60_000,
      onEvent: (e) => events.push(e),
      startSession: async () => {
        calls++;
        throw Object.assign(new Error('boom secret-ASIAPLAIN'), { name: 'ServiceUnavailable' });
      },
    });
    await refresher.scan();
    for (let minute = 0; minute < 10; minute++) {
      await vi.advanceTimersByTimeAsync(60_000);
      await refresher.idle();
    }
    // At 3, 4, 5, 6 and 7 minutes; not at 8, when the session has expired.
    expect(calls).toBe(5);
    expect(events.every((e) => e.state === 'failed' && e.error === 'ServiceUnavailable')).toBe(true);
    expect(JSON.stringify(events)).not.toContain('secret');
  });

  it('an immediate refresh for a session already inside the window; scan drops sessions that were stopped', async () => {
    vi.useFakeTimers({ now: T0 });
    const env = await seed();
    await writeSessionSection('plain', session('ASIAPLAIN', 2), env);
    const timers: number[] = [];
    refresher = createSessionRefresher({
      keychain: memoryKeychain(),
      env,
      setTimer: (fn, ms) => {
        timers.push(ms);
        return setTimeout(fn, ms);
      },
      onEvent: () => undefined,
      startSession: async () => ({ expiration: at(90) }),
    });
    await refresher.scan();
    expect(timers).toEqual([0]);
    writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE, '');
    await refresher.scan();
    expect(refresher.scheduled()).toEqual([]);
  });
});
