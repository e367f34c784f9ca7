import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { writeFileAtomic } from '../core/atomic-write';
import { appendAuditEvent } from '../core/audit';
import { LatchkeyError } from '../core/errors';
import type { Keychain } from '../core/keychain';
import { awsErrorName, callDeadline, requestHandlerFor } from './clients';
import type { HttpTimeouts } from '../sources/http-timeouts';
import { readAwsFile } from './files';
import { readIniSections } from './ini';
import { configSectionName, isFresh } from './profiles';

/**
 * SSO sign-in through the SSO OIDC device flow: RegisterClient, StartDeviceAuthorization (the user confirms a code
 * in the browser), then CreateToken polled at the server's interval until the user approves.
 *
 * Latchkey does not fetch the role credentials itself (`@aws-sdk/client-sso` is not a dependency). It writes the
 * token where the AWS CLI v2 / botocore and the AWS SDKs look for it, `~/.aws/sso/cache/<sha1>.json` (sha1 of the
 * sso-session name, or of the start URL for a legacy profile), in their format; their own SSO providers then call
 * GetRoleCredentials with it. The token is also kept in the keychain (`aws-sso:<session or start url>`) so that a
 * later sign-in can reuse it while it is valid.
 */

export interface SsoConfig {
  profile: string;
  /** The sso-session name; absent for a legacy profile with sso_start_url in the profile. */
  session?: string;
  startUrl: string;
  region: string;
  scopes?: string[];
  accountId?: string;
  roleName?: string;
}

async function readSsoConfig(profile: string, env?: NodeJS.ProcessEnv): Promise<SsoConfig> {
  const sections = readIniSections(await readAwsFile('config', env));
  const data = sections.get(configSectionName(profile));
  if (!data) throw new LatchkeyError('PROFILE_NOT_FOUND', `no AWS profile named ${profile} in the config file`);
  const common = {
    profile,
    ...(data.sso_account_id && { accountId: data.sso_account_id }),
    ...(data.sso_role_name && { roleName: data.sso_role_name }),
  };
  if (data.sso_session) {
    const session = sections.get(`sso-session ${data.sso_session}`);
    if (!session?.sso_start_url || !session.sso_region) {
      throw new LatchkeyError(
        'INVALID_INPUT',
        `[sso-session ${data.sso_session}] of profile ${profile} needs sso_start_url and sso_region`,
      );
    }
    const scopes = session.sso_registration_scopes
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return {
      ...common,
      session: data.sso_session,
      startUrl: session.sso_start_url,
      region: session.sso_region,
      ...(scopes?.length && { scopes }),
    };
  }
  if (!data.sso_start_url || !data.sso_region)
    throw new LatchkeyError(
      'INVALID_INPUT',
      `profile ${profile} is not an SSO profile (no sso_session, or sso_start_url and sso_region)`,
    );
  return { ...common, startUrl: data.sso_start_url, region: data.sso_region };
}

/** The id the AWS tools hash to name the cache file: the session name, or the start URL for a legacy profile. */
function ssoCacheId(config: Pick<SsoConfig, 'session' | 'startUrl'>): string {
  return config.session ?? config.startUrl;
}

export function ssoKeychainAccount(config: Pick<SsoConfig, 'session' | 'startUrl'>): string {
  return `aws-sso:${ssoCacheId(config)}`;
}

