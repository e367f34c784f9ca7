import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LatchkeyError } from '../../core/errors';
import { MANIFEST_FILE_NAMES } from '../../core/manifest';
import { createManifestFile, writeProfileToFile } from '../../core/manifest-edit';
import type { Handlers } from '../types';
import { manifestView } from '../views';
import { manifestIn, projectDir, type HandlerContext } from './context';

type ManifestHandlers = Pick<Handlers, 'manifest.read' | 'manifest.create' | 'manifest.writeProfile'>;

export function manifestHandlers(ctx: HandlerContext): ManifestHandlers {
  return {
    async 'manifest.read'({ dir }) {
      return { manifest: manifestView(await manifestIn(dir)) };
    },

    async 'manifest.create'({ dir, aws, profile }) {
      const manifest = await createManifestFile(projectDir(dir), { aws, profile });
      await ctx.audit({
        action: 'manifest.change',
        profile: profile.name,
        target: manifest.path,
        outcome: 'ok',
        detail: 'created the manifest',
      });
      return { manifest: manifestView(manifest) };
    },

    /** Works on a manifest that does not parse too: saving a fixed profile is one way to repair it. */
    async 'manifest.writeProfile'({ dir, previousName, profile }) {
      const file = await manifestFileIn(projectDir(dir));
      const { manifest, wrote } = await writeProfileToFile(file, profile, previousName);
      if (wrote) {
        const renamed = previousName !== undefined && previousName !== profile.name;
        await ctx.audit({
          action: 'manifest.change',
          profile: profile.name,
          target: manifest.path,
          outcome: 'ok',
          detail: renamed ? `renamed profile ${previousName} to ${profile.name}` : `saved profile ${profile.name}`,
        });
      }
      return { manifest: manifestView(manifest) };
    },
  };
}

/** The manifest file in `dir` without parsing it. */
async function manifestFileIn(dir: string): Promise<string> {
  const present: string[] = [];
  for (const name of MANIFEST_FILE_NAMES) {
    const file = path.join(dir, name);
    if ((await fs.stat(file).catch(() => undefined))?.isFile()) present.push(file);
  }
  if (present.length > 1)
    throw new LatchkeyError(
      'MANIFEST_INVALID',
      `both latchkey.yml and latchkey.yaml are in ${dir}`,
      'Keep one of them.',
    );
  const [file] = present;
  if (!file)
    throw new LatchkeyError('MANIFEST_NOT_FOUND', `no latchkey.yml in ${dir}`, 'Create one with the guided form.');
  return file;
}
