import type { SharedKeyDescription } from '../../app';
import type { Handlers } from '../types';
import type { HandlerContext } from './context';

type SharedSecretHandlers = Pick<Handlers, 'sharedSecrets.describe' | 'sharedSecrets.rotate' | 'sharedSecrets.write'>;

/** The key drawer's shared keys: each resolves the window's project id, then one use case of main/app. */
export function sharedSecretHandlers({ app, send }: HandlerContext): SharedSecretHandlers {
  const projectOf = (projectId: string) => ({ dir: app.projects.folderOf(projectId) });
  return {
    async 'sharedSecrets.describe'({ projectId, profile, key }) {
      return describeView(await app.sharedSecrets.describe({ project: projectOf(projectId), profile, name: key }));
    },
    async 'sharedSecrets.rotate'({ projectId, profile, key, sync }) {
      const result = await app.sharedSecrets.rotate({
        project: projectOf(projectId),
        profile,
        name: key,
        sync: sync === true,
        onStep: (step) => send('sharedSecrets.progress', { profile, key, step }),
      });
      const { name, ...rest } = result;
      return { key: name, ...rest };
    },
    /** The value goes to SSM and is dropped here; the answer names versions only. */
    async 'sharedSecrets.write'({ projectId, profile, key, value, ifVersion }) {
      const { name, ...rest } = await app.sharedSecrets.write({
        project: projectOf(projectId),
        profile,
        name: key,
        value,
        ifVersion,
      });
      return { key: name, ...rest };
    },
  };
}

function describeView(d: SharedKeyDescription) {
  const { current } = d;
  return {
    key: d.name,
    profile: d.profile,
    parameter: d.parameter,
    sourceKind: d.sourceKind,
    version: current.version,
    chamberVersion: current.chamberVersion,
    ...(current.lastModified !== undefined && { lastModified: current.lastModified }),
    ...(current.lastModifiedUser !== undefined && { lastModifiedUser: current.lastModifiedUser }),
    history: d.history.map((h) => ({
      version: h.version,
      chamberVersion: h.chamberVersion,
      ...(h.lastModified !== undefined && { lastModified: h.lastModified }),
      ...(h.lastModifiedUser !== undefined && { lastModifiedUser: h.lastModifiedUser }),
      labels: h.labels,
    })),
    policy: d.policy,
    otherUses: d.otherUses,
  };
}
