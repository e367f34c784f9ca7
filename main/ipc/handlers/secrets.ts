import type { Handlers } from '../types';
import type { HandlerContext } from './context';

type SecretHandlers = Pick<Handlers, 'secrets.setPersonal' | 'secrets.reveal'>;

export function secretHandlers({ app }: HandlerContext): SecretHandlers {
  return {
    /** The value crosses once, goes to the keychain, and is forgotten here; the audit names the key only. */
    async 'secrets.setPersonal'({ dir, name, value }) {
      await app.personalSecrets.set({ dir }, name, async () => value);
      return {};
    },
    /** One value, because the user asked for it; audited whether it works or not. */
    async 'secrets.reveal'({ dir, profile, name }) {
      return { name, value: await app.values.reveal({ project: { dir }, profile, name }) };
    },
  };
}
