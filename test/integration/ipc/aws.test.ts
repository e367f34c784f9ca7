import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METHODS, type Envelope, type MethodName, type MethodOutput } from '../../../contract/ipc';
import { sessionAccount, vaultAccount } from '../../../main/aws/profiles';
import { clockTime } from '../../../main/core/readiness';
import { createIpcBackend, type IpcBackend } from '../../../main/ipc';
import type { SenderInfo } from '../../../main/ipc/router';
import { createRuntime } from '../../../main/app/runtime';
import type { Runtime } from '../../../main/app/runtime';
import { applyEnv, awsTestEnv, motoEndpoint } from '../../support/aws-env';
import { readTree } from '../../support/cli';
import { memoryClipboard } from '../../support/ipc-sandbox';

// The AWS view's methods through the real backend (router, handlers, session refresher), the real keyring and the
// suite's moto (auth off: any key is accepted, MFA codes too), with AWS files in a throwaway HOME. process.env is
// pointed at those files for each test and put back after it.

const ORIGIN = 'https://latchkey.test';
const WINDOW: SenderInfo = { url: `${ORIGIN}/index.html`, isMainFrame: true };
const PROFILE = `ipc-mfa-${randomBytes(3).toString('hex')}`;
const MFA = 'arn:aws:iam::123456789012:mfa/ipc';

interface World {
  home: string;
  appDir: string;
  config: string;
  credentials: string;
  accessKeyId: string;
  /** The long-lived secret: after the import with removePlaintext, it may be nowhere on disk. */
  secret: string;
  runtime: Runtime;
  backend: IpcBackend;
  envelopes: Envelope<unknown>[];
  events: { event: string; payload: unknown }[];
  undoEnv: () => void;
}

let w: World;
/** What main's folder dialog answers next. */
let picked: string | null = null;

beforeEach(() => {
  const home = mkdtempSync(path.join(tmpdir(), 'latchkey-ipc-aws-'));
  mkdirSync(path.join(home, '.aws'), { mode: 0o700 });
  const config = path.join(home, '.aws', 'config');
  const credentials = path.join(home, '.aws', 'credentials');
  const accessKeyId = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
  const secret = `ipcAwsCanary${randomBytes(12).toString('hex')}`;
  writeFileSync(
    config,
    `# mine\n[profile ${PROFILE}]\nregion = us-east-1\nmfa_serial = ${MFA}\n\n[profile untouched]\nregion = eu-west-1 ; a comment\n`,
  );
  writeFileSync(
    credentials,
    `# my keys\n[${PROFILE}]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secret}\n`,
    { mode: 0o600 },
  );
  const undoEnv = applyEnv({
    ...awsTestEnv(motoEndpoint()),
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
  });
  const appDir = path.join(home, 'app');
  const runtime = createRuntime({ appDir });
  const events: World['events'] = [];
  const backend = createIpcBackend({
    runtime,
    emit: (event, payload) => void events.push({ event, payload }),
    // The project folder, as main's folder dialog answers it.
    pickFolder: async () => picked,
    // Nothing here configures 1Password: a new Connect server would be refused, as an unconfirmed one is.
    confirmConnectHost: async () => false,
    openExternal: async () => undefined,
    clipboard: memoryClipboard(),
    allowedOrigins: [ORIGIN],
  });
  w = { home, appDir, config, credentials, accessKeyId, secret, runtime, backend, envelopes: [], events, undoEnv };
});

afterEach(async () => {
  await w.backend.dispose();
  await w.runtime.keychain.delete(vaultAccount(PROFILE));
  await w.runtime.keychain.delete(sessionAccount(PROFILE));
  w.undoEnv();
  rmSync(w.home, { recursive: true, force: true });
});

async function call<M extends MethodName>(method: M, payload: unknown): Promise<Envelope<MethodOutput<M>>> {
  const envelope = (await w.backend.router.handle(method, WINDOW, payload)) as Envelope<MethodOutput<M>>;
  w.envelopes.push(envelope);
  return envelope;
}

