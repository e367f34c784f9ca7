import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteKeys, importKeys } from '../../../../main/app/aws/keys';
import { listProfileViews } from '../../../../main/app/aws/profiles';
import { isRoleProfile, sessionStatus } from '../../../../main/app/aws/profiles';
import {
  login,
  logout,
  MfaCodeNeeded,
  useAsDefaultProfile,
  type SessionChange,
  type SessionsDeps,
} from '../../../../main/app/aws/sessions';
import { sessionAccount, vaultAccount } from '../../../../main/aws/profiles';
import { readTree } from '../../../support/cli';
import { SECRET_MARK, startAwsStub, type AwsStub } from '../../../support/aws-stub';
import { createAppSandbox, type AppSandbox } from '../../../support/app-sandbox';

// The AWS session use cases over the real aws/ functions, against the in-process STS + IAM stub and AWS files in a
// temp folder: the MFA signal only where the app asks for it, and the session news after each change.

const CONFIG = `[profile dev]
region = eu-west-1
mfa_serial = arn:aws:iam::123456789012:mfa/dev

[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = dev
`;

let stub: AwsStub;
let awsDir: string;
let sb: AppSandbox;
let changes: SessionChange[];
let deps: SessionsDeps;

beforeEach(async () => {
  stub = await startAwsStub();
  awsDir = mkdtempSync(path.join(tmpdir(), 'latchkey-app-aws-'));
  writeFileSync(path.join(awsDir, 'config'), CONFIG);
  sb = createAppSandbox();
  await sb.keychain.set(vaultAccount('dev'), JSON.stringify(stub.userKeys()[0]));
  changes = [];
  deps = {
    ...sb.deps,
    awsEnv: {
      HOME: awsDir,
      AWS_CONFIG_FILE: path.join(awsDir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
      AWS_ENDPOINT_URL: stub.endpoint,
      AWS_REGION: 'us-east-1',
    },
    onSessionChange: (change) => void changes.push(change),
  };
});

afterEach(async () => {
  sb.cleanup();
  rmSync(awsDir, { recursive: true, force: true });
  await stub.stop();
});

describe('AWS sessions', () => {
  it('without a code: the app gets the MFA signal, the CLI the plain error naming --mfa-code; AWS is not called', async () => {
    const forApp = login({ ...deps, signalMfa: true }, { profile: 'dev' });
    await expect(forApp).rejects.toBeInstanceOf(MfaCodeNeeded);
    await expect(forApp).rejects.toMatchObject({ code: 'NEEDS_INPUT', missing: [{ name: 'MFA' }] });
    const forCli = login(deps, { profile: 'dev' });
    await expect(forCli).rejects.toMatchObject({ code: 'NEEDS_INPUT', hint: expect.stringContaining('--mfa-code') });
    await expect(forCli).rejects.not.toBeInstanceOf(MfaCodeNeeded);
    expect(stub.calls).toEqual([]);
    expect(changes).toEqual([]);
  });

  it('tells of each session started and stopped; the status follows; no credential in the news or app data', async () => {
    const started = await login(deps, { profile: 'dev', mfaCode: '123456' });
    expect(stub.calls).toEqual([{ action: 'GetSessionToken', tokenCode: '123456' }]);
    expect(await sessionStatus(deps, 'dev')).toEqual({
      exists: true,
      kind: 'keychain-keys',
      mfa: true,
      activeUntil: started.expiration,
    });
    const asDefault = await useAsDefaultProfile(deps, { profile: 'dev' });
    expect(readFileSync(path.join(awsDir, 'credentials'), 'utf8')).toContain('[default]');
    expect(await logout(deps, 'dev')).toEqual({ removedFrom: ['dev', 'default'] });
    expect(changes).toEqual([
      { profile: 'dev', state: 'started', expiresAt: started.expiration },
      { profile: 'dev', state: 'started', expiresAt: asDefault.expiration },
      { profile: 'dev', state: 'stopped' },
    ]);
    expect((await sb.audit()).map((e) => [e.action, e.profile, e.outcome])).toEqual([
      ['session.start', 'dev', 'ok'],
      ['profile.switch', 'dev', 'ok'],
      ['session.stop', 'dev', 'ok'],
    ]);
    expect(JSON.stringify(changes)).not.toContain(SECRET_MARK);
    for (const { file, text } of readTree(sb.appDir)) expect(text, file).not.toContain(SECRET_MARK);
  });

  it('plaintext keys: refused before STS, no session claimed; after the import the same code starts it', async () => {
    // Issue 14: the code was spent, the session cached, the file refused it, and the list then said "active".
    const keys = stub.userKeys()[0]!;
    await sb.keychain.delete(vaultAccount('dev'));
    const credentials = path.join(awsDir, 'credentials');
    writeFileSync(
      credentials,
      `[dev]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
      { mode: 0o600 },
    );
    const app = { ...deps, signalMfa: true };
    await expect(login(app, { profile: 'dev', mfaCode: '123456' })).rejects.toMatchObject({
      code: 'TARGET_UNSAFE',
      action: 'import-aws-keys',
    });
    expect(stub.calls).toEqual([]);
    expect(changes).toEqual([]);
    expect(await sb.keychain.get(sessionAccount('dev'))).toBeNull();
    expect((await listProfileViews(deps)).find((p) => p.name === 'dev')?.session.active).toBe(false);
    expect(await sessionStatus(deps, 'dev')).not.toHaveProperty('activeUntil');

    await importKeys(deps, 'dev', { removePlaintext: true });
    const started = await login(app, { profile: 'dev', mfaCode: '123456' });
    expect(stub.calls).toEqual([{ action: 'GetSessionToken', tokenCode: '123456' }]);
    expect((await listProfileViews(deps)).find((p) => p.name === 'dev')?.session).toMatchObject({
      active: true,
      expiresAt: started.expiration,
    });
    expect(readFileSync(credentials, 'utf8')).toContain('x_latchkey_managed = true');
  });

  it('knows a role profile, and forgets keychain keys with one audit event only when there were some', async () => {
    expect(await isRoleProfile(deps, 'admin')).toBe(true);
    expect(await isRoleProfile(deps, 'dev')).toBe(false);
    expect(await deleteKeys(deps, 'dev')).toBe(true);
    expect(await deleteKeys(deps, 'dev')).toBe(false);
    expect((await sb.audit()).map((e) => [e.action, e.profile, e.detail])).toEqual([
      ['key.delete', 'dev', 'keychain copy only; IAM untouched'],
    ]);
  });
});
