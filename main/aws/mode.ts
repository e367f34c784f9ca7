import path from 'node:path';
import { LatchkeyError } from '../core/errors';
import { editAwsFile, type AwsFileEdit } from './files';
import { readIniSections, setIniKeys } from './ini';
import { configSectionName, MANAGED_KEY, readAwsProfiles } from './profiles';
import { mergedProfile, SESSION_KEYS } from './sessions';
import { removeKeysAndEmptySection } from './vault';

/**
 * A profile's mode: `session` (Latchkey writes temporary keys into its credentials section) or
 * `credential-process` (the config section runs `latchkey aws credential-process <profile>`, and no key is on disk).
 *
 * Role profiles: the AWS CLI (botocore) and the AWS SDKs check `role_arn` + `source_profile` BEFORE static keys
 * or `credential_process` in the same profile, and assume the role themselves. A session written into a role
 * profile's credentials section, or a credential_process line in its config section, is therefore ignored. For a
 * role profile, credential-process mode writes a companion profile (`[profile <name>-latchkey]` by default) that
 * runs `latchkey aws credential-process <name>`; tools use that profile instead.
 */
export type AwsProfileMode = 'session' | 'credential-process';

export interface ModeResult {
  profile: string;
  mode: AwsProfileMode;
  /** The profile tools should use: the profile itself, or the companion of a role profile. */
  useProfile: string;
  edits: AwsFileEdit[];
}

export interface ModeOptions {
  env?: NodeJS.ProcessEnv;
  /** The node executable and the CLI's bin script (defaults: this process's). */
  nodePath?: string;
  binPath?: string;
  /** The companion profile for a role profile. */
  companion?: string;
  platform?: NodeJS.Platform;
}

function companionProfile(profile: string): string {
  return `${profile}-latchkey`;
}

/**
 * One argument quoted for both parsers that run credential_process: botocore splits it with `shlex.split` (POSIX)
 * and the JS SDK hands it to `/bin/sh` (or cmd.exe on Windows). Inside double quotes both agree that `\"` and `\\`
 * are escapes; `$` and backquote mean different things to each, so a path holding them is refused.
 */
export function quoteProcessArg(arg: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    if (arg.includes('"'))
      throw new LatchkeyError(
        'INVALID_INPUT',
        `cannot quote a path containing a double quote for credential_process: ${arg}`,
      );
    return /[\s&|<>^%]/.test(arg) || arg === '' ? `"${arg}"` : arg;
  }
  if (/[$`\n\r]/.test(arg))
    throw new LatchkeyError(
      'INVALID_INPUT',
      `cannot quote a path containing $, a backquote or a line break for credential_process: ${arg}`,
    );
  return `"${arg.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function credentialProcessCommand(
  profile: string,
  opts: Pick<ModeOptions, 'nodePath' | 'binPath' | 'platform'> = {},
): string {
  const node = opts.nodePath ?? process.execPath;
  const bin = path.resolve(opts.binPath ?? process.argv[1] ?? 'latchkey');
  const q = (a: string) => quoteProcessArg(a, opts.platform);
  return `${q(node)} ${q(bin)} aws credential-process ${/^[\w.@+-]+$/.test(profile) ? profile : q(profile)}`;
}

function isLatchkeyProcess(value: string | undefined): boolean {
  return value !== undefined && /\baws credential-process\b/.test(value);
}

export async function setProfileMode(
  profile: string,
  mode: AwsProfileMode,
  opts: ModeOptions = {},
): Promise<ModeResult> {
  const files = await readAwsProfiles(opts.env);
  const data = mergedProfile(files, profile);
  if (!data)
    throw new LatchkeyError('PROFILE_NOT_FOUND', `no AWS profile named ${profile} in the config or credentials file`);
  if (data.sso_session || data.sso_start_url) {
    throw new LatchkeyError(
      'INVALID_INPUT',
      `profile ${profile} is an SSO profile: the AWS SDKs and CLI read its credentials from the SSO cache (latchkey aws sso-login ${profile})`,
    );
  }
  const isRole = Boolean(data.role_arn);
  const target = isRole ? (opts.companion ?? companionProfile(profile)) : profile;
  const targetConfig = files.config.get(target) ?? {};
  if (isRole && target !== profile && targetConfig.role_arn)
    throw new LatchkeyError(
      'INVALID_INPUT',
      `the companion profile ${target} has a role_arn of its own; choose another name`,
    );
  const current = targetConfig.credential_process;
  if (current !== undefined && !isLatchkeyProcess(current)) {
    throw new LatchkeyError(
      'TARGET_UNSAFE',
      `profile ${target} already has a credential_process Latchkey did not write; refusing to change it`,
    );
  }
  const section = configSectionName(target);
  const edits: AwsFileEdit[] = [];
  if (mode === 'credential-process') {
    const command = credentialProcessCommand(profile, opts);
    edits.push(
      await editAwsFile('config', (text) => setIniKeys(text, section, { credential_process: command }), opts.env),
    );
    // Static keys beat credential_process in both botocore and the SDKs: a managed session must go.
    edits.push(await removeManagedSession(profile, opts.env));
  } else if (current !== undefined) {
    edits.push(
      await editAwsFile('config', (text) => removeKeysAndEmptySection(text, section, ['credential_process']), opts.env),
    );
  }
  return { profile, mode, useProfile: target, edits: edits.filter((e) => e.changed) };
}

async function removeManagedSession(profile: string, env?: NodeJS.ProcessEnv): Promise<AwsFileEdit> {
  return editAwsFile(
    'credentials',
    (text) =>
      readIniSections(text).get(profile)?.[MANAGED_KEY] === 'true'
        ? removeKeysAndEmptySection(text, profile, [...SESSION_KEYS])
        : text,
    env,
  );
}
