import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AwsProfileView, EventPayload } from '../../../contract/ipc';
import { listProfileViews } from '../../../main/app/aws/profiles';
import { createStateStore, type StateChange } from '../../../main/app/state-store';
import { vaultAccount } from '../../../main/aws/profiles';
import { SECRET_MARK, startAwsStub, type AwsStub } from '../../support/aws-stub';
import { createSandbox, offlineRuntime, type Sandbox } from '../../support/ipc-sandbox';

// The one state model (issue 14): the store alone, over a derivation the test controls; then behind the real
// handlers, over the aws/ functions, an in-process STS stub and AWS files in a temp folder.

const view = (name: string, active: boolean, expiresAt?: string): AwsProfileView => ({
  name,
  kind: 'keychain-keys',
  latchkeyProcess: false,
  isDefault: false,
  session: { active, managed: active, ...(expiresAt && { expiresAt }) },
});

describe('the state store', () => {
  it('pushes a derivation that differs, in order with growing revisions, and nothing when it is the same', async () => {
    let truth = [view('dev', false)];
    const pushed: StateChange[] = [];
    const store = createStateStore({ readSessions: async () => truth, emit: (c) => void pushed.push(c) });
    expect(await store.refresh()).toEqual(truth);
    expect(await store.refresh()).toEqual(truth);
    truth = [view('dev', true, '2030-01-01T00:00:00.000Z')];
    await store.refresh();
    expect(pushed).toEqual([
      { revision: 1, sessions: [view('dev', false)], profiles: [] },
      { revision: 2, sessions: truth, profiles: [] },
    ]);
  });

  it('runs one derivation at a time; callers during one share the next, which sees their change', async () => {
    let reads = 0;
    let release: () => void = () => undefined;
    let truth = 'a';
    const pushed: string[] = [];
    const store = createStateStore({
      readSessions: async () => {
        reads += 1;
        const seen = truth;
        if (reads === 1) await new Promise<void>((resolve) => (release = resolve));
        return [view(seen, false)];
      },
      emit: (c) => void pushed.push(c.sessions[0]!.name),
    });
    const first = store.refresh();
    truth = 'b';
    const second = store.refresh();
    const third = store.refresh();
    expect(third).toBe(second);
    release();
    expect((await first)[0]!.name).toBe('a');
    expect((await second)[0]!.name).toBe('b');
    expect(reads).toBe(2);
    expect(pushed).toEqual(['a', 'b']);
  });

  it('a failed derivation pushes nothing and leaves the last state; the next one works', async () => {
    let fail = true;
    const pushed: StateChange[] = [];
    const store = createStateStore({
      readSessions: async () => {
        if (fail) throw new Error('unreadable');
        return [view('dev', false)];
      },
      emit: (c) => void pushed.push(c),
    });
    await expect(store.refresh()).rejects.toThrow('unreadable');
    expect(pushed).toEqual([]);
    fail = false;
    await store.refresh();
    expect(pushed).toHaveLength(1);
  });
});

