import type { Handlers } from '../types';
import { manifestView } from '../views';
import type { HandlerContext } from './context';

type ManifestHandlers = Pick<Handlers, 'manifest.read' | 'manifest.create' | 'manifest.writeProfile'>;

export function manifestHandlers({ app }: HandlerContext): ManifestHandlers {
  return {
    async 'manifest.read'({ dir }) {
      return { manifest: manifestView(await app.manifest.read({ dir })) };
    },
    async 'manifest.create'({ dir, aws, profile }) {
      return { manifest: manifestView(await app.manifest.create({ dir }, { aws, profile })) };
    },
    /** Works on a manifest that does not parse too: saving a fixed profile is one way to repair it. */
    async 'manifest.writeProfile'({ dir, previousName, profile }) {
      return { manifest: manifestView(await app.manifest.writeProfile({ dir }, profile, previousName)) };
    },
  };
}
