import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ProfileDraft } from '../../contract/ipc';
import { LatchkeyError } from '../core/errors';
import { MANIFEST_FILE_NAMES } from '../core/manifest';
import { createManifestFile, writeProfileToFile, type NewManifestInput } from '../core/manifest-edit';
import type { Manifest } from '../core/types';
import { recordAudit } from './audit-trail';
import type { ChangeSignal } from './changes';
import type { AppDeps } from './deps';
import { loadProject, projectFolder, type AppProjectRef, type ProjectRef } from './project-lookup';

export function readManifest(project: ProjectRef): Promise<Manifest> {
  return loadProject(project);
}

/** latchkey.yml from the guided form, in a folder that has none yet; the project's state changes with it. */
export async function createManifest(
  deps: AppDeps & { changed: ChangeSignal },
  project: AppProjectRef,
  input: NewManifestInput,
): Promise<Manifest> {
  const manifest = await createManifestFile(projectFolder(project), input);
  await recordAudit(deps, {
    action: 'manifest.change',
    profile: input.profile.name,
    target: manifest.path,
    outcome: 'ok',
    detail: 'created the manifest',
  });
  deps.changed.notify();
  return manifest;
}

/** Adds, replaces or renames one profile. Works on a manifest that does not parse too: saving a fixed profile is one way to repair it. */
export async function writeProfile(
  deps: AppDeps,
  project: AppProjectRef,
  profile: ProfileDraft,
  previousName: string | undefined,
): Promise<Manifest> {
  const file = await manifestFileIn(projectFolder(project));
  const { manifest, wrote } = await writeProfileToFile(file, profile, previousName);
  if (wrote) {
    const renamed = previousName !== undefined && previousName !== profile.name;
    await recordAudit(deps, {
      action: 'manifest.change',
      profile: profile.name,
      target: manifest.path,
      outcome: 'ok',
      detail: renamed ? `renamed profile ${previousName} to ${profile.name}` : `saved profile ${profile.name}`,
    });
  }
  return manifest;
}

/** Hands a file to the desktop to open (the user's editor for .yml); rejects when nothing could open it. */
export type FileOpener = (file: string) => Promise<void>;

/**
 * Opens the project's latchkey.yml in the user's editor, so a problem shown in the app is one click from its line.
 * The file is found here, in the folder main registered: the window names a project, never a path.
 */
export async function openManifestInEditor(open: FileOpener, project: AppProjectRef): Promise<void> {
  await open(await manifestFileIn(projectFolder(project)));
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