describe('the state store behind the handlers', () => {
  const MFA = 'arn:aws:iam::123456789012:mfa/dev';
  let stub: AwsStub;
  let awsDir: string;
  let sb: Sandbox;
  const env = () => ({
    HOME: awsDir,
    AWS_CONFIG_FILE: path.join(awsDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
    AWS_ENDPOINT_URL: stub.endpoint,
    AWS_REGION: 'us-east-1',
  });
  const pushes = () =>
    sb.events.filter((e) => e.event === 'state.changed').map((e) => e.payload as EventPayload<'state.changed'>);
  const devSession = (change: EventPayload<'state.changed'> | undefined) =>
    change?.sessions.find((p) => p.name === 'dev')?.session;

  beforeEach(async () => {
    stub = await startAwsStub();
    awsDir = mkdtempSync(path.join(tmpdir(), 'latchkey-state-'));
    writeFileSync(path.join(awsDir, 'config'), `[profile dev]\nregion = eu-west-1\nmfa_serial = ${MFA}\n`);
    sb = createSandbox({ awsEnv: env() });
  });

  afterEach(async () => {
    sb.cleanup();
    rmSync(awsDir, { recursive: true, force: true });
    await stub.stop();
  });

  it('a login is pushed as the list will answer; a failed one pushes nothing; a logout is pushed', async () => {
    await sb.keychain.set(vaultAccount('dev'), JSON.stringify(stub.userKeys()[0]));
    const listed = await sb.call('aws.list', {});
    expect(pushes()).toHaveLength(1);
    expect(devSession(pushes()[0])).toEqual({ active: false, managed: false });

    // No code: the prompt, and no change.
    expect(await sb.call('aws.login', { profile: 'dev' })).toMatchObject({ ok: false, error: { code: 'NEEDS_INPUT' } });
    expect(pushes()).toHaveLength(1);

    const login = await sb.call('aws.login', { profile: 'dev', mfaCode: '123456' });
    expect(login.ok).toBe(true);
    const after = pushes().at(-1);
    expect(pushes()).toHaveLength(2);
    expect(devSession(after)).toMatchObject({ active: true, managed: true });
    expect(await sb.call('aws.list', {})).toEqual({ ok: true, value: { profiles: after!.sessions } });
    expect(pushes()).toHaveLength(2);

    expect((await sb.call('aws.logout', { profile: 'dev' })).ok).toBe(true);
    expect(devSession(pushes().at(-1))).toEqual({ active: false, managed: false });
    expect(pushes().at(-1)!.sessions).toEqual((listed as { value: { profiles: unknown } }).value.profiles);
    expect(JSON.stringify(sb.events)).not.toContain(SECRET_MARK);
  });

  it('plaintext keys: the refused login claims no session; Import in place, then the same code starts it', async () => {
    const [key] = stub.userKeys();
    writeFileSync(
      path.join(awsDir, 'credentials'),
      `[dev]\naws_access_key_id = ${key!.accessKeyId}\naws_secret_access_key = ${key!.secretAccessKey}\n`,
      { mode: 0o600 },
    );
    await sb.call('aws.list', {});
    const refused = await sb.call('aws.login', { profile: 'dev', mfaCode: '123456' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'TARGET_UNSAFE', action: 'import-aws-keys' } });
    expect(stub.calls).toEqual([]);
    expect(pushes()).toHaveLength(1);
    expect(devSession(pushes()[0])).toEqual({ active: false, managed: false });

    expect((await sb.call('aws.import', { profile: 'dev', removePlaintext: true })).ok).toBe(true);
    expect(
      pushes()
        .at(-1)!
        .sessions.find((p) => p.name === 'dev')?.kind,
    ).toBe('keychain-keys');
    expect((await sb.call('aws.login', { profile: 'dev', mfaCode: '123456' })).ok).toBe(true);
    expect(stub.calls).toEqual([{ action: 'GetSessionToken', tokenCode: '123456' }]);
    expect(devSession(pushes().at(-1))).toMatchObject({ active: true });
    expect(JSON.stringify(sb.events)).not.toContain(SECRET_MARK);
    expect(JSON.stringify(sb.events)).not.toContain(key!.secretAccessKey);
  });

  it('follows what nobody told it: the CLI writing the credentials file, and a session running out', async () => {
    const pushed: StateChange[] = [];
    const deps = { runtime: offlineRuntime(sb.appDir, sb.keychain), awsEnv: env() };
    const store = createStateStore({
      readSessions: () => listProfileViews(deps),
      emit: (c) => void pushed.push(c),
      debounceMs: 20,
    });
    try {
      store.follow(env);
      await expect.poll(() => pushed.length).toBe(1);
      expect(devSession(pushed[0])).toEqual({ active: false, managed: false });

      // Another process (the CLI) writes a session that lapses (by isFresh's minute of margin) in about 1.5 s.
      const expires = new Date(Date.now() + 61_500).toISOString();
      writeFileSync(
        path.join(awsDir, 'credentials'),
        `[dev]\naws_access_key_id = ASIAX\naws_secret_access_key = x\naws_session_token = y\nx_latchkey_managed = true\nx_latchkey_expiration = ${expires}\n`,
        { mode: 0o600 },
      );
      await expect.poll(() => pushed.length, { timeout: 5_000 }).toBe(2);
      expect(devSession(pushed[1])).toEqual({ active: true, managed: true, expiresAt: expires });
      // No file changes now: the clock alone ends it.
      await expect.poll(() => pushed.length, { timeout: 6_000 }).toBe(3);
      expect(devSession(pushed[2])).toMatchObject({ active: false, managed: true });
    } finally {
      store.dispose();
    }
  });
});
