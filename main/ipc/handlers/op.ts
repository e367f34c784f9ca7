import type { Handlers } from '../types';
import type { HandlerContext } from './context';

type OpHandlers = Pick<
  Handlers,
  'op.status' | 'op.configure' | 'logins.search' | 'logins.details' | 'logins.copy' | 'logins.reveal' | 'logins.openUrl'
>;

/**
 * The 1Password side of the app: the connection (status, configure) and the Logins view. Every value stays in
 * main: copies go through the clipboard guard, and only `logins.reveal` returns one, because the user asked.
 */
export function opHandlers({ app }: HandlerContext): OpHandlers {
  return {
    async 'op.status'() {
      return app.op.status();
    },
    async 'op.configure'({ host, token }) {
      await app.op.configure({ host, token });
      return {};
    },
    async 'logins.search'({ query }) {
      return { logins: await app.logins.search(query) };
    },
    async 'logins.details'({ vaultId, itemId }) {
      return { login: await app.logins.details({ vaultId, itemId }) };
    },
    /** The value goes from Connect to the clipboard; the renderer learns only which field and for how long. */
    async 'logins.copy'({ vaultId, itemId, field }) {
      const { clearsInSeconds } = await app.logins.copy({ vaultId, itemId }, field);
      return { field, clearsInSeconds };
    },
    async 'logins.reveal'({ vaultId, itemId }) {
      return { value: await app.logins.reveal({ vaultId, itemId }) };
    },
    async 'logins.openUrl'({ vaultId, itemId }) {
      await app.logins.openUrl({ vaultId, itemId });
      return {};
    },
  };
}
