import { fileSecretSides } from '../core/sync';
import { auditedAttempt } from './audit-trail';
import type { AppDeps } from './deps';
import { loadProjectProfile, type ProjectRef } from './project-lookup';

/** Both sides of a file secret's change as text; a side is absent where there is no file (an add). */
export interface FileChangeSides {
  local?: string;
  remote?: string;
}

/**
 * The file on disk and the source's object of one file secret, because the user asked to compare them: only small
 * text (core's fileSecretSides refuses the rest). One `reveal` audit event naming the file, whether it works or not.
 */
export async function revealFileChange(
  deps: AppDeps,
  request: { project: ProjectRef; profile: string; path: string },
): Promise<FileChangeSides> {
  const { manifest, profile } = await loadProjectProfile(request.project, request.profile);
  return auditedAttempt(
    deps,
    (outcome, code) => ({
      action: 'reveal',
      profile: profile.name,
      keys: [request.path],
      outcome,
      detail: code ?? 'both sides of a file change',
    }),
    () => fileSecretSides(manifest, profile.name, deps.runtime.syncEnvironment(manifest), request.path),
  );
}