export function ssoCacheFile(
  config: Pick<SsoConfig, 'session' | 'startUrl'>,
  env: NodeJS.ProcessEnv = process.env,
): string {
  // The SDKs and botocore use HOME (then USERPROFILE); AWS_CONFIG_FILE does not move this folder.
  const home = env.HOME || env.USERPROFILE || os.homedir();
  return path.join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(ssoCacheId(config)).digest('hex')}.json`);
}

const TokenSchema = z.object({
  startUrl: z.string(),
  region: z.string(),
  accessToken: z.string().min(1),
  expiresAt: z.string(),
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  registrationExpiresAt: z.string().optional(),
  refreshToken: z.string().optional(),
});
type SsoToken = z.infer<typeof TokenSchema>;

export interface DeviceCodePrompt {
  verificationUri: string;
  verificationUriComplete?: string;
  userCode: string;
  expiresAt: string;
}

export interface SsoLoginOptions {
  keychain: Keychain;
  env?: NodeJS.ProcessEnv;
  /** Overrides AWS_ENDPOINT_URL_SSO_OIDC / AWS_ENDPOINT_URL (tests). */
  endpoint?: string;
  /** Shows the URL and code to the user; called before the browser is opened. */
  onPrompt: (prompt: DeviceCodePrompt) => void;
  /** Opens the verification URL; absent means "do not open a browser" (CI, --no-browser). */
  openBrowser?: (url: string) => void | Promise<void>;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Sign in again even when the keychain holds a valid token. */
  force?: boolean | undefined;
  /** Connect and request limits (sources/http-timeouts.ts). */
  timeouts?: Partial<HttpTimeouts> | undefined;
  appDir?: string;
}

export interface SsoLoginResult {
  profile: string;
  via: 'cached' | 'device';
  expiresAt: string;
  cacheFile: string;
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628: on slow_down the client adds five seconds to its polling interval. */
const SLOW_DOWN_STEP_S = 5;

export async function ssoLogin(profile: string, opts: SsoLoginOptions): Promise<SsoLoginResult> {
  const config = await readSsoConfig(profile, opts.env);
  const now = opts.now ?? (() => new Date());
  const account = ssoKeychainAccount(config);
  const cacheFile = ssoCacheFile(config, opts.env);
  if (!opts.force) {
    const cached = await readCachedToken(opts.keychain, account);
    // Reused only with a quarter of an hour to spare, so a long task does not start on a token about to lapse.
    if (cached && cached.startUrl === config.startUrl && isFresh(cached.expiresAt, now(), 15 * 60_000)) {
      await writeTokenCache(cacheFile, cached);
      return { profile, via: 'cached', expiresAt: cached.expiresAt, cacheFile };
    }
  }
  const token = await deviceFlow(config, opts, now);
  const json = JSON.stringify(token);
  await opts.keychain.set(account, json);
  if ((await opts.keychain.get(account)) !== json)
    throw new LatchkeyError(
      'KEYCHAIN_UNAVAILABLE',
      `the OS keychain did not keep the entry ${account} (read-back differs)`,
    );
  await writeTokenCache(cacheFile, token);
  if (opts.appDir)
    await appendAuditEvent(opts.appDir, {
      action: 'session.start',
      profile,
      outcome: 'ok',
      detail: `SSO sign-in, token expires ${token.expiresAt}`,
    });
  return { profile, via: 'device', expiresAt: token.expiresAt, cacheFile };
}

async function readCachedToken(keychain: Keychain, account: string): Promise<SsoToken | undefined> {
  const raw = await keychain.get(account);
  if (raw === null) return undefined;
  try {
    const parsed = TokenSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function writeTokenCache(file: string, token: SsoToken): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${JSON.stringify(token)}\n`, { mode: 0o600 });
}

