import type { AwsProfileKind } from '../../contract/ipc';
import type { Keychain } from '../core/keychain';
import { readAwsFile } from './files';
import { readIniSections } from './ini';

/**
 * Every AWS profile on this machine, what kind it is and whether Latchkey holds a session for it.
 *
 * Latchkey marks the credentials it writes with two extra keys in the profile's credentials section. The AWS CLI
 * (botocore) and the SDKs read only the keys they know and ignore the rest, so the markers are harmless to them.
 */
export const MANAGED_KEY = 'x_latchkey_managed';
export const EXPIRATION_KEY = 'x_latchkey_expiration';

export interface AwsProfileInfo {
  name: string;
  kind: AwsProfileKind;
  region?: string;
  mfaSerial?: string;
  roleArn?: string;
  sourceProfile?: string;
  /** True when credential_process runs `latchkey aws credential-process`. */
  latchkeyProcess?: boolean;
  session: { active: boolean; expiration?: string; managed: boolean };
}

/** The keychain account holding a profile's long-lived IAM user keys. */
export function vaultAccount(profile: string): string {
  return `aws:${profile}`;
}

/** The keychain account holding a profile's cached session (MFA or role), for credential_process and AssumeRole. */
export function sessionAccount(profile: string): string {
  return `aws-session:${profile}`;
}

export interface AwsFilesView {
  config: Map<string, Record<string, string>>;
  credentials: Map<string, Record<string, string>>;
}

export async function readAwsProfiles(env: NodeJS.ProcessEnv = process.env): Promise<AwsFilesView> {
  const config = new Map<string, Record<string, string>>();
  for (const [section, values] of readIniSections(await readAwsFile('config', env))) {
    const name = configSectionProfile(section);
    if (name !== undefined) config.set(name, mergeKeys(config.get(name), values));
  }
  return { config, credentials: readIniSections(await readAwsFile('credentials', env)) };
}

/** Later layers win; the result keeps the null prototype of readIniSections' records (see there). */
export function mergeKeys(...layers: (Record<string, string> | undefined)[]): Record<string, string> {
  const merged = Object.create(null) as Record<string, string>;
  for (const layer of layers) Object.assign(merged, layer);
  return merged;
}

/** `[default]` and `[profile x]` are profiles in the config file; `[sso-session x]`, `[services x]` are not. */
function configSectionProfile(section: string): string | undefined {
  if (section === 'default') return 'default';
  const match = /^profile (.+)$/.exec(section);
  return match ? match[1] : undefined;
}

export function configSectionName(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}

export async function listAwsProfiles(
  keychain: Keychain,
  opts: { env?: NodeJS.ProcessEnv; now?: Date } = {},
): Promise<AwsProfileInfo[]> {
  const files = await readAwsProfiles(opts.env);
  const names = [...new Set([...files.config.keys(), ...files.credentials.keys()])].sort();
  const out: AwsProfileInfo[] = [];
  for (const name of names) out.push(await describeProfile(name, files, keychain, opts.now ?? new Date()));
  return out;
}

export async function describeProfile(
  name: string,
  files: AwsFilesView,
  keychain: Keychain,
  now: Date,
): Promise<AwsProfileInfo> {
  const config = files.config.get(name) ?? {};
  const creds = files.credentials.get(name) ?? {};
  // The SDKs merge both files per profile, the credentials file winning.
  const merged = mergeKeys(config, creds);
  const managed = creds[MANAGED_KEY] === 'true';
  const expiration = managed ? creds[EXPIRATION_KEY] : undefined;
  const inKeychain = (await keychain.get(vaultAccount(name))) !== null;
  const process = merged.credential_process;
  return {
    name,
    kind: kindOf(merged, managed, inKeychain),
    ...(merged.region && { region: merged.region }),
    ...(merged.mfa_serial && { mfaSerial: merged.mfa_serial }),
    ...(merged.role_arn && { roleArn: merged.role_arn }),
    ...(merged.source_profile && { sourceProfile: merged.source_profile }),
    ...(process && { latchkeyProcess: /\baws credential-process\b/.test(process) }),
    session: { managed, active: managed && isFresh(expiration, now), ...(expiration && { expiration }) },
  };
}

function kindOf(p: Record<string, string>, managed: boolean, inKeychain: boolean): AwsProfileKind {
  if (p.sso_session || p.sso_start_url) return 'sso';
  if (p.role_arn) return 'role';
  if (p.credential_process) return 'credential-process';
  if (inKeychain) return 'keychain-keys';
  if (p.aws_access_key_id && !managed) return 'file-keys';
  return 'unknown';
}

/** Fresh means valid for at least `marginMs` more (default one minute): a token about to lapse is not offered. */
export function isFresh(expiration: string | undefined, now: Date, marginMs = 60_000): boolean {
  if (!expiration) return false;
  const at = Date.parse(expiration);
  return Number.isFinite(at) && at - marginMs > now.getTime();
}
