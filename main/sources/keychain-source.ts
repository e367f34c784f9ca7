import { NeedsInputError, personalSecretAccount, type Keychain } from '../core/keychain';
import type { ResolvedSecret, SecretSource } from '../core/types';

/**
 * Personal secrets (`keychain: GITHUB_TOKEN`): each developer's own value, asked for once and kept in the OS
 * keychain. All missing entries are reported together so the user is asked for everything in one go.
 */
export function createKeychainSource(keychain: Keychain, manifestPath: string): SecretSource<'keychain'> {
  return {
    kind: 'keychain',
    async resolve(specs, ctx) {
      const secrets: ResolvedSecret[] = [];
      const missing: { name: string; account: string }[] = [];
      for (const spec of specs) {
        const account = personalSecretAccount(manifestPath, spec.name);
        const value = await keychain.get(account);
        if (value === null) missing.push({ name: spec.name, account });
        else secrets.push({ spec, sourceKey: spec.name, value, meta: {} });
        ctx.onProgress?.({ kind: 'keychain', done: secrets.length + missing.length, total: specs.length });
      }
      if (missing.length > 0) throw new NeedsInputError(missing);
      return { secrets, warnings: [] };
    },
  };
}
