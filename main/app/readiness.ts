import type { ReadinessItem } from '../../contract/ipc';
import { probeAwsAccess, type AwsAccessResult } from '../aws/access';
import { gitWouldTrack } from '../core/gitignore';
import { personalSecretAccount } from '../core/keychain';
import { ManifestError } from '../core/manifest';
import { buildReadiness, invalidManifestReadiness, type AwsSessionStatus, type OpReadiness } from '../core/readiness';
import { profileOf } from '../core/sync';
import type { Manifest, OpSpec } from '../core/types';
import type { AppDeps } from './deps';
import { loadProject, type ProjectRef } from './project-lookup';
import { watchProject, type ProjectWatch } from './project-watch';

export interface ReadinessDeps extends AppDeps {
  projectWatch?: ProjectWatch;
  /** The AWS access probe (STS GetCallerIdentity by default). */
  probeAws?: (aws: Manifest['aws']) => Promise<AwsAccessResult>;
  opReadiness(specs: OpSpec[]): Promise<OpReadiness>;
  awsSession?(profile: string): Promise<AwsSessionStatus>;
}

/** The profile's checklist; a manifest that does not parse is a checklist of that one problem, not an error. */
export async function profileReadiness(
  deps: ReadinessDeps,
  project: ProjectRef,
  profileName: string,
): Promise<ReadinessItem[]> {
  let manifest: Manifest;
  try {
    manifest = await loadProject(project);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    watchProject(deps.projectWatch, project, error.file);
    return invalidManifestReadiness(error);
  }
  watchProject(deps.projectWatch, project, manifest.path);
  const profile = profileOf(manifest, profileName);
  watchProject(deps.projectWatch, project, manifest.path, profile);
  return buildReadiness(manifest, profile, {
    awsAccess: deps.probeAws ?? ((aws) => probeAwsAccess(aws)),
    personalSecretPresent: async (name) =>
      (await deps.runtime.keychain.get(personalSecretAccount(manifest.path, name))) !== null,
    gitWouldTrack,
    opReadiness: deps.opReadiness,
    ...(deps.awsSession && { awsSession: deps.awsSession }),
  });
}
