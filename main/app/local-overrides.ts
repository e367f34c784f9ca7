import { writeKeptKey } from '../core/local-overrides';
import { loadProjectProfile, type ProjectRef } from './project-lookup';

export interface KeepRequest {
  project: ProjectRef;
  profile: string | undefined;
  key: string;
}

/**
 * "This key is mine" (issue 12, item 4): the key goes into `keep:` of latchkey.local.yml beside the manifest, and
 * from then on the plan shows it as `local-override`. The profile must exist; the key need not be produced yet.
 */
export async function keepLocalValue(request: KeepRequest): Promise<{ file: string; profile: string }> {
  const { manifest, profile } = await loadProjectProfile(request.project, request.profile);
  const file = await writeKeptKey(manifest.dir, profile.name, request.key, true);
  return { file, profile: profile.name };
}

/** Undoes keepLocalValue: the key is compared with its source again (a differing value is a conflict). */
export async function unkeepLocalValue(request: KeepRequest): Promise<{ file: string; profile: string }> {
  const { manifest, profile } = await loadProjectProfile(request.project, request.profile);
  const file = await writeKeptKey(manifest.dir, profile.name, request.key, false);
  return { file, profile: profile.name };
}
