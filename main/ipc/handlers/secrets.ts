import type { Handlers } from '../types';
import type { HandlerContext } from './context';

type SecretHandlers = Pick<
  Handlers,
  'secrets.setPersonal' | 'secrets.reveal' | 'secrets.revealChange' | 'secrets.revealFileChange'
>;

export function secretHandlers({ app }: HandlerContext): SecretHandlers {
  return {
    /** The value crosses once, goes to the keychain, and is forgotten here; the audit names the key only. */
    async 'secrets.setPersonal'({ projectId, name, value }) {
      await app.personalSecrets.set({ dir: app.projects.folderOf(projectId) }, name, async () => value);
      return {};
    },
    /** One value, because the user asked for it, from a folder the user opened; audited whether it works or not. */
    async 'secrets.reveal'({ projectId, profile, name }) {
      const project = { dir: app.projects.folderOf(projectId) };
      return { name, value: await app.values.reveal({ project, profile, name }) };
    },
    /** Both sides of one change, because the user asked to compare them; audited as one reveal of the key. */
    async 'secrets.revealChange'({ projectId, profile, name }) {
      const project = { dir: app.projects.folderOf(projectId) };
      return { name, ...(await app.values.revealChange({ project, profile, name })) };
    },
    /** Both sides of a file secret's change, small text only, because the user asked; audited as one reveal. */
    async 'secrets.revealFileChange'({ projectId, profile, path }) {
      const project = { dir: app.projects.folderOf(projectId) };
      return { path, ...(await app.values.revealFileChange({ project, profile, path })) };
    },
  };
}
