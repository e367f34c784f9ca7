import type { Handlers } from '../types';
import { progressReporter } from '../progress';
import type { HandlerContext } from './context';

type SyncHandlers = Pick<Handlers, 'readiness' | 'plan' | 'sync' | 'gitignore.add' | 'keys.keep'>;

export function syncHandlers({ app, send }: HandlerContext): SyncHandlers {
  return {
    async readiness({ dir, profile }) {
      return { items: await app.sync.readiness({ dir }, profile) };
    },
    async plan({ dir, profile, takeRemote }) {
      const onProgress = progressReporter(send, dir, profile);
      const { prepared } = await app.sync.plan({ project: { dir }, profile, takeRemote, onProgress });
      return { plan: prepared.plan };
    },
    /** Plans with the user's conflict choices and applies at once; our own write does not invalidate the result. */
    async sync({ dir, profile, takeRemote }) {
      const onProgress = progressReporter(send, dir, profile);
      const result = await app.sync.sync({ project: { dir }, profile, takeRemote, onProgress });
      return { plan: result.plan, wrote: result.wrote };
    },
    async 'gitignore.add'({ dir, profile }) {
      return { gitignore: await app.sync.ignoreTarget({ dir }, profile) };
    },
    async 'keys.keep'({ dir, profile, key }) {
      return { file: (await app.sync.keep({ project: { dir }, profile, key })).file };
    },
  };
}
