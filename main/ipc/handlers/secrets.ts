import { LatchkeyError } from '../../core/errors';
import { personalSecretAccount } from '../../core/keychain';
import { resolveValues } from '../../core/sync';
import type { Handlers } from '../types';
import { manifestIn, profileIn, type HandlerContext } from './context';

type SecretHandlers = Pick<Handlers, 'secrets.setPersonal' | 'secrets.reveal'>;

export function secretHandlers(ctx: HandlerContext): SecretHandlers {
  return {
    /** The value crosses once, goes to the keychain, and is forgotten here; the audit names the key only. */
    async 'secrets.setPersonal'({ dir, name, value }) {
      const manifest = await manifestIn(dir);
      const known = Object.values(manifest.profiles).some((p) =>
        p.sources.some((s) => s.kind === 'keychain' && s.name === name),
      );
      if (!known)
        throw new LatchkeyError('INVALID_INPUT', `no profile in ${manifest.path} has a "keychain: ${name}" source`);
      await ctx.runtime.keychain.set(personalSecretAccount(manifest.path, name), value);
      await ctx.audit({ action: 'secret.set', keys: [name], outcome: 'ok' });
      return {};
    },

    /** One value, because the user asked for it; audited whether it works or not. */
    async 'secrets.reveal'({ dir, profile: profileName, name }) {
      const { manifest, profile } = await profileIn(dir, profileName);
      let value: string | undefined;
      try {
        const resolved = await resolveValues(manifest, profile.name, ctx.runtime.syncEnvironment(manifest));
        value = resolved.values.get(name);
        if (value === undefined)
          throw new LatchkeyError(
            'SOURCE_NOT_FOUND',
            `profile ${profile.name} has no key ${name}`,
            'Plan again: the key may have been removed at its source.',
          );
      } catch (error) {
        const code = error instanceof LatchkeyError ? error.code : 'INTERNAL';
        await ctx
          .audit({ action: 'reveal', profile: profile.name, keys: [name], outcome: 'error', detail: code })
          .catch(() => undefined);
        throw error;
      }
      await ctx.audit({ action: 'reveal', profile: profile.name, keys: [name], outcome: 'ok' });
      return { name, value };
    },
  };
}
