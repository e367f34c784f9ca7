import type { Handlers } from '../types';
import { manifestView } from '../views';
import type { HandlerContext } from './context';

type ManifestHandlers = Pick<
  Handlers,
  'manifest.read' | 'manifest.create' | 'manifest.writeProfile' | 'manifest.openInEditor'
>;

/** Each resolves the window's project id to the folder main registered; nothing else names a folder. */
export function manifestHandlers({ app }: HandlerContext): ManifestHandlers {
  const project = (projectId: string) => ({ dir: app.projects.folderOf(projectId) });
  return {
    async 'manifest.openInEditor'({ projectId }) {
      await app.manifestEditor.open(project(projectId));
      return {};
    },
    async 'manifest.read'({ projectId }) {
      return { manifest: manifestView(await app.manifest.read(project(projectId))) };
    },
    async 'manifest.create'({ projectId, aws, profile }) {
      return { manifest: manifestView(await app.manifest.create(project(projectId), { aws, profile })) };
    },
    /** Works on a manifest that does not parse too: saving a fixed profile is one way to repair it. */
    async 'manifest.writeProfile'({ projectId, previousName, profile }) {
      return { manifest: manifestView(await app.manifest.writeProfile(project(projectId), profile, previousName)) };
    },
  };
}
