import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METHODS, type Envelope, type EventName, type MethodName, type MethodOutput } from '../../../contract/ipc';
import { sessionAccount, vaultAccount } from '../../../main/aws/profiles';
import { clockTime } from '../../../main/core/readiness';
import { sessionEventOf } from '../../../main/app/aws/refresh';
import { createIpcBackend } from '../../../main/ipc/index';
import { applyEnv } from '../../support/aws-env';
import { readTree } from '../../support/cli';
import { SECRET_MARK, startAwsStub, type AwsStub } from '../../support/aws-stub';
import {
  createSandbox,
  memoryClipboard,
  memoryKeychain,
  offlineRuntime,
  TRUSTED,
  type Sandbox,
} from '../../support/ipc-sandbox';

// The aws.* methods over the real aws/ functions, against an in-process STS + IAM stub and AWS files in a temp
// folder: what each returns, what it writes and audits, the events, the MFA prompt, the readiness item, and that
// no secret the stub issued crosses the bridge or lands in app data.

const MFA = 'arn:aws:iam::123456789012:mfa/dev';
const CONFIG = `# hand-written config
[profile dev]
region = eu-west-1
mfa_serial = ${MFA}

[profile plain]
region = us-east-1

[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = dev

[profile sso-one]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
`;

let stub: AwsStub;
let awsDir: string;
let sb: Sandbox;
let envelopes: Envelope<unknown>[];

function files() {
  return { config: path.join(awsDir, 'config'), credentials: path.join(awsDir, 'credentials') };
}
const credentialsText = () => readFileSync(files().credentials, 'utf8');

beforeEach(async () => {
  stub = await startAwsStub();
  awsDir = mkdtempSync(path.join(tmpdir(), 'latchkey-ipc-aws-'));
  const [key] = stub.userKeys();
  writeFileSync(files().config, CONFIG);
  writeFileSync(
    files().credentials,
    `# keys\n[plain]\naws_access_key_id = ${key!.accessKeyId}\naws_secret_access_key = ${key!.secretAccessKey}\n`,
    { mode: 0o600 },
  );
  sb = createSandbox({
    awsEnv: {
      HOME: awsDir,
      AWS_CONFIG_FILE: files().config,
      AWS_SHARED_CREDENTIALS_FILE: files().credentials,
      AWS_ENDPOINT_URL: stub.endpoint,
      AWS_REGION: 'us-east-1',
    },
  });
  // dev's keys are in the keychain (the same IAM user as plain's: the stub has one).
  await sb.keychain.set(vaultAccount('dev'), JSON.stringify(key));
  envelopes = [];
});

afterEach(async () => {
  sb.cleanup();
  rmSync(awsDir, { recursive: true, force: true });
  await stub.stop();
});

async function call<M extends MethodName>(method: M, payload: unknown): Promise<Envelope<MethodOutput<M>>> {
  const envelope = (await sb.call(method, payload)) as Envelope<MethodOutput<M>>;
  envelopes.push(envelope);
  return envelope;
}

