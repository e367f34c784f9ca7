import { LatchkeyError } from '../core/errors';
import { resolveValues } from '../core/sync';
import { auditedAttempt } from './audit-trail';
import type { AppDeps } from './deps';
import { loadProjectProfile, type ProjectRef } from './project-lookup';

/** One value of a profile, because the user asked for it; audited whether it works or not. */
export async function revealValue(
  deps: AppDeps,
  request: { project: ProjectRef; profile: string; name: string },
): Promise<string> {
  const { manifest, profile } = await loadProjectProfile(request.project, request.profile);
  const { name } = request;
  return auditedAttempt(
    deps,
    (outcome, code) => ({
      action: 'reveal',
      profile: profile.name,
      keys: [name],
      outcome,
      ...(code !== undefined && { detail: code }),
    }),
    async () => {
      const resolved = await resolveValues(manifest, profile.name, deps.runtime.syncEnvironment(manifest), {
        nothingWas: 'revealed',
      });
      const value = resolved.values.get(name);
      if (value === undefined)
        throw new LatchkeyError(
          'SOURCE_NOT_FOUND',
          `profile ${profile.name} has no key ${name}`,
          'Plan again: the key may have been removed at its source.',
        );
      return value;
    },
  );
}
