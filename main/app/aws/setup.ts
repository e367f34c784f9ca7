import { credentialProcessOutput, type ProcessCredentials } from '../../aws/credential-process';
import { setProfileMode, type AwsProfileMode, type ModeResult } from '../../aws/mode';
import { ssoLogin, systemBrowserOpener, type DeviceCodePrompt, type SsoLoginResult } from '../../aws/sso';
import { awsEnvOf, type AppDeps } from '../deps';

export type { AwsProfileMode, DeviceCodePrompt, ModeResult, SsoLoginResult };
export type { AwsFileEdit } from '../../aws/files';

/** Session mode (temporary keys in the credentials file) or credential-process mode (no keys on disk). */
export function setMode(
  deps: AppDeps,
  profile: string,
  mode: AwsProfileMode,
  opts: { companion?: string | undefined } = {},
): Promise<ModeResult> {
  return setProfileMode(profile, mode, { env: awsEnvOf(deps), ...(opts.companion && { companion: opts.companion }) });
}

/** The credential_process JSON for a profile; it never prompts (a tool runs it with no one watching). */
export function credentialProcess(deps: AppDeps, profile: string): Promise<ProcessCredentials> {
  return credentialProcessOutput(profile, { keychain: deps.runtime.keychain, env: awsEnvOf(deps) });
}

/** SSO sign-in through the device flow; the token is cached where the AWS CLI and SDKs read it. */
export function ssoSignIn(
  deps: AppDeps,
  profile: string,
  opts: { force?: boolean | undefined; openBrowser: boolean; onPrompt: (prompt: DeviceCodePrompt) => void },
): Promise<SsoLoginResult> {
  return ssoLogin(profile, {
    keychain: deps.runtime.keychain,
    env: awsEnvOf(deps),
    appDir: deps.runtime.appDir,
    force: opts.force,
    onPrompt: opts.onPrompt,
    ...(opts.openBrowser && { openBrowser: systemBrowserOpener() }),
  });
}
