import type { Handlers } from '../types';
import type { HandlerContext } from './context';

type ProjectHandlers = Pick<Handlers, 'projects.list' | 'projects.open' | 'projects.pick' | 'projects.forget'>;

export function projectHandlers({ app, pickFolder }: HandlerContext): ProjectHandlers {
  return {
    async 'projects.list'() {
      return { projects: await app.projects.list() };
    },
    /** Remembers the folder; its state says whether the UI shows profiles or the guided form (no-manifest). */
    async 'projects.open'({ dir }) {
      return { project: await app.projects.open({ dir }) };
    },
    async 'projects.pick'() {
      return { dir: await pickFolder() };
    },
    async 'projects.forget'({ dir }) {
      await app.projects.forget({ dir });
      return {};
    },
  };
}
