import { probeAwsAccess } from '../../aws/access';
import { addToGitignore, gitWouldTrack } from '../../core/gitignore';
import { NeedsInputError, personalSecretAccount } from '../../core/keychain';
import { ManifestError } from '../../core/manifest';
import {
  buildReadiness,
  invalidManifestReadiness,
  type AwsSessionStatus,
  type OpReadiness,
} from '../../core/readiness';
import { findMissingPersonalSecrets, preparePlan, profileOf, type SyncProgress } from '../../core/sync';
import type { Manifest, OpSpec, Profile } from '../../core/types';
import type { Handlers } from '../types';
import { manifestIn, profileIn, type HandlerContext } from './context';

type SyncHandlers = Pick<Handlers, 'readiness' | 'plan' | 'sync' | 'gitignore.add'>;

/** At most one progress event per this many ms within a phase: a 5,000-key resolve must not flood the bridge. */
const PROGRESS_INTERVAL_MS = 50;

export function syncHandlers(
  ctx: HandlerContext,
  opReadiness: (specs: OpSpec[]) => Promise<OpReadiness>,
  awsSession?: (profile: string) => Promise<AwsSessionStatus>,
): SyncHandlers {
  /** From now on, a change to this manifest or target tells the renderer its plan is stale. */
  const watch = (dir: string, manifestPath: string, profile?: Profile) =>
    ctx.watcher?.watch({ dir, manifestPath, ...(profile && { profile: profile.name, target: profile.target }) });

  /** Manifest and profile, watched from here on whatever happens next (a failing source, a missing secret). */
  const load = async (dir: string, profileName: string) => {
    const loaded = await profileIn(dir, profileName);
    watch(dir, loaded.manifest.path, loaded.profile);
    return loaded;
  };

  const prepare = async (dir: string, manifest: Manifest, profile: Profile, takeRemote: string[] | undefined) => {
    const missing = await findMissingPersonalSecrets(manifest, profile, ctx.runtime.keychain);
    // Asked before any source is contacted, so the form appears at once and AWS is not hit for nothing.
    if (missing.length > 0) throw new NeedsInputError(missing);
    return preparePlan(manifest, profile.name, ctx.runtime.syncEnvironment(manifest), {
      ...(takeRemote && { takeRemote }),
      onProgress: progressReporter(ctx, dir, profile.name),
    });
  };

  return {
    async readiness({ dir, profile: profileName }) {
      let manifest: Manifest;
      try {
        manifest = await manifestIn(dir);
      } catch (error) {
        if (!(error instanceof ManifestError)) throw error;
        watch(dir, error.file);
        return { items: invalidManifestReadiness(error) };
      }
      watch(dir, manifest.path);
      const profile = profileOf(manifest, profileName);
      watch(dir, manifest.path, profile);
      const items = await buildReadiness(manifest, profile, {
        awsAccess: ctx.probeAws ?? ((aws) => probeAwsAccess(aws)),
        personalSecretPresent: async (name) =>
          (await ctx.runtime.keychain.get(personalSecretAccount(manifest.path, name))) !== null,
        gitWouldTrack,
        opReadiness,
        ...(awsSession && { awsSession }),
      });
      return { items };
    },

    async plan({ dir, profile: profileName, takeRemote }) {
      const { manifest, profile } = await load(dir, profileName);
      const prepared = await prepare(dir, manifest, profile, takeRemote);
      return { plan: prepared.plan };
    },

    /** Plans with the user's conflict choices and applies at once; our own write does not invalidate the result. */
    async sync({ dir, profile: profileName, takeRemote }) {
      const { manifest, profile } = await load(dir, profileName);
      const prepared = await prepare(dir, manifest, profile, takeRemote);
      const apply = () => prepared.apply();
      const result = ctx.watcher ? await ctx.watcher.suppress(profile.target, apply) : await apply();
      return { plan: result.plan, wrote: result.wrote };
    },

    async 'gitignore.add'({ dir, profile: profileName }) {
      const { manifest, profile } = await profileIn(dir, profileName);
      return { gitignore: await addToGitignore(manifest.dir, profile.target) };
    },
  };
}

function progressReporter(ctx: HandlerContext, dir: string, profile: string): (p: SyncProgress) => void {
  let lastAt = 0;
  let lastPhase: SyncProgress['phase'] | undefined;
  return (p) => {
    const now = Date.now();
    const routine = p.phase === lastPhase && p.done < p.total;
    if (routine && now - lastAt < PROGRESS_INTERVAL_MS) return;
    lastAt = now;
    lastPhase = p.phase;
    ctx.send('sync.progress', { dir, profile, phase: p.phase, done: p.done, total: p.total });
  };
}
