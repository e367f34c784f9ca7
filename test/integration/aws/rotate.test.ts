import { CreateAccessKeyCommand, IAMClient } from '@aws-sdk/client-iam';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateAccessKey, ROTATION_STEPS, type RotationStep } from '../../../main/aws/rotate';
import { readVaultKeys, storeVaultKeys } from '../../../main/aws/vault';
import type { Keychain } from '../../../main/core/keychain';
import { createKeytarKeychain } from '../../../main/adapters/keytar-keychain';
import { startAuthMoto, type AuthMoto } from '../../support/moto-iam';
import { rejection } from '../../support/temp';

let auth: AuthMoto;
beforeAll(async () => {
  auth = await startAuthMoto();
});
afterAll(async () => auth?.moto.stop());

let counter = 0;
async function setup(keychain: Keychain = createKeytarKeychain(`Latchkey-test-${process.pid}`)) {
  const user = `rot-${++counter}`;
  const keys = await auth.newUser(user);
  await storeVaultKeys(keychain, user, keys);
  const appDir = mkdtempSync(path.join(tmpdir(), 'latchkey-app-'));
  return { user, keys, keychain, appDir, opts: { keychain, appDir, endpoint: auth.moto.endpoint, verifyDelayMs: 50 } };
}

describe('rotating your own access key (moto, auth on)', () => {
  it('replaces the key: the old one is rejected, the new one works and is in the keychain', async () => {
    const { user, keys, keychain, appDir, opts } = await setup();
    expect(await auth.whoAmI(keys)).toMatch(new RegExp(`user/${user}$`));
    const result = await rotateAccessKey(user, opts);
    const stored = await readVaultKeys(keychain, user);
    expect(stored?.accessKeyId).not.toBe(keys.accessKeyId);
    expect(result.newKey).toBe(`…${stored?.accessKeyId.slice(-4)}`);
    expect(await auth.whoAmI(keys)).toBe('InvalidClientTokenId');
    expect(await auth.whoAmI(stored!)).toMatch(new RegExp(`user/${user}$`));
    expect(await auth.keyIds(user)).toEqual([stored?.accessKeyId]);
    const audit = readFileSync(path.join(appDir, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"action":"key.rotate"');
    expect(audit).not.toContain(stored?.secretAccessKey);
    expect(audit).not.toContain(keys.secretAccessKey);
  });

  it('refuses with a way out when the user already has two keys (the IAM limit)', async () => {
    const { user, keys, keychain, opts } = await setup();
    // A second key for this user, made by the admin.
    const iam = new IAMClient({ endpoint: auth.moto.endpoint, region: 'us-east-1', credentials: auth.admin });
    await iam.send(new CreateAccessKeyCommand({ UserName: user }));
    iam.destroy();
    const error = await rejection(rotateAccessKey(user, opts));
    expect(error.message).toMatch(/already has two access keys \(the IAM limit\).*Nothing changed/);
    expect(error.hint).toMatch(/Delete the key you no longer use/);
    expect((await readVaultKeys(keychain, user))?.accessKeyId).toBe(keys.accessKeyId);
    expect(await auth.whoAmI(keys)).toMatch(/user\//);
  });

  const expectedIamKeys: Record<RotationStep, 'old' | 'new' | 'both'> = {
    'list-keys': 'old',
    'create-key': 'old',
    'verify-new-key': 'old',
    'store-new-key': 'old',
    'delete-old-key': 'both',
    audit: 'new',
  };

  for (const step of ROTATION_STEPS) {
    it(`rotation survives a failure at ${step}`, async () => {
      const { user, keys, keychain, opts } = await setup();
      const error = await rejection(
        rotateAccessKey(user, {
          ...opts,
          beforeStep: (s) => {
            if (s === step) throw new Error(`injected fault at ${s}`);
          },
        }),
      );
      expect(error.message).toContain(step === 'audit' ? 'the audit event could not be written' : `failed at ${step}`);
      const inKeychain = await readVaultKeys(keychain, user);
      // Whatever happened, the keychain holds a key that works.
      expect(await auth.whoAmI(inKeychain!)).toMatch(new RegExp(`user/${user}$`));
      const ids = await auth.keyIds(user);
      const want = expectedIamKeys[step];
      if (want === 'old') {
        expect(ids).toEqual([keys.accessKeyId]);
        expect(inKeychain?.accessKeyId).toBe(keys.accessKeyId);
        expect(error.message).toMatch(/Nothing changed in IAM|IAM (still )?has only the old key/);
      } else if (want === 'both') {
        expect(ids).toHaveLength(2);
        expect(inKeychain?.accessKeyId).not.toBe(keys.accessKeyId);
        expect(error.message).toMatch(/still active in IAM/);
      } else {
        expect(ids).toEqual([inKeychain?.accessKeyId]);
        expect(await auth.whoAmI(keys)).toBe('InvalidClientTokenId');
      }
    });
  }

  it('rotation survives a keychain that will not keep the new key', async () => {
    const inner = createKeytarKeychain(`Latchkey-test-${process.pid}`);
    let failNext = false;
    const flaky: Keychain = {
      get: (a) => inner.get(a),
      delete: (a) => inner.delete(a),
      set: async (a, s) => {
        if (failNext) {
          failNext = false;
          throw new Error('keychain write failed');
        }
        return inner.set(a, s);
      },
    };
    const { user, keys, opts } = await setup(flaky);
    failNext = true;
    const error = await rejection(rotateAccessKey(user, opts));
    expect(error.message).toMatch(/failed at store-new-key.*IAM has only the old key/);
    expect((await readVaultKeys(inner, user))?.accessKeyId).toBe(keys.accessKeyId);
    expect(await auth.keyIds(user)).toEqual([keys.accessKeyId]);
  });
});
