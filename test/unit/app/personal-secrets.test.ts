import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deletePersonalSecret,
  listPersonalSecrets,
  missingPersonalSecrets,
  setPersonalSecret,
} from '../../../main/app/personal-secrets';
import { LatchkeyError } from '../../../main/core/errors';
import { personalSecretAccount } from '../../../main/core/keychain';
import { readTree } from '../../support/cli';
import { createAppSandbox, type AppSandbox } from '../../support/app-sandbox';
import { OFFLINE_MANIFEST } from '../../support/ipc-sandbox';

const TOKEN = 'ghp_canaryAppPersonal_71c2';

let sb: AppSandbox;
let dir: string;
beforeEach(() => {
  sb = createAppSandbox();
  dir = sb.project('full', OFFLINE_MANIFEST);
});
afterEach(() => sb.cleanup());

describe('personal secrets', () => {
  it('reports what a profile is missing, and nothing once it is stored', async () => {
    const account = personalSecretAccount(path.join(dir, 'latchkey.yml'), 'PERSONAL_TOKEN');
    const before = await missingPersonalSecrets(sb.deps, { dir }, 'dev');
    expect(before.profile.name).toBe('dev');
    expect(before.missing).toEqual([{ name: 'PERSONAL_TOKEN', account }]);
    expect((await missingPersonalSecrets(sb.deps, { dir }, 'other')).missing).toEqual([]);

    await setPersonalSecret(sb.deps, { dir }, 'PERSONAL_TOKEN', async () => TOKEN);
    expect(sb.keychain.entries.get(account)).toBe(TOKEN);
    expect((await missingPersonalSecrets(sb.deps, { cwd: dir }, 'dev')).missing).toEqual([]);
  });

  it('audits the key by name, with the profile when one asked for it, never the value', async () => {
    await setPersonalSecret(sb.deps, { dir }, 'PERSONAL_TOKEN', async () => TOKEN);
    await setPersonalSecret(sb.deps, { cwd: dir }, 'PERSONAL_TOKEN', async () => `${TOKEN}2`, { profile: 'dev' });
    expect((await sb.audit()).map((e) => [e.action, e.profile, e.keys, e.outcome])).toEqual([
      ['secret.set', undefined, ['PERSONAL_TOKEN'], 'ok'],
      ['secret.set', 'dev', ['PERSONAL_TOKEN'], 'ok'],
    ]);
    for (const { file, text } of readTree(sb.appDir)) expect(text, file).not.toContain(TOKEN);
  });

  it('refuses a name no keychain: source uses before it asks for the value, and stores nothing', async () => {
    let asked = false;
    const ask = async () => {
      asked = true;
      return TOKEN;
    };
    await expect(setPersonalSecret(sb.deps, { dir }, 'LOG_LEVEL', ask)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      // Named by its length only: a value pasted where the name goes must not be echoed (issue 10, item 17).
      message: expect.stringContaining('has a keychain: source named by the 9-character value given'),
      hint: expect.stringMatching(/^Its keychain: sources are /),
    });
    expect(asked).toBe(false);
    expect(sb.keychain.entries.size).toBe(0);
    expect(await sb.audit()).toEqual([]);
  });

  it('stores nothing and audits nothing when the value cannot be had', async () => {
    const refuse = async (): Promise<string> => {
      throw new Error('cancelled');
    };
    await expect(setPersonalSecret(sb.deps, { dir }, 'PERSONAL_TOKEN', refuse)).rejects.toThrow('cancelled');
    expect(sb.keychain.entries.size).toBe(0);
    expect(await sb.audit()).toEqual([]);
  });
});

describe('listing and deleting personal secrets', () => {
  const SET_AT = new Date('2026-03-04T05:06:07.000Z');
  const at = () => ({ ...sb.deps, now: () => SET_AT });

  it('lists the declared names, set or not and when, asking a keychain that cannot list name by name', async () => {
    expect(await listPersonalSecrets(sb.deps, { dir })).toEqual({
      manifest: path.join(dir, 'latchkey.yml'),
      secrets: [{ name: 'PERSONAL_TOKEN', profiles: ['dev'], set: false, setAt: null }],
    });
    await setPersonalSecret(at(), { dir }, 'PERSONAL_TOKEN', async () => TOKEN);
    expect((await listPersonalSecrets(sb.deps, { dir })).secrets).toEqual([
      { name: 'PERSONAL_TOKEN', profiles: ['dev'], set: true, setAt: SET_AT.toISOString() },
    ]);
    for (const { file, text } of readTree(sb.appDir)) expect(text, file).not.toContain(TOKEN);
  });

  it('a damaged dates record does not stop a secret being stored, and is reported by the list, untouched', async () => {
    const record = path.join(sb.appDir, 'personal-secrets.json');
    await setPersonalSecret(sb.deps, { dir }, 'PERSONAL_TOKEN', async () => TOKEN);
    writeFileSync(record, '{ not json');
    await setPersonalSecret(sb.deps, { dir }, 'PERSONAL_TOKEN', async () => `${TOKEN}2`);
    expect(sb.keychain.entries.get(personalSecretAccount(path.join(dir, 'latchkey.yml'), 'PERSONAL_TOKEN'))).toBe(
      `${TOKEN}2`,
    );
    await expect(listPersonalSecrets(sb.deps, { dir })).rejects.toMatchObject({ code: 'STATE_INVALID' });
    expect(readFileSync(record, 'utf8')).toBe('{ not json');
  });

  it('deletes a stored secret, forgets its date and audits its name; a name not stored changes nothing', async () => {
    const account = personalSecretAccount(path.join(dir, 'latchkey.yml'), 'PERSONAL_TOKEN');
    await expect(deletePersonalSecret(sb.deps, { dir }, 'PERSONAL_TOKEN')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('no personal secret PERSONAL_TOKEN is stored'),
    });
    await setPersonalSecret(at(), { dir }, 'PERSONAL_TOKEN', async () => TOKEN);
    expect(await deletePersonalSecret(sb.deps, { dir }, 'PERSONAL_TOKEN')).toEqual({
      manifest: path.join(dir, 'latchkey.yml'),
      name: 'PERSONAL_TOKEN',
    });
    expect(sb.keychain.entries.has(account)).toBe(false);
    expect(readFileSync(path.join(sb.appDir, 'personal-secrets.json'), 'utf8')).not.toContain('PERSONAL_TOKEN');
    expect((await sb.audit()).map((e) => [e.action, e.keys, e.outcome])).toEqual([
      ['secret.set', ['PERSONAL_TOKEN'], 'ok'],
      ['secret.delete', ['PERSONAL_TOKEN'], 'ok'],
    ]);
  });

  it('a keychain that fails deletes nothing and forgets no date', async () => {
    await setPersonalSecret(at(), { dir }, 'PERSONAL_TOKEN', async () => TOKEN);
    const locked = {
      ...sb.deps,
      runtime: {
        ...sb.deps.runtime,
        keychain: {
          ...sb.keychain,
          get: () => Promise.reject(new LatchkeyError('KEYCHAIN_UNAVAILABLE', 'locked')),
        },
      },
    };
    await expect(deletePersonalSecret(locked, { dir }, 'PERSONAL_TOKEN')).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
    });
    expect(sb.keychain.entries.size).toBe(1);
    expect(readFileSync(path.join(sb.appDir, 'personal-secrets.json'), 'utf8')).toContain('PERSONAL_TOKEN');
  });
});
