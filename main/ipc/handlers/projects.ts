import type { Handlers } from '../types';
import type { HandlerContext } from './context';

type ProjectHandlers = Pick<Handlers, 'projects.list' | 'projects.open' | 'projects.pick' | 'projects.forget'>;

export function projectHandlers({ app, pickFolder }: HandlerContext): ProjectHandlers {
  return {
    async 'projects.list'() {
      return { projects: await app.projects.list() };
    },
    /** Remembers the folder; its state says whether the UI shows profiles or the guided form (no-manifest). */
    async 'projects.open'({ projectId }) {
      return { project: await app.projects.open(projectId) };
    },
    /** The one way a new folder reaches the window: the user chose it in main's own dialog. */
    async 'projects.pick'() {
      const dir = await pickFolder();
      return { picked: dir === null ? null : await app.projects.admitChosen(dir) };
    },
    async 'projects.forget'({ projectId }) {
      await app.projects.forget(projectId);
      return {};
    },
  };
}
