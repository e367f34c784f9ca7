import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialProcessOutput } from '../../../main/aws/credential-process';
import { awsFilePath, editAwsFile } from '../../../main/aws/files';
import { listAwsProfiles, sessionAccount, vaultAccount } from '../../../main/aws/profiles';
import { stopSession, writeSessionSection } from '../../../main/aws/sessions';
import { importFromCredentialsFile, readVaultKeys } from '../../../main/aws/vault';
import type { Keychain } from '../../../main/core/keychain';
import { rejection, useTempDir } from '../../support/temp';

function memoryKeychain(opts: { dropWrites?: boolean } = {}): Keychain & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (a) => entries.get(a) ?? null,
    set: async (a, s) => void (opts.dropWrites ? undefined : entries.set(a, s)),
    delete: async (a) => entries.delete(a),
  };
}

const CONFIG = `# config
[default]
region = eu-west-1

[profile vaulted]
region = us-east-1
mfa_serial = arn:aws:iam::123456789012:mfa/me

[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = vaulted

[profile corp]
sso_session = corp
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start

[profile tool]
credential_process = latchkey aws credential-process vaulted
`;
const CREDENTIALS = `; keys
[plain]
aws_access_key_id = AKIAPLAINPLAINPLAIN1
aws_secret_access_key = plain-secret-canary-1

[untouched]   # comment after header
aws_access_key_id=AKIAUNTOUCHEDUNTOUCH
aws_secret_access_key=untouched-secret
`;