/** botocore writes `2024-01-01T00:00:00Z`; the SDKs read any ISO date. */
function awsTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function deviceFlow(config: SsoConfig, opts: SsoLoginOptions, now: () => Date): Promise<SsoToken> {
  const env = opts.env ?? process.env;
  const endpoint = opts.endpoint ?? env.AWS_ENDPOINT_URL_SSO_OIDC ?? env.AWS_ENDPOINT_URL;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // Loaded here, not at the top: `aws credential-process` shares this module and never signs in (issue 12).
  const { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } =
    await import('./sdk-sso-oidc');
  // The OIDC calls are unsigned: no credentials may be looked up for them (that could recurse into this profile).
  const client = new SSOOIDCClient({
    region: config.region,
    maxAttempts: 2,
    requestHandler: await requestHandlerFor({ env, ...(opts.timeouts && { timeouts: opts.timeouts }) }),
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    ...(endpoint && { endpoint }),
  });
  const call = async <T>(step: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new LatchkeyError(
        'SOURCE_FAILED',
        `SSO sign-in for profile ${config.profile} failed at ${step} (${awsErrorName(error)})`,
        undefined,
        { cause: error },
      );
    }
  };
  try {
    const registered = await call('RegisterClient', () =>
      client.send(
        new RegisterClientCommand({
          clientName: `latchkey-${os.hostname()}`.slice(0, 64),
          clientType: 'public',
          ...(config.scopes && { scopes: config.scopes, grantTypes: [DEVICE_GRANT, 'refresh_token'] }),
        }),
        callDeadline(),
      ),
    );
    const { clientId, clientSecret } = registered;
    if (!clientId || !clientSecret)
      throw new LatchkeyError('SOURCE_FAILED', `SSO RegisterClient returned no client for profile ${config.profile}`);
    const device = await call('StartDeviceAuthorization', () =>
      client.send(
        new StartDeviceAuthorizationCommand({ clientId, clientSecret, startUrl: config.startUrl }),
        callDeadline(),
      ),
    );
    if (!device.deviceCode || !device.userCode || !device.verificationUri)
      throw new LatchkeyError(
        'SOURCE_FAILED',
        `SSO StartDeviceAuthorization returned no device code for profile ${config.profile}`,
      );
    const deadline = now().getTime() + (device.expiresIn ?? 600) * 1000;
    opts.onPrompt({
      verificationUri: device.verificationUri,
      userCode: device.userCode,
      expiresAt: awsTime(deadline),
      ...(device.verificationUriComplete && { verificationUriComplete: device.verificationUriComplete }),
    });
    const url = device.verificationUriComplete ?? device.verificationUri;
    if (opts.openBrowser && /^https?:\/\//i.test(url))
      await Promise.resolve(opts.openBrowser(url)).catch(() => undefined);

    let intervalS = Math.max(1, device.interval ?? 5);
    for (;;) {
      await sleep(intervalS * 1000);
      if (now().getTime() >= deadline)
        throw new LatchkeyError(
          'NEEDS_INPUT',
          `the SSO sign-in code for profile ${config.profile} expired before it was approved`,
          `Run latchkey aws sso-login ${config.profile} again`,
        );
      try {
        const token = await client.send(
          new CreateTokenCommand({ clientId, clientSecret, grantType: DEVICE_GRANT, deviceCode: device.deviceCode }),
          callDeadline(),
        );
        if (!token.accessToken)
          throw new LatchkeyError('SOURCE_FAILED', `SSO CreateToken returned no token for profile ${config.profile}`);
        return {
          startUrl: config.startUrl,
          region: config.region,
          accessToken: token.accessToken,
          expiresAt: awsTime(now().getTime() + (token.expiresIn ?? 3600) * 1000),
          clientId,
          clientSecret,
          ...(registered.clientSecretExpiresAt && {
            registrationExpiresAt: awsTime(registered.clientSecretExpiresAt * 1000),
          }),
          ...(token.refreshToken && { refreshToken: token.refreshToken }),
        };
      } catch (error) {
        const name = awsErrorName(error);
        if (name === 'AuthorizationPendingException') continue;
        if (name === 'SlowDownException') {
          intervalS += SLOW_DOWN_STEP_S;
          continue;
        }
        if (error instanceof LatchkeyError) throw error;
        const code =
          name === 'AccessDeniedException'
            ? 'ACCESS_DENIED'
            : name === 'ExpiredTokenException'
              ? 'NEEDS_INPUT'
              : 'SOURCE_FAILED';
        throw new LatchkeyError(
          code,
          `SSO sign-in for profile ${config.profile} failed at CreateToken (${name})`,
          undefined,
          { cause: error },
        );
      }
    }
  } finally {
    client.destroy();
  }
}

/**
 * Opens a URL in the user's browser with the platform's opener. The command is fixed and the URL is one argument
 * (never a shell string); on Windows `start` needs cmd with an empty title argument.
 */
export function systemBrowserOpener(platform: NodeJS.Platform = process.platform): (url: string) => void {
  return (url) => {
    const [cmd, args] =
      platform === 'darwin'
        ? ['open', [url]]
        : platform === 'win32'
          ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
          : ['xdg-open', [url]];
    const child = spawn(cmd, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  };
}
