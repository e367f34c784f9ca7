import { describe, expect, it } from 'vitest';
import { sessionAccount, vaultAccount } from '../../../main/aws/profiles';
import { readCachedSession, readVaultKeys } from '../../../main/aws/vault-entries';
import type { Keychain } from '../../../main/core/keychain';
import { LatchkeyError } from '../../../main/core/errors';

const CANARY = 'canary-secret-value-7f3a';

function keychainWith(entries: Record<string, string>): Keychain {
  return {
    get: async (account) => entries[account] ?? null,
    set: async () => undefined,
    delete: async () => false,
  };
}

async function failure(read: Promise<unknown>): Promise<LatchkeyError> {
  const error = await read.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LatchkeyError);
  return error as LatchkeyError;
}

describe('the vault entries, read without zod (credential-process start-up)', () => {
  it('reads keys and sessions, keeping only their known fields', async () => {
    const keychain = keychainWith({
      [vaultAccount('dev')]: JSON.stringify({ accessKeyId: 'AKIA1', secretAccessKey: CANARY, extra: 'dropped' }),
      [sessionAccount('dev')]: JSON.stringify({
        accessKeyId: 'ASIA1',
        secretAccessKey: CANARY,
        sessionToken: 'token',
        expiration: '2030-01-01T00:00:00Z',
        extra: 'dropped',
      }),
    });
    expect(await readVaultKeys(keychain, 'dev')).toEqual({ accessKeyId: 'AKIA1', secretAccessKey: CANARY });
    expect(await readCachedSession(keychain, 'dev')).toEqual({
      accessKeyId: 'ASIA1',
      secretAccessKey: CANARY,
      sessionToken: 'token',
      expiration: '2030-01-01T00:00:00Z',
    });
  });

  it('says "not set" only when there is no entry', async () => {
    const keychain = keychainWith({});
    expect(await readVaultKeys(keychain, 'dev')).toBeUndefined();
    expect(await readCachedSession(keychain, 'dev')).toBeUndefined();
  });

  it.each([
    ['not JSON', `{"accessKeyId": "AKIA1", "secretAccessKey": "${CANARY}"`],
    ['an array', JSON.stringify([CANARY])],
    ['null', 'null'],
    ['a missing field', JSON.stringify({ accessKeyId: 'AKIA1' })],
    ['an empty field', JSON.stringify({ accessKeyId: '', secretAccessKey: CANARY })],
    ['a field of the wrong type', JSON.stringify({ accessKeyId: 1, secretAccessKey: CANARY })],
  ])('refuses an entry that is %s, naming the profile and no value', async (_label, raw) => {
    const error = await failure(readVaultKeys(keychainWith({ [vaultAccount('dev')]: raw }), 'dev'));
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(error.message).toBe("the keychain entry for AWS profile dev is not in Latchkey's format");
    expect(`${error.message} ${error.hint ?? ''}`).not.toContain(CANARY);
  });

  it('refuses a session without its token, or with an expiration that is not text', async () => {
    const base = { accessKeyId: 'ASIA1', secretAccessKey: CANARY, expiration: '2030-01-01T00:00:00Z' };
    for (const entry of [base, { ...base, sessionToken: '' }, { ...base, sessionToken: 't', expiration: 5 }]) {
      const error = await failure(
        readCachedSession(keychainWith({ [sessionAccount('dev')]: JSON.stringify(entry) }), 'dev'),
      );
      expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    }
  });

  it('accepts an empty expiration, as the schema did (isFresh then calls it stale)', async () => {
    const entry = { accessKeyId: 'ASIA1', secretAccessKey: CANARY, sessionToken: 't', expiration: '' };
    const keychain = keychainWith({ [sessionAccount('dev')]: JSON.stringify(entry) });
    expect(await readCachedSession(keychain, 'dev')).toEqual(entry);
  });
});
