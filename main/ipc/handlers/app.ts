import type { Handlers } from '../types';
import { auditEntry } from '../views';
import type { HandlerContext } from './context';

type AppHandlers = Pick<Handlers, 'settings.get' | 'settings.set' | 'audit.tail' | 'shell.openExternal'>;

export function appHandlers({ app }: HandlerContext): AppHandlers {
  return {
    async 'settings.get'() {
      return { settings: await app.settings.read() };
    },
    async 'settings.set'({ settings }) {
      return { settings: await app.settings.change(settings) };
    },
    /** The latest events, oldest first (as the log holds them); names and outcomes only. */
    async 'audit.tail'({ limit }) {
      return { events: (await app.audit.tail(limit)).map(auditEntry) };
    },
    async 'shell.openExternal'({ url }) {
      await app.links.open(url);
      return {};
    },
  };
}
