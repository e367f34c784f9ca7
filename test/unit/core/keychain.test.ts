import { describe, expect, it } from 'vitest';
import { assertStorableSecret, trackKeychainUse, unstorableSecretProblem } from '../../../main/core/keychain';
import { memoryKeychain } from '../../support/ipc-sandbox';
import { rejection } from '../../support/temp';

describe('the keychain as the core uses it', () => {
  it('refuses a value the keychain would cut at a NUL, without echoing it (item 21)', () => {
    expect(unstorableSecretProblem('plain')).toBeUndefined();
    expect(() => assertStorableSecret('GITHUB_TOKEN', 'abc\0def-canary')).toThrow(/Cannot store GITHUB_TOKEN: .*NUL/);
    try {
      assertStorableSecret('GITHUB_TOKEN', 'abc\0def-canary');
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('canary');
    }
  });

  it('lets the audit seal use the keychain only once something else has (item 19)', async () => {
    const inner = memoryKeychain();
    await inner.set('audit-key', 'k');
    const { keychain, sealing } = trackKeychainUse(inner);
    expect((await rejection(sealing.get('audit-key'))).code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(await keychain.get('hmac-key')).toBeNull();
    expect(await sealing.get('audit-key')).toBe('k');
  });
});