const tmp = useTempDir('latchkey-awsfiles-');
function env(): NodeJS.ProcessEnv {
  return {
    HOME: tmp.path,
    AWS_CONFIG_FILE: path.join(tmp.path, 'cfg'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(tmp.path, 'creds'),
  };
}
function seed(): NodeJS.ProcessEnv {
  const e = env();
  writeFileSync(e.AWS_CONFIG_FILE as string, CONFIG);
  writeFileSync(e.AWS_SHARED_CREDENTIALS_FILE as string, CREDENTIALS, { mode: 0o600 });
  return e;
}
const SESSION = {
  accessKeyId: 'ASIASESSIONSESSION01',
  secretAccessKey: 'session-secret',
  sessionToken: 'tok',
  expiration: '2099-01-01T00:00:00.000Z',
};

describe('AWS files and profiles', () => {
  it('honours AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else ~/.aws', () => {
    expect(awsFilePath('config', env())).toBe(path.join(tmp.path, 'cfg'));
    expect(awsFilePath('credentials', { HOME: '/home/x' })).toBe('/home/x/.aws/credentials');
  });

  it('lists every profile with its kind and status', async () => {
    const e = seed();
    const keychain = memoryKeychain();
    keychain.entries.set(vaultAccount('vaulted'), JSON.stringify({ accessKeyId: 'AKIAV', secretAccessKey: 's' }));
    await writeSessionSection('vaulted', SESSION, e);
    const byName = Object.fromEntries(
      (await listAwsProfiles(keychain, { env: e, now: new Date('2030-01-01') })).map((p) => [p.name, p]),
    );
    expect(Object.keys(byName)).toEqual(['admin', 'corp', 'default', 'plain', 'tool', 'untouched', 'vaulted']);
    expect(byName.plain?.kind).toBe('file-keys');
    expect(byName.vaulted).toMatchObject({
      kind: 'keychain-keys',
      region: 'us-east-1',
      mfaSerial: 'arn:aws:iam::123456789012:mfa/me',
      session: { active: true, managed: true, expiration: SESSION.expiration },
    });
    expect(byName.admin).toMatchObject({ kind: 'role', sourceProfile: 'vaulted' });
    expect(byName.corp?.kind).toBe('sso');
    expect(byName.tool).toMatchObject({ kind: 'credential-process', latchkeyProcess: true });
    expect(byName.default).toMatchObject({ kind: 'unknown', region: 'eu-west-1' });
  });

  it('keeps a one-time 0600 backup on the first edit, and writes credentials 0600', async () => {
    const e = seed();
    const first = await editAwsFile('credentials', (t) => `${t}\n[x]\nk = 1\n`, e);
    expect(first.backup).toBe(`${e.AWS_SHARED_CREDENTIALS_FILE}.latchkey-backup`);
    expect(readFileSync(first.backup as string, 'utf8')).toBe(CREDENTIALS);
    expect(statSync(first.backup as string).mode & 0o777).toBe(0o600);
    expect(statSync(e.AWS_SHARED_CREDENTIALS_FILE as string).mode & 0o777).toBe(0o600);
    const second = await editAwsFile('credentials', (t) => `${t}[y]\n`, e);
    expect(second.backup).toBeUndefined();
    expect(readFileSync(first.backup as string, 'utf8')).toBe(CREDENTIALS);
  });

  it('imports keys into the keychain and removes the plaintext from the file and the backup, leaving other bytes alone', async () => {
    const e = seed();
    const keychain = memoryKeychain();
    const result = await importFromCredentialsFile(keychain, 'plain', { removePlaintext: true, env: e });
    expect(result).toMatchObject({ removedPlaintext: true });
    expect(await readVaultKeys(keychain, 'plain')).toEqual({
      accessKeyId: 'AKIAPLAINPLAINPLAIN1',
      secretAccessKey: 'plain-secret-canary-1',
    });
    const after = readFileSync(e.AWS_SHARED_CREDENTIALS_FILE as string, 'utf8');
    expect(after).toBe(CREDENTIALS.replace(/\[plain\][\s\S]*?(?=\[untouched\])/, ''));
    expect(readFileSync(`${e.AWS_SHARED_CREDENTIALS_FILE}.latchkey-backup`, 'utf8')).not.toContain(
      'plain-secret-canary-1',
    );
  });

  it('keeps the plaintext when the keychain does not keep the keys', async () => {
    const e = seed();
    const error = await rejection(
      importFromCredentialsFile(memoryKeychain({ dropWrites: true }), 'plain', { removePlaintext: true, env: e }),
    );
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(readFileSync(e.AWS_SHARED_CREDENTIALS_FILE as string, 'utf8')).toBe(CREDENTIALS);
    expect(existsSync(`${e.AWS_SHARED_CREDENTIALS_FILE}.latchkey-backup`)).toBe(false);
  });

  it('refuses to write a session over keys it does not manage, and stop removes only its own keys', async () => {
    const e = seed();
    expect((await rejection(writeSessionSection('untouched', SESSION, e))).code).toBe('TARGET_UNSAFE');
    await writeSessionSection('fresh', SESSION, e);
    await writeSessionSection('default', SESSION, e);
    const keychain = memoryKeychain();
    expect(await stopSession('fresh', { keychain, env: e })).toEqual({ removedFrom: ['fresh', 'default'] });
    // Only the blank line that separated the appended sections stays behind; a new login reuses it.
    expect(readFileSync(e.AWS_SHARED_CREDENTIALS_FILE as string, 'utf8')).toBe(`${CREDENTIALS}\n`);
    await writeSessionSection('fresh', SESSION, e);
    await stopSession('fresh', { keychain, env: e });
    expect(readFileSync(e.AWS_SHARED_CREDENTIALS_FILE as string, 'utf8')).toBe(`${CREDENTIALS}\n`);
  });
});

describe('AWS files Latchkey must not damage (issue 10)', () => {
  it('keeps bytes that are not UTF-8 in the file and in its backup (item 13)', async () => {
    const e = seed();
    const latin1 = Buffer.concat([Buffer.from('; caf\xe9 keys\n', 'latin1'), Buffer.from(CREDENTIALS)]);
    writeFileSync(e.AWS_SHARED_CREDENTIALS_FILE as string, latin1, { mode: 0o600 });
    await importFromCredentialsFile(memoryKeychain(), 'plain', { removePlaintext: true, env: e });
    const expected = Buffer.concat([
      Buffer.from('; caf\xe9 keys\n', 'latin1'),
      Buffer.from(CREDENTIALS.replace(/\[plain\][\s\S]*?(?=\[untouched\])/, '')),
    ]);
    expect(readFileSync(e.AWS_SHARED_CREDENTIALS_FILE as string).toString('hex')).toBe(expected.toString('hex'));
    // The backup was made from the file as it was, then scrubbed: its other bytes are the original ones too.
    expect(readFileSync(`${e.AWS_SHARED_CREDENTIALS_FILE}.latchkey-backup`).toString('hex')).toBe(
      expected.toString('hex'),
    );
  });

  it('refuses to edit a file with duplicate sections, and names them (item 18)', async () => {
    const e = seed();
    const duplicated = `${CREDENTIALS}\n[dev]\naws_access_key_id = AKIALONGLIVEDKEY0001\naws_secret_access_key = long-lived-canary\n\n[dev]\naws_access_key_id = ASIASESSION\naws_secret_access_key = s\naws_session_token = t\nx_latchkey_managed = true\n\n[ plain ]\nregion = x\n`;
    writeFileSync(e.AWS_SHARED_CREDENTIALS_FILE as string, duplicated, { mode: 0o600 });
    const keychain = memoryKeychain();
    for (const attempt of [
      () => stopSession('dev', { keychain, env: e }),
      () => writeSessionSection('other', SESSION, e),
      () => importFromCredentialsFile(keychain, 'untouched', { removePlaintext: true, env: e }),
    ]) {
      const error = await rejection(attempt());
      expect(error.code).toBe('TARGET_UNSAFE');
      expect(error.message).toMatch(/\[dev\] \(lines 10, 14\)/);
      expect(error.message).toMatch(/\[plain\] \(lines 2, 20\)/);
    }
    expect(readFileSync(e.AWS_SHARED_CREDENTIALS_FILE as string, 'utf8')).toBe(duplicated);
  });
});

describe('credential-process output', () => {
  it('prints keychain keys when no MFA is needed', async () => {
    const e = seed();
    const keychain = memoryKeychain();
    keychain.entries.set(vaultAccount('plain'), JSON.stringify({ accessKeyId: 'AKIAK', secretAccessKey: 'k' }));
    expect(await credentialProcessOutput('plain', { keychain, env: e })).toEqual({
      Version: 1,
      AccessKeyId: 'AKIAK',
      SecretAccessKey: 'k',
    });
  });

  it('prints a cached session', async () => {
    const e = seed();
    const keychain = memoryKeychain();
    keychain.entries.set(sessionAccount('vaulted'), JSON.stringify(SESSION));
    expect(await credentialProcessOutput('vaulted', { keychain, env: e })).toEqual({
      Version: 1,
      AccessKeyId: SESSION.accessKeyId,
      SecretAccessKey: SESSION.secretAccessKey,
      SessionToken: 'tok',
      Expiration: SESSION.expiration,
    });
  });

  it('fails fast when MFA is needed and no session is cached (for the profile and for a role from it)', async () => {
    const e = seed();
    const keychain = memoryKeychain();
    keychain.entries.set(vaultAccount('vaulted'), JSON.stringify({ accessKeyId: 'AKIAV', secretAccessKey: 's' }));
    for (const profile of ['vaulted', 'admin']) {
      const error = await rejection(
        credentialProcessOutput(profile, { keychain, env: e, endpoint: 'http://127.0.0.1:9' }),
      );
      expect(error.code).toBe('NEEDS_INPUT');
      expect(error.message).toContain(`start a session in Latchkey: latchkey aws login ${profile}`);
    }
  });
});
