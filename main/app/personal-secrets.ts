import { LatchkeyError } from '../core/errors';
import { describeRejectedInput } from '../core/redact';
import { personalSecretAccount } from '../core/keychain';
import { findMissingPersonalSecrets } from '../core/sync';
import type { Manifest, Profile } from '../core/types';
import { recordAudit } from './audit-trail';
import type { AppDeps } from './deps';
import { loadProject, loadProjectProfile, type ProjectRef } from './project-lookup';

export interface MissingPersonalSecrets {
  manifest: Manifest;
  profile: Profile;
  /** Named by the profile's `keychain:` sources, not in the keychain yet. */
  missing: { name: string; account: string }[];
}

/** What a profile needs from the keychain that it does not hold yet: the CLI asks for it, the app shows a form. */
export async function missingPersonalSecrets(
  deps: AppDeps,
  project: ProjectRef,
  profileName: string | undefined,
): Promise<MissingPersonalSecrets> {
  const { manifest, profile } = await loadProjectProfile(project, profileName);
  return { manifest, profile, missing: await findMissingPersonalSecrets(manifest, profile, deps.runtime.keychain) };
}

/**
 * Stores one personal secret named by a `keychain:` source of the project's manifest. The value is asked for only
 * once the name is known to be one, goes to the keychain and is forgotten here; the audit names the key only.
 */
export async function setPersonalSecret(
  deps: AppDeps,
  project: ProjectRef,
  name: string,
  readValue: () => Promise<string>,
  opts: { profile?: string } = {},
): Promise<void> {
  const manifest = await loadProject(project);
  const declared = new Set(
    [...manifest.profiles.values()].flatMap((p) => p.sources.flatMap((s) => (s.kind === 'keychain' ? [s.name] : []))),
  );
  if (!declared.has(name))
    // The name is not echoed: a value pasted where the name goes is the likely mistake (issue 10, item 17).
    throw new LatchkeyError(
      'INVALID_INPUT',
      `no profile in ${manifest.path} has a keychain: source named by ${describeRejectedInput(name)}`,
      declared.size > 0 ? `Its keychain: sources are ${[...declared].join(', ')}.` : 'It has no keychain: sources.',
    );
  await deps.runtime.keychain.set(personalSecretAccount(manifest.path, name), await readValue());
  await recordAudit(deps, {
    action: 'secret.set',
    ...(opts.profile !== undefined && { profile: opts.profile }),
    keys: [name],
    outcome: 'ok',
  });
}
