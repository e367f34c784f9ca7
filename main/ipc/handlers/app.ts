import { tailAudit } from '../../core/audit';
import { LatchkeyError } from '../../core/errors';
import { loadSettings, updateSettings } from '../../core/settings';
import type { Handlers } from '../types';
import { auditEntry } from '../views';
import type { HandlerContext } from './context';

type AppHandlers = Pick<Handlers, 'settings.get' | 'settings.set' | 'audit.tail' | 'shell.openExternal'>;

export function appHandlers(ctx: HandlerContext): AppHandlers {
  return {
    async 'settings.get'() {
      return { settings: await loadSettings(ctx.appDir) };
    },

    async 'settings.set'({ settings: patch }) {
      const { settings, changed } = await updateSettings(ctx.appDir, patch);
      if (changed.length > 0) await ctx.audit({ action: 'settings.change', keys: changed, outcome: 'ok' });
      return { settings };
    },

    /** The latest events, oldest first (as the log holds them); names and outcomes only. */
    async 'audit.tail'({ limit }) {
      return { events: (await tailAudit(ctx.appDir, limit)).map(auditEntry) };
    },

    async 'shell.openExternal'({ url }) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new LatchkeyError('INVALID_INPUT', 'That is not a link Latchkey can open.');
      }
      if (parsed.protocol !== 'https:')
        throw new LatchkeyError('INVALID_INPUT', 'Only https links are opened in the browser.');
      await ctx.openExternal(parsed.href); // eng-disable OPEN_EXTERNAL_JS_CHECK (our own https-only dependency, not shell)
      return {};
    },
  };
}
