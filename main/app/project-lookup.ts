import path from 'node:path';
import { LatchkeyError } from '../core/errors';
import { loadManifest } from '../core/manifest';
import { profileOf } from '../core/sync';
import type { Manifest, Profile } from '../core/types';

/**
 * Where a caller says its project is. The app names a folder (today the absolute path the renderer sends); the
 * CLI names `--dir` or its working directory, searched upward. Every use case finds its project through the
 * functions below, so replacing the app's raw paths with main-side project ids is a change to this file alone.
 */
export type ProjectRef = AppProjectRef | CliProjectRef;

/** A project folder named by the app's window. */
export interface AppProjectRef {
  dir: string;
}

/** `--dir` (relative to `cwd`), or a search upward from `cwd` for latchkey.yml. */
export interface CliProjectRef {
  /** No --dir given: absent or undefined. */
  dir?: string | undefined;
  cwd: string;
  /**
   * Told the manifest's path when the upward search found it, not --dir: someone else's latchkey.yml above the
   * working directory decides what runs, so the CLI names it (issue 10, item 8).
   */
  onFoundBySearch?: ((manifestPath: string) => void) | undefined;
}

const isCliRef = (ref: ProjectRef): ref is CliProjectRef => 'cwd' in ref;

/**
 * The folder of an app project: absolute, and a plain path. The main process has no meaningful working directory,
 * so a relative path would point somewhere nobody chose.
 */
export function projectFolder(ref: AppProjectRef): string {
  const { dir } = ref;
  if (dir.includes('\0')) throw new LatchkeyError('INVALID_INPUT', 'The folder path contains a NUL character.');
  if (!path.isAbsolute(dir))
    throw new LatchkeyError(
      'INVALID_INPUT',
      'Expected an absolute folder path.',
      'Pick the folder with the Open button.',
    );
  return path.resolve(dir);
}

export async function loadProject(ref: ProjectRef): Promise<Manifest> {
  if (!isCliRef(ref)) return loadManifest({ dir: projectFolder(ref) });
  const manifest = await loadManifest({ dir: ref.dir, cwd: ref.cwd });
  if (manifest.foundBy === 'search') ref.onFoundBySearch?.(manifest.path);
  return manifest;
}

export async function loadProjectProfile(
  ref: ProjectRef,
  profileName: string | undefined,
): Promise<{ manifest: Manifest; profile: Profile }> {
  const manifest = await loadProject(ref);
  return { manifest, profile: profileOf(manifest, profileName) };
}
