import { LatchkeyError } from '../core/errors';
import { resolveValues, targetValues } from '../core/sync';
import { auditedAttempt } from './audit-trail';
import type { AppDeps } from './deps';
import { loadProjectProfile, type ProjectRef } from './project-lookup';

type RevealRequest = { project: ProjectRef; profile: string; name: string };
type LoadedProfile = Awaited<ReturnType<typeof loadProjectProfile>>;

/** Every reveal is one `reveal` audit event naming the key (never a value), whether it works or not. */
async function auditedReveal<T>(
  deps: AppDeps,
  request: RevealRequest,
  detail: string | undefined,
  reveal: (loaded: LoadedProfile) => Promise<T>,
): Promise<T> {
  const loaded = await loadProjectProfile(request.project, request.profile);
  return auditedAttempt(
    deps,
    (outcome, code) => ({
      action: 'reveal',
      profile: loaded.profile.name,
      keys: [request.name],
      outcome,
      ...((code ?? detail) !== undefined && { detail: code ?? detail }),
    }),
    () => reveal(loaded),
  );
}

/** One value of a profile, because the user asked for it; audited whether it works or not. */
export function revealValue(deps: AppDeps, request: RevealRequest): Promise<string> {
  const { name } = request;
  return auditedReveal(deps, request, undefined, async ({ manifest, profile }) => {
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
  });
}

/** Both sides of one change, as the review's side-by-side reveal shows them: absent where a side has no line. */
export interface ChangeSides {
  local?: string;
  remote?: string;
}

/** The value in the target file and the source's value of one key, because the user asked to compare them. */
export function revealChange(deps: AppDeps, request: RevealRequest): Promise<ChangeSides> {
  const { name } = request;
  return auditedReveal(deps, request, 'both sides of a change', async ({ manifest, profile }) => {
    const [local, resolved] = await Promise.all([
      targetValues(profile),
      resolveValues(manifest, profile.name, deps.runtime.syncEnvironment(manifest), { nothingWas: 'revealed' }),
    ]);
    const sides: ChangeSides = {
      ...(local.has(name) && { local: local.get(name)! }),
      ...(resolved.values.has(name) && { remote: resolved.values.get(name)! }),
    };
    if (sides.local === undefined && sides.remote === undefined)
      throw new LatchkeyError(
        'SOURCE_NOT_FOUND',
        `${name} is neither in ${profile.targetRel} nor produced by profile ${profile.name}`,
        'Plan again: the key may have been removed.',
      );
    return sides;
  });
}
