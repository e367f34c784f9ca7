import type { Handlers } from '../types';
import type { HandlerContext } from './context';

type ChamberHandlers = Pick<Handlers, 'chamber.listServices' | 'chamber.listKeys' | 'chamber.find'>;

/**
 * The service browser, read-only over app.chamber: names, versions, dates and users. A project id scopes the calls
 * to that project's `aws:` (resolved through the registry, so an id main did not issue is PROJECT_NOT_OPEN);
 * without one they use the environment's credentials, as the CLI does outside a project.
 */
export function chamberHandlers({ app }: HandlerContext): ChamberHandlers {
  const scope = (projectId: string | undefined) =>
    projectId === undefined ? {} : { project: { dir: app.projects.folderOf(projectId) } };
  return {
    async 'chamber.listServices'({ projectId }) {
      return { services: await app.chamber.listServices(scope(projectId)) };
    },
    async 'chamber.listKeys'({ projectId, service }) {
      return { keys: await app.chamber.list({ ...scope(projectId), service }) };
    },
    async 'chamber.find'({ projectId, pattern }) {
      return { keys: await app.chamber.find({ ...scope(projectId), pattern }) };
    },
  };
}
