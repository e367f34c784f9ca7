import { editorInvocation } from '../../contract/editor-command';
import { parseDotenv } from '../core/dotenv';
import { decodeLossless } from '../core/bytes';
import { loadSettings } from '../core/settings';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LatchkeyError } from '../core/errors';
import type { AppDeps } from './deps';
import type { FileOpener } from './manifest';
import { loadProjectProfile, type ProjectRef } from './project-lookup';

/** Starts a program without a shell (main/desktop/editor.ts in the app). */
export type EditorLauncher = (command: string, args: string[]) => Promise<void>;

export interface OpenedAt {
  /** The 1-based line of the key in the target; undefined when the file does not hold it (an add). */
  line?: number;
  /** `editor`: the user's editor command, at the line; `default-app`: the system's app for the file, at its top. */
  via: 'editor' | 'default-app';
}

/**
 * Opens the profile's target at the key's line: with the editor command from Settings when there is one (run
 * without a shell), else in the system's default app. Only the profile's own target is ever opened; the window
 * names a key, never a path.
 */
export async function openTargetAtKey(
  deps: AppDeps & { openFile: FileOpener; launchEditor?: EditorLauncher | undefined },
  request: { project: ProjectRef; profile: string; name: string },
): Promise<OpenedAt> {
  const { profile } = await loadProjectProfile(request.project, request.profile);
  const line = await lineOfKey(profile.target, profile.dialect, request.name);
  const { editorCommand } = await loadSettings(deps.runtime.appDir);
  if (editorCommand.trim() !== '' && deps.launchEditor) {
    const { command, args } = editorInvocation(editorCommand, profile.target, line ?? 1);
    await deps.launchEditor(command, args);
    return { ...(line !== undefined && { line }), via: 'editor' };
  }
  await deps.openFile(profile.target);
  return { ...(line !== undefined && { line }), via: 'default-app' };
}

/** The physical line where the key's last assignment starts (the one its readers keep), counted as readers do. */
export async function lineOfKey(
  target: string,
  dialect: Parameters<typeof parseDotenv>[1],
  name: string,
): Promise<number | undefined> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(target);
  } catch {
    return undefined;
  }
  const doc = parseDotenv(decodeLossless(bytes), dialect);
  let line = 1;
  let found: number | undefined;
  for (const entry of doc.lines) {
    if (entry.kind === 'entry' && entry.key === name) found = line;
    // A multi-line value spans as many physical lines as the line breaks inside it, plus its own terminator.
    line += (entry.raw.match(/\r\n|\n|\r/g)?.length ?? 0) + (entry.terminator === '' ? 0 : 1);
  }
  return found;
}

/**
 * Opens a file secret's file (the review's "Open file"): only a path one of the profile's `s3:` + `file:` sources
 * writes, with the editor command from Settings when there is one, else in the system's default app.
 */
export async function openFileSecret(
  deps: AppDeps & { openFile: FileOpener; launchEditor?: EditorLauncher | undefined },
  request: { project: ProjectRef; profile: string; path: string },
): Promise<Pick<OpenedAt, 'via'>> {
  const { manifest, profile } = await loadProjectProfile(request.project, request.profile);
  const spec = profile.sources.find((s) => s.kind === 's3' && s.file === request.path);
  if (!spec)
    throw new LatchkeyError(
      'SOURCE_NOT_FOUND',
      `profile ${profile.name} writes no file ${request.path}`,
      'Plan again: the file may have been removed from latchkey.yml.',
    );
  const abs = path.resolve(manifest.dir, request.path);
  const { editorCommand } = await loadSettings(deps.runtime.appDir);
  if (editorCommand.trim() !== '' && deps.launchEditor) {
    const { command, args } = editorInvocation(editorCommand, abs, 1);
    await deps.launchEditor(command, args);
    return { via: 'editor' };
  }
  await deps.openFile(abs);
  return { via: 'default-app' };
}