async function ok<M extends MethodName>(method: M, payload: unknown): Promise<MethodOutput<M>> {
  const envelope = await call(method, payload);
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error.code}: ${envelope.error.message}`);
  expect(METHODS[method].output.safeParse(envelope.value).success).toBe(true);
  return envelope.value;
}

function project(): string {
  const dir = path.join(w.home, 'project');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'latchkey.yml'),
    `version: 1\naws: { profile: ${PROFILE}, region: us-east-1 }\nprofiles:\n  dev:\n    sources:\n      - chamber: api/dev\n`,
  );
  return dir;
}

async function sessionItem(dir: string) {
  picked = dir;
  const { picked: chosen } = await ok('projects.pick', {});
  return (await ok('readiness', { projectId: chosen!.projectId, profile: 'dev' })).items.find(
    (i) => i.id === 'aws-sessions',
  );
}

/** The machine's AWS CLI, with nothing but the files to find credentials in. */
function awsCli(args: string[]): Promise<{ code: number; stdout: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_DEFAULT_REGION: 'us-east-1' };
  for (const k of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_ENDPOINT_URL',
    'AWS_PROFILE',
  ])
    delete env[k];
  return new Promise((resolve) => {
    execFile('aws', [...args, '--endpoint-url', motoEndpoint()], { env, timeout: 30_000 }, (error, stdout) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout });
    });
  });
}

describe('aws.* through the backend, against moto and the keyring', () => {
  it('list → import (plaintext removed) → MFA prompt → login → the managed section → readiness → logout, no secret leaked', async () => {
    const dir = project();
    const untouchedConfig = readFileSync(w.config, 'utf8');

    const listed = (await ok('aws.list', {})).profiles;
    expect(listed.map((p) => [p.name, p.kind])).toEqual([
      [PROFILE, 'file-keys'],
      ['untouched', 'unknown'],
    ]);
    expect(listed[0]).toMatchObject({
      region: 'us-east-1',
      mfaSerial: MFA,
      isDefault: false,
      session: { active: false, managed: false },
    });

    // Import: the keychain holds the keys, the plaintext is gone from the file and from Latchkey's backup.
    const imported = await ok('aws.import', { profile: PROFILE, removePlaintext: true });
    expect(imported).toEqual({ removedPlaintext: true, backup: `${w.credentials}.latchkey-backup` });
    expect(statSync(imported.backup!).mode & 0o777).toBe(0o600);
    expect(JSON.parse((await w.runtime.keychain.get(vaultAccount(PROFILE)))!)).toEqual({
      accessKeyId: w.accessKeyId,
      secretAccessKey: w.secret,
    });
    expect((await ok('aws.list', {})).profiles[0]!.kind).toBe('keychain-keys');
    for (const { file, text } of readTree(w.home)) expect(text, file).not.toContain(w.secret);

    expect(await sessionItem(dir)).toEqual({
      id: 'aws-sessions',
      label: `AWS session for profile ${PROFILE}`,
      state: 'missing',
      detail: 'needs an MFA session',
      action: `aws-login:${PROFILE}`,
    });

    // The MFA prompt, then the session.
    expect(await call('aws.login', { profile: PROFILE })).toMatchObject({
      ok: false,
      error: { code: 'NEEDS_INPUT', missing: ['MFA'] },
    });
    const { expiresAt } = await ok('aws.login', { profile: PROFILE, mfaCode: '123456' });
    expect(Date.parse(expiresAt!)).toBeGreaterThan(Date.now() + 11 * 3600_000);
    const text = readFileSync(w.credentials, 'utf8');
    expect(text).toMatch(
      new RegExp(
        `^# my keys\\n\\n?\\[${PROFILE}\\]\\naws_access_key_id = \\w+\\naws_secret_access_key = \\S+\\naws_session_token = \\S+\\nx_latchkey_managed = true\\nx_latchkey_expiration = ${expiresAt!.replace(/[.]/g, '\\.')}\\n`,
      ),
    );
    expect(statSync(w.credentials).mode & 0o777).toBe(0o600);
    expect(readFileSync(w.config, 'utf8')).toBe(untouchedConfig);
    const sessionSecret = /aws_secret_access_key = (\S+)/.exec(text)![1]!;
    const sessionToken = /aws_session_token = (\S+)/.exec(text)![1]!;
    expect(w.events).toContainEqual({
      event: 'aws.session',
      payload: { profile: PROFILE, state: 'started', expiresAt },
    });
    expect((await ok('aws.list', {})).profiles[0]!.session).toEqual({ active: true, managed: true, expiresAt });
    expect(await sessionItem(dir)).toMatchObject({
      state: 'ok',
      detail: `session active until ${clockTime(expiresAt!)}`,
    });

    // The AWS CLI accepts what was written.
    const who = await awsCli(['sts', 'get-caller-identity', '--profile', PROFILE, '--output', 'json']);
    expect(who.code).toBe(0);
    expect(JSON.parse(who.stdout).Account).toMatch(/^\d{12}$/);

    await ok('aws.logout', { profile: PROFILE });
    // Only the managed section goes; the comment stays (with the blank line the section was appended after).
    expect(readFileSync(w.credentials, 'utf8')).toMatch(/^# my keys\n\n?$/);
    expect(await w.runtime.keychain.get(sessionAccount(PROFILE))).toBeNull();
    expect(w.events.filter((e) => e.event === 'aws.session').at(-1)).toEqual({
      event: 'aws.session',
      payload: { profile: PROFILE, state: 'stopped' },
    });
    // The state main pushed last says the same (the store follows the files).
    const pushed = w.events.filter((e) => e.event === 'state.changed').at(-1)?.payload as
      { sessions: { name: string; session: { active: boolean } }[] } | undefined;
    expect(pushed?.sessions.find((p) => p.name === PROFILE)?.session.active).toBe(false);
    expect((await sessionItem(dir))?.state).toBe('missing');

    const audit = (await ok('audit.tail', { limit: 50 })).events.map((e) => [e.action, e.profile, e.outcome]);
    expect(audit).toEqual([
      ['key.import', PROFILE, 'ok'],
      ['session.start', PROFILE, 'ok'],
      ['session.stop', PROFILE, 'ok'],
    ]);

    // Canary: no secret in any envelope, event, or app-data file (the audit and the state included).
    const crossed = JSON.stringify([w.envelopes, w.events]);
    for (const secret of [w.secret, sessionSecret, sessionToken]) {
      expect(crossed).not.toContain(secret);
      for (const { file, text: content } of readTree(w.appDir)) expect(content, file).not.toContain(secret);
    }
    expect(crossed).not.toContain(w.accessKeyId);
  });

  it('use as default writes [default] from the cached session; [default] then mirrors the profile', async () => {
    await ok('aws.import', { profile: PROFILE, removePlaintext: true });
    expect(await call('aws.useDefault', { profile: PROFILE })).toMatchObject({
      ok: false,
      error: { code: 'NEEDS_INPUT', missing: ['MFA'] },
    });
    const { expiresAt } = await ok('aws.useDefault', { profile: PROFILE, mfaCode: '654321' });
    expect(readFileSync(w.credentials, 'utf8')).toContain('[default]\naws_access_key_id = ');
    const profiles = (await ok('aws.list', {})).profiles;
    expect(profiles.filter((p) => p.isDefault).map((p) => p.name)).toEqual(['default', PROFILE]);
    expect(profiles.find((p) => p.name === PROFILE)?.session).toEqual({ active: true, managed: true, expiresAt });
    expect((await ok('audit.tail', { limit: 10 })).events.map((e) => e.action)).toEqual([
      'key.import',
      'profile.switch',
    ]);
  });
});
