import { LatchkeyError } from '../core/errors';
import { profileNarrowedTo } from '../core/reveal-scope';
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

/**
 * The value the profile gives `name`, reading only the sources that can produce it, each narrowed to it
 * (core/reveal-scope.ts): one key of a 3,000-key profile is a few requests, not the profile's. Where a chamber
 * service was read by guessed spellings and nothing was found (a parameter in mixed case), the whole profile is
 * read, as before. Known gap, left on purpose: a mixed-case parameter (chamber never writes one) in a guessed service
 * that overrides an earlier source's value goes unseen, and the earlier value is shown. Closing it means reading
 * the whole profile whenever a guessed service follows another source, which is the common chamber layout.
 */
async function resolveOne(deps: AppDeps, { manifest, profile }: LoadedProfile, name: string) {
  const env = deps.runtime.syncEnvironment(manifest);
  const narrowed = profileNarrowedTo(profile, name);
  const profiles = new Map(manifest.profiles);
  profiles.set(profile.name, narrowed.profile);
  const one = await resolveValues({ ...manifest, profiles }, profile.name, env, { nothingWas: 'revealed' });
  if (one.values.has(name) || narrowed.exact) return one.values.get(name);
  return (await resolveValues(manifest, profile.name, env, { nothingWas: 'revealed' })).values.get(name);
}

/** One value of a profile, because the user asked for it; audited whether it works or not. */
export function revealValue(deps: AppDeps, request: RevealRequest): Promise<string> {
  const { name } = request;
  return auditedReveal(deps, request, undefined, async (loaded) => {
    const { profile } = loaded;
    const value = await resolveOne(deps, loaded, name);
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
  return auditedReveal(deps, request, 'both sides of a change', async (loaded) => {
    const { profile } = loaded;
    const [local, remote] = await Promise.all([targetValues(profile), resolveOne(deps, loaded, name)]);
    const sides: ChangeSides = {
      ...(local.has(name) && { local: local.get(name)! }),
      ...(remote !== undefined && { remote }),
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
