import { LatchkeyError } from '../../core/errors';
import { forgetProject, isFolder, listProjectEntries, recordProject, summarizeProject } from '../../core/projects';
import type { Handlers } from '../types';
import { projectDir, type HandlerContext } from './context';

type ProjectHandlers = Pick<Handlers, 'projects.list' | 'projects.open' | 'projects.pick' | 'projects.forget'>;

export function projectHandlers(ctx: HandlerContext): ProjectHandlers {
  return {
    async 'projects.list'() {
      const entries = await listProjectEntries(ctx.appDir);
      return { projects: await Promise.all(entries.map(summarizeProject)) };
    },

    /** Remembers the folder; its state says whether the UI shows profiles or the guided form (no-manifest). */
    async 'projects.open'({ dir }) {
      const folder = projectDir(dir);
      if (!(await isFolder(folder))) {
        throw new LatchkeyError(
          'INVALID_INPUT',
          `${folder} is not a folder`,
          'It may have been moved or deleted: pick it again.',
        );
      }
      const entry = await recordProject(ctx.appDir, folder);
      return { project: await summarizeProject(entry) };
    },

    async 'projects.pick'() {
      return { dir: await ctx.pickFolder() };
    },

    async 'projects.forget'({ dir }) {
      await forgetProject(ctx.appDir, projectDir(dir));
      ctx.watcher?.unwatchDir(dir);
      return {};
    },
  };
}
