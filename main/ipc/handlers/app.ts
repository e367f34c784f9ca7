import path from 'node:path';
import { LatchkeyError } from '../../core/errors';
import type { Handlers } from '../types';
import { auditEntry } from '../views';
import type { HandlerContext } from './context';

type AppHandlers = Pick<
  Handlers,
  | 'settings.get'
  | 'settings.set'
  | 'audit.tail'
  | 'audit.verify'
  | 'audit.export'
  | 'shell.openExternal'
  | 'menu.pending'
>;

const EXPORT_TYPES = { csv: { name: 'CSV', extension: 'csv' }, json: { name: 'JSON', extension: 'json' } } as const;

export function appHandlers({ app, pickSaveFile, menuCommands }: HandlerContext): AppHandlers {
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
    async 'audit.verify'() {
      return app.audit.verify();
    },
    /** The file is chosen in main's save dialog; the window only says which events and in what format. */
    async 'audit.export'({ format, filter }) {
      if (!pickSaveFile) throw new LatchkeyError('WRITE_FAILED', 'This window cannot save files');
      const fileType = EXPORT_TYPES[format];
      const file = await pickSaveFile({
        title: 'Export the audit trail',
        defaultName: `latchkey-audit.${fileType.extension}`,
        fileType,
      });
      if (file === null) return { saved: false, events: 0 };
      const events = await app.audit.export({ file, format, filter });
      return { saved: true, events, fileName: path.basename(file) };
    },
    async 'shell.openExternal'({ url }) {
      await app.links.open(url);
      return {};
    },
    async 'menu.pending'() {
      return { commands: menuCommands.take() };
    },
  };
}
