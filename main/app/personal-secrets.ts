import { LatchkeyError } from '../core/errors';
import { forgetPersonalSecretDate, personalSecretDates, recordPersonalSecretSet } from '../core/personal-secret-dates';
import { describeRejectedInput } from '../core/redact';
import { personalSecretAccount, personalSecretNames } from '../core/keychain';
import { findMissingPersonalSecrets } from '../core/sync';
import type { Manifest, Profile } from '../core/types';
import { recordAudit } from './audit-trail';
import { nowOf, type AppDeps } from './deps';
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
  // The date is for `secret list` only: the secret is stored, and a record that cannot be written (damaged, say)
  // must not make that look like a failure. The list shows such a date as unknown.
  await recordPersonalSecretSet(deps.runtime.appDir, manifest.path, name, nowOf(deps)).catch(() => undefined);
  await recordAudit(deps, {
    action: 'secret.set',
    ...(opts.profile !== undefined && { profile: opts.profile }),
    keys: [name],
    outcome: 'ok',
  });
}

/** One personal secret as `secret list` shows it: never its value. */
export interface PersonalSecretListing {
  name: string;
  /** The profiles whose `keychain:` sources name it (empty: stored, but the manifest no longer names it). */
  profiles: string[];
  /** The keychain holds it. */
  set: boolean;
  /** When Latchkey last stored it (ISO 8601); null when it was stored before dates were kept, or is not set. */
  setAt: string | null;
}

/**
 * The personal secrets of the project: those its `keychain:` sources name and those stored for it in the keychain
 * (or remembered as set), with whether each is set and when. The keychain is asked for names only where it can
 * list them; otherwise each name is looked up, and its value dropped unread.
 */
export async function listPersonalSecrets(
  deps: AppDeps,
  project: ProjectRef,
): Promise<{ manifest: string; secrets: PersonalSecretListing[] }> {
  const manifest = await loadProject(project);
  const keychain = deps.runtime.keychain;
  const declared = declaredPersonalSecrets(manifest);
  const stored = keychain.accounts ? personalSecretNames(manifest.path, await keychain.accounts()) : undefined;
  const dates = await personalSecretDates(deps.runtime.appDir, manifest.path);
  const names = [...new Set([...declared.keys(), ...(stored ?? []), ...dates.keys()])].sort();
  const secrets: PersonalSecretListing[] = [];
  for (const name of names) {
    const set = stored
      ? stored.includes(name)
      : (await keychain.get(personalSecretAccount(manifest.path, name))) !== null;
    secrets.push({ name, profiles: declared.get(name) ?? [], set, setAt: set ? (dates.get(name) ?? null) : null });
  }
  return { manifest: manifest.path, secrets };
}

/**
 * Removes one personal secret of the project from the keychain. The keychain is asked first whether it holds it, so
 * a locked or absent keychain fails before anything changes; a name it does not hold is an error. Audited by name.
 */
export async function deletePersonalSecret(
  deps: AppDeps,
  project: ProjectRef,
  name: string,
): Promise<{ manifest: string; name: string }> {
  const manifest = await loadProject(project);
  const account = personalSecretAccount(manifest.path, name);
  const keychain = deps.runtime.keychain;
  // A value pasted where the name goes is the likely mistake: a name the manifest does not name is not echoed.
  const shown = declaredPersonalSecrets(manifest).has(name) ? name : `named by ${describeRejectedInput(name)}`;
  const notStored = () =>
    new LatchkeyError(
      'INVALID_INPUT',
      `no personal secret ${shown} is stored for ${manifest.path}`,
      '`latchkey secret list` shows the ones that are.',
    );
  if ((await keychain.get(account)) === null) throw notStored();
  if (!(await keychain.delete(account))) throw notStored();
  await forgetPersonalSecretDate(deps.runtime.appDir, manifest.path, name).catch(() => undefined);
  await recordAudit(deps, { action: 'secret.delete', keys: [name], target: manifest.path, outcome: 'ok' });
  return { manifest: manifest.path, name };
}

/** Each name a `keychain:` source of the manifest names, with the profiles that name it. */
function declaredPersonalSecrets(manifest: Manifest): Map<string, string[]> {
  const declared = new Map<string, string[]>();
  for (const [profileName, profile] of manifest.profiles)
    for (const source of profile.sources)
      if (source.kind === 'keychain') declared.set(source.name, [...(declared.get(source.name) ?? []), profileName]);
  return declared;
}