async function ok<M extends MethodName>(method: M, payload: unknown): Promise<MethodOutput<M>> {
  const envelope = await call(method, payload);
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error.code}: ${envelope.error.message}`);
  expect(METHODS[method].output.safeParse(envelope.value).success).toBe(true);
  return envelope.value;
}

const auditActions = async () =>
  (await ok('audit.tail', { limit: 100 })).events.map((e) => [e.action, e.profile, e.outcome]);
const awsEvents = (event: EventName = 'aws.session') =>
  sb.events.filter((e) => e.event === event).map((e) => e.payload);

/** No secret the stub issued, anywhere the renderer or the disk could see it. */
function expectNoSecrets(): void {
  expect(JSON.stringify(envelopes)).not.toContain(SECRET_MARK);
  expect(JSON.stringify(sb.events)).not.toContain(SECRET_MARK);
  expect(sb.logs).toEqual([]);
  for (const { file, text } of readTree(sb.appDir)) expect(text, file).not.toContain(SECRET_MARK);
}

describe('aws.list', () => {
  it('lists every profile with its kind, region, MFA, role and session; the [default] section mirrors one', async () => {
    const { profiles } = await ok('aws.list', {});
    expect(profiles.map((p) => [p.name, p.kind, p.isDefault, p.session.active])).toEqual([
      ['admin', 'role', false, false],
      ['dev', 'keychain-keys', false, false],
      ['plain', 'file-keys', false, false],
      ['sso-one', 'sso', false, false],
    ]);
    expect(profiles.find((p) => p.name === 'dev')).toEqual({
      name: 'dev',
      kind: 'keychain-keys',
      region: 'eu-west-1',
      mfaSerial: MFA,
      latchkeyProcess: false,
      isDefault: false,
      session: { active: false, managed: false },
    });
    expect(profiles.find((p) => p.name === 'admin')).toMatchObject({
      roleArn: 'arn:aws:iam::123456789012:role/admin',
      sourceProfile: 'dev',
    });

    await ok('aws.useDefault', { profile: 'plain' });
    const after = (await ok('aws.list', {})).profiles;
    expect(after.filter((p) => p.isDefault).map((p) => p.name)).toEqual(['default', 'plain']);
    expect(after.find((p) => p.name === 'default')).toMatchObject({ session: { active: true, managed: true } });
    expect(await auditActions()).toContainEqual(['profile.switch', 'plain', 'ok']);
    expectNoSecrets();
  });

  it('the AWS files are read from the environment it was given, and missing files are no profiles', async () => {
    rmSync(files().config);
    rmSync(files().credentials);
    expect((await ok('aws.list', {})).profiles).toEqual([]);
  });
});

describe('aws.login / aws.logout', () => {
  it('asks for the MFA code (NEEDS_INPUT, missing MFA) before calling AWS, then starts, writes, audits and emits', async () => {
    const first = await call('aws.login', { profile: 'dev' });
    expect(first).toMatchObject({ ok: false, error: { code: 'NEEDS_INPUT', missing: ['MFA'] } });
    expect(!first.ok && first.error.message).toBe('profile dev needs an MFA code to start a session');
    expect(stub.calls).toEqual([]);

    expect(sb.awsClientsForgotten()).toBe(0);
    const { expiresAt } = await ok('aws.login', { profile: 'dev', mfaCode: '123456' });
    // The SDK clients built before would go on signing with what they resolved then.
    expect(sb.awsClientsForgotten()).toBe(1);
    expect(Date.parse(expiresAt!)).toBeGreaterThan(Date.now() + 11 * 3600_000);
    expect(stub.calls).toEqual([{ action: 'GetSessionToken', tokenCode: '123456' }]);
    expect(credentialsText()).toMatch(
      /\[dev\]\naws_access_key_id = ASIA\w+\naws_secret_access_key = \w+\naws_session_token = \w+\nx_latchkey_managed = true\nx_latchkey_expiration = /,
    );
    expect(credentialsText()).toContain('[plain]');
    expect(awsEvents()).toEqual([{ profile: 'dev', state: 'started', expiresAt }]);
    const dev = (await ok('aws.list', {})).profiles.find((p) => p.name === 'dev');
    expect(dev?.session).toEqual({ active: true, managed: true, expiresAt });

    // A second login reuses the cached session: no code, no STS call.
    expect(await ok('aws.login', { profile: 'dev' })).toEqual({ expiresAt });
    expect(stub.calls).toHaveLength(1);

    const forgottenBeforeLogout = sb.awsClientsForgotten();
    await ok('aws.logout', { profile: 'dev' });
    // An ended session must not go on reading secrets through a client that still holds its keys.
    expect(sb.awsClientsForgotten()).toBe(forgottenBeforeLogout + 1);
    expect(credentialsText()).not.toContain('[dev]');
    expect(sb.keychain.entries.has(sessionAccount('dev'))).toBe(false);
    expect(awsEvents().at(-1)).toEqual({ profile: 'dev', state: 'stopped' });
    expect(await auditActions()).toEqual([
      ['session.start', 'dev', 'ok'],
      ['session.start', 'dev', 'ok'],
      ['session.stop', 'dev', 'ok'],
    ]);
    expectNoSecrets();
  });

  it('a role with an MFA source asks for the code too; NEEDS_INPUT that no code answers stays as it is', async () => {
    expect(await call('aws.login', { profile: 'admin' })).toMatchObject({
      ok: false,
      error: { code: 'NEEDS_INPUT', missing: ['MFA'] },
    });
    const { expiresAt } = await ok('aws.login', { profile: 'admin', mfaCode: '654321' });
    expect(stub.calls.map((c) => c.action)).toEqual(['GetSessionToken', 'AssumeRole']);
    expect(expiresAt).toBeDefined();

    await sb.keychain.delete(vaultAccount('dev'));
    writeFileSync(files().config, `${CONFIG}\n[profile bare]\nregion = us-east-1\n`);
    const bare = await call('aws.login', { profile: 'bare' });
    expect(bare.ok).toBe(false);
    expect(!bare.ok && bare.error.code).toBe('NEEDS_INPUT');
    expect(!bare.ok && bare.error.missing).toBeUndefined();
  });

  it('refuses to overwrite long-lived keys in the file with a clean error, and leaves the file as it was', async () => {
    const before = credentialsText();
    expect(await call('aws.login', { profile: 'plain' })).toMatchObject({
      ok: false,
      error: { code: 'TARGET_UNSAFE' },
    });
    expect(credentialsText()).toBe(before);
    expect(await call('aws.login', { profile: 'ghost' })).toMatchObject({
      ok: false,
      error: { code: 'PROFILE_NOT_FOUND' },
    });
    expectNoSecrets();
  });
});

describe('aws.import, aws.keys, aws.rotateKey', () => {
  it('imports with removePlaintext, shows the keys by their last four characters, rotates, each audited once', async () => {
    const [old] = stub.userKeys();
    const imported = await ok('aws.import', { profile: 'plain', removePlaintext: true });
    expect(imported).toEqual({ removedPlaintext: true, backup: `${files().credentials}.latchkey-backup` });
    expect(credentialsText()).not.toContain(old!.secretAccessKey);
    expect(readFileSync(imported.backup!, 'utf8')).not.toContain(old!.secretAccessKey);
    expect(JSON.parse(sb.keychain.entries.get(vaultAccount('plain'))!)).toEqual(old);
    expect((await ok('aws.list', {})).profiles.find((p) => p.name === 'plain')?.kind).toBe('keychain-keys');

    const { keys } = await ok('aws.keys', { profile: 'plain' });
    expect(keys).toEqual([
      {
        idTail: old!.accessKeyId.slice(-4),
        status: 'Active',
        createdAt: expect.any(String),
        rotation: { status: 'ok', maxAgeDays: 90, ageDays: 0 },
        lastUsedAt: expect.any(String),
        lastUsedService: 'sts',
      },
    ]);

    const rotated = await ok('aws.rotateKey', { profile: 'plain', confirm: true });
    const [now] = stub.userKeys();
    expect(now!.accessKeyId).not.toBe(old!.accessKeyId);
    expect(rotated).toEqual({
      newKeyIdTail: now!.accessKeyId.slice(-4),
      deletedKeyIdTail: old!.accessKeyId.slice(-4),
      detail: `The new key …${now!.accessKeyId.slice(-4)} works and is in the keychain; the old key …${old!.accessKeyId.slice(-4)} is deleted in IAM.`,
    });
    expect(JSON.parse(sb.keychain.entries.get(vaultAccount('plain'))!)).toEqual(now);
    expect(await auditActions()).toEqual([
      ['key.import', 'plain', 'ok'],
      ['key.rotate', 'plain', 'ok'],
    ]);
    const whole = JSON.stringify(envelopes);
    expect(whole).not.toContain(old!.accessKeyId);
    expect(whole).not.toContain(now!.accessKeyId);
    expectNoSecrets();
  });

  it('rotation at the IAM limit says so, and changes nothing', async () => {
    await ok('aws.import', { profile: 'plain', removePlaintext: false });
    await ok('aws.rotateKey', { profile: 'plain', confirm: true });
    // A second key made elsewhere: the user is at the limit of two.
    const [current] = stub.userKeys();
    await sb.keychain.set(vaultAccount('plain'), JSON.stringify(current));
    const { IAMClient, CreateAccessKeyCommand } = await import('@aws-sdk/client-iam');
    const iam = new IAMClient({ endpoint: stub.endpoint, region: 'us-east-1', credentials: current! });
    await iam.send(new CreateAccessKeyCommand({}));
    iam.destroy();
    const refused = await call('aws.rotateKey', { profile: 'plain', confirm: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'SOURCE_FAILED' } });
    expect(!refused.ok && refused.error.message).toMatch(/already has two access keys/);
    expect(stub.userKeys()).toHaveLength(2);
    expectNoSecrets();
  });

  it('a profile without keys: aws.keys and aws.rotateKey say what to do, not INTERNAL', async () => {
    expect(await call('aws.keys', { profile: 'sso-one' })).toMatchObject({
      ok: false,
      error: { code: 'SOURCE_FAILED' },
    });
    expect(await call('aws.rotateKey', { profile: 'admin', confirm: true })).toMatchObject({
      ok: false,
      error: { code: 'NEEDS_INPUT', hint: expect.stringContaining('import') },
    });
    expect(await call('aws.import', { profile: 'dev', removePlaintext: true })).toMatchObject({
      ok: false,
      error: { code: 'PROFILE_NOT_FOUND' },
    });
    expect(sb.logs).toEqual([]);
  });
});

describe('readiness: the aws-sessions item', () => {
  const manifest = (profile: string) =>
    `version: 1\naws: { profile: ${profile}, region: us-east-1 }\nprofiles:\n  dev:\n    sources:\n      - chamber: api/dev\n`;
  const sessionItem = async (profile: string) => {
    const dir = sb.project(`p-${profile}-${Math.random().toString(36).slice(2)}`, manifest(profile));
    const projectId = await sb.openProject(dir);
    return (await ok('readiness', { projectId, profile: 'dev' })).items.find((i) => i.id.startsWith('aws-sessions'));
  };

  it('missing with aws-login while an MFA profile has no session, ok with the time once it has one', async () => {
    expect(await sessionItem('dev')).toEqual({
      id: 'aws-sessions',
      label: 'AWS session for profile dev',
      state: 'missing',
      detail: 'needs an MFA session',
      action: 'aws-login:dev',
    });
    const { expiresAt } = await ok('aws.login', { profile: 'dev', mfaCode: '123456' });
    expect(await sessionItem('dev')).toEqual({
      id: 'aws-sessions',
      label: 'AWS session for profile dev',
      state: 'ok',
      detail: `session active until ${clockTime(expiresAt!)}`,
    });
    await ok('aws.logout', { profile: 'dev' });
    expect((await sessionItem('dev'))?.state).toBe('missing');
  });

  it('ok for long-lived keys, unavailable for a profile the AWS files do not have, absent without AWS sources', async () => {
    expect(await sessionItem('plain')).toMatchObject({ state: 'ok', detail: 'long-lived credentials' });
    expect(await sessionItem('ghost')).toMatchObject({
      state: 'unavailable',
      detail: 'no AWS profile named ghost in the config or credentials file',
    });
    const dir = sb.project('no-aws', 'version: 1\nprofiles:\n  dev:\n    sources:\n      - set: { A: b }\n');
    const projectId = await sb.openProject(dir);
    expect((await ok('readiness', { projectId, profile: 'dev' })).items.map((i) => i.id)).not.toContain('aws-sessions');
  });

  it('clockTime is HH:MM on this machine, and leaves an unreadable date as it is', () => {
    const at = new Date(2030, 0, 2, 7, 5);
    expect(clockTime(at.toISOString())).toBe('07:05');
    expect(clockTime('soon')).toBe('soon');
  });
});

describe('session refresher in the backend', () => {
  it('maps refresher news to aws.session events: a failure is news only once the session is about to lapse', () => {
    const now = new Date('2030-01-01T10:00:00Z');
    expect(sessionEventOf({ profile: 'p', state: 'refreshed', expiresAt: '2030-01-01T22:00:00Z' }, now)).toEqual({
      profile: 'p',
      state: 'refreshed',
      expiresAt: '2030-01-01T22:00:00Z',
    });
    expect(sessionEventOf({ profile: 'p', state: 'needs-mfa', expiresAt: '2030-01-01T10:04:00Z' }, now)).toEqual({
      profile: 'p',
      state: 'needs-mfa',
      expiresAt: '2030-01-01T10:04:00Z',
    });
    expect(
      sessionEventOf({ profile: 'p', state: 'failed', expiresAt: '2030-01-01T10:30:00Z', error: 'SOURCE_FAILED' }, now),
    ).toBeUndefined();
    expect(
      sessionEventOf({ profile: 'p', state: 'failed', expiresAt: '2030-01-01T10:00:30Z', error: 'SOURCE_FAILED' }, now),
    ).toEqual({ profile: 'p', state: 'expired', expiresAt: '2030-01-01T10:00:30Z' });
  });

  it('createIpcBackend refreshes a managed session about to expire, emits aws.session, and stops on dispose', async () => {
    const [key] = stub.userKeys();
    const soon = new Date(Date.now() + 2 * 60_000).toISOString();
    writeFileSync(files().config, '[profile auto]\nregion = us-east-1\n');
    writeFileSync(
      files().credentials,
      `[auto]\naws_access_key_id = ASIAOLD\naws_secret_access_key = ${SECRET_MARK}old\naws_session_token = ${SECRET_MARK}oldtoken\nx_latchkey_managed = true\nx_latchkey_expiration = ${soon}\n`,
      { mode: 0o600 },
    );
    const keychain = memoryKeychain();
    await keychain.set(vaultAccount('auto'), JSON.stringify(key));
    const appDir = path.join(awsDir, 'app');
    const events: { event: string; payload: unknown }[] = [];
    const undoEnv = applyEnv({
      AWS_CONFIG_FILE: files().config,
      AWS_SHARED_CREDENTIALS_FILE: files().credentials,
      AWS_ENDPOINT_URL: stub.endpoint,
      AWS_REGION: 'us-east-1',
    });
    try {
      const backend = createIpcBackend({
        runtime: offlineRuntime(appDir, keychain),
        emit: (event, payload) => void events.push({ event, payload }),
        pickFolder: async () => null,
        // Nothing here configures 1Password: a new Connect server would be refused, as an unconfirmed one is.
        confirmConnectHost: async () => false,
        openExternal: async () => undefined,
        clipboard: memoryClipboard(),
        allowedOrigins: ['https://latchkey.test'],
      });
      await expect.poll(() => events.filter((e) => e.event === 'aws.session').length, { timeout: 10_000 }).toBe(1);
      // state.changed is pushed alongside (the state store follows the files): the first session news is this one.
      expect(events.find((e) => e.event === 'aws.session')).toEqual({
        event: 'aws.session',
        payload: { profile: 'auto', state: 'refreshed', expiresAt: expect.any(String) },
      });
      expect(credentialsText()).not.toContain('ASIAOLD');
      const listed = await backend.router.handle('aws.list', TRUSTED, {});
      expect(listed).toMatchObject({
        ok: true,
        value: { profiles: [{ name: 'auto', session: { active: true, managed: true } }] },
      });
      await backend.dispose();
      expect(JSON.stringify(events)).not.toContain(SECRET_MARK);
      expect(JSON.stringify(listed)).not.toContain(SECRET_MARK);
      for (const { file, text } of readTree(appDir)) expect(text, file).not.toContain(SECRET_MARK);
    } finally {
      undoEnv();
    }
  });
});
