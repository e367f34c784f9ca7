import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSSOTokenFilepath } from '@smithy/shared-ini-file-loader';
import { ssoCacheFile, ssoKeychainAccount, ssoLogin, type DeviceCodePrompt } from '../../../main/aws/sso';
import { createKeytarKeychain } from '../../../main/adapters/keytar-keychain';
import { motoEndpoint } from '../../support/aws-env';
import type { CliRun } from '../../support/cli';

/**
 * moto 5.2.1 has no SSO OIDC (sso-oidc) nor SSO portal (GetRoleCredentials) service, so the device flow runs against
 * a tiny local fake that follows the APIs' JSON shapes and error types. The AWS CLI on the machine then reads the
 * token Latchkey cached, fetches role credentials from the fake portal, and calls moto's STS with them.
 */
const ACCESS_TOKEN = 'sso-access-token-canary';
let server: Server;
let fake: string;
const calls: string[] = [];
let tokenAnswers: { status: number; type?: string; body: object }[] = [];

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const input = await body(req);
      const url = new URL(req.url ?? '/', 'http://x');
      calls.push(`${req.method} ${url.pathname}`);
      const send = (status: number, payload: object, type?: string) => {
        res.writeHead(status, { 'content-type': 'application/json', ...(type && { 'x-amzn-errortype': type }) });
        res.end(JSON.stringify(payload));
      };
      if (url.pathname === '/client/register')
        return send(200, {
          clientId: 'client-1',
          clientSecret: 'client-secret',
          clientIdIssuedAt: 1,
          clientSecretExpiresAt: 4102444800,
        });
      if (url.pathname === '/device_authorization') {
        if (input.clientId !== 'client-1' || input.startUrl !== 'https://corp.awsapps.com/start')
          return send(400, { error: 'invalid_request' }, 'InvalidRequestException');
        return send(200, {
          deviceCode: 'device-1',
          userCode: 'ABCD-EFGH',
          verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
          verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH',
          expiresIn: 600,
          interval: 1,
        });
      }
      if (url.pathname === '/token') {
        if (input.deviceCode !== 'device-1' || input.grantType !== 'urn:ietf:params:oauth:grant-type:device_code')
          return send(400, { error: 'invalid_grant' }, 'InvalidGrantException');
        const next = tokenAnswers.shift() ?? {
          status: 200,
          body: { accessToken: ACCESS_TOKEN, tokenType: 'Bearer', expiresIn: 28800, refreshToken: 'refresh-1' },
        };
        return send(next.status, next.body, next.type);
      }
      if (url.pathname === '/federation/credentials') {
        if (req.headers['x-amz-sso_bearer_token'] !== ACCESS_TOKEN)
          return send(401, { message: 'bad token' }, 'UnauthorizedException');
        return send(200, {
          roleCredentials: {
            accessKeyId: 'testing',
            secretAccessKey: 'testing',
            sessionToken: 'sso-session',
            expiration: Date.now() + 3600_000,
          },
        });
      }
      return send(404, { message: 'not found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const CONFIG = `[profile corp]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Dev
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`;

describe('SSO device flow (local fake OIDC: moto 5.2.1 has no sso-oidc)', () => {
  it('polls at the interval, honours authorization_pending and slow_down, caches the token for the AWS CLI and the keychain', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'latchkey-sso-'));
    mkdirSync(path.join(home, '.aws'));
    writeFileSync(path.join(home, '.aws', 'config'), CONFIG);
    const env = {
      HOME: home,
      AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
    };
    const keychain = createKeytarKeychain(`Latchkey-test-${process.pid}`);
    await keychain.delete(ssoKeychainAccount({ session: 'corp', startUrl: '' }));
    tokenAnswers = [
      { status: 400, type: 'AuthorizationPendingException', body: { error: 'authorization_pending' } },
      { status: 400, type: 'SlowDownException', body: { error: 'slow_down' } },
      { status: 400, type: 'AuthorizationPendingException', body: { error: 'authorization_pending' } },
    ];
    const sleeps: number[] = [];
    const opened: string[] = [];
    const prompts: DeviceCodePrompt[] = [];
    const result = await ssoLogin('corp', {
      keychain,
      env,
      endpoint: fake,
      onPrompt: (p) => prompts.push(p),
      openBrowser: (url) => void opened.push(url),
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(prompts[0]).toMatchObject({
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
    });
    expect(opened).toEqual(['https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH']);
    // 1 s interval; slow_down adds 5 s for every later poll.
    expect(sleeps).toEqual([1000, 1000, 6000, 6000]);
    expect(result).toMatchObject({ profile: 'corp', via: 'device' });
    // Where the SDK itself looks for the token of sso-session "corp" (sha1 of the session name under $HOME).
    const previousHome = process.env.HOME;
    process.env.HOME = home;
    try {
      expect(result.cacheFile).toBe(getSSOTokenFilepath('corp'));
    } finally {
      process.env.HOME = previousHome;
    }
    expect(result.cacheFile).toBe(ssoCacheFile({ session: 'corp', startUrl: '' }, env));
    expect(statSync(result.cacheFile).mode & 0o777).toBe(0o600);
    const cached = JSON.parse(readFileSync(result.cacheFile, 'utf8')) as Record<string, string>;
    expect(cached).toMatchObject({
      startUrl: 'https://corp.awsapps.com/start',
      region: 'us-east-1',
      accessToken: ACCESS_TOKEN,
      clientId: 'client-1',
      refreshToken: 'refresh-1',
    });
    expect(cached.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    // A second sign-in reuses the keychain's token: no device flow, no browser.
    calls.length = 0;
    const again = await ssoLogin('corp', {
      keychain,
      env,
      endpoint: fake,
      onPrompt: () => prompts.push({} as DeviceCodePrompt),
      sleep: async () => undefined,
    });
    expect(again.via).toBe('cached');
    expect(calls).toEqual([]);

    // The AWS CLI on the machine reads the cache, gets role credentials from the (fake) portal and calls moto's STS.
    const identity = await new Promise<CliRun>((resolve) => {
      const e: NodeJS.ProcessEnv = {
        ...process.env,
        ...env,
        AWS_ENDPOINT_URL_SSO: fake,
        AWS_DEFAULT_REGION: 'us-east-1',
      };
      for (const k of [
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_ENDPOINT_URL',
        'AWS_PROFILE',
      ])
        delete e[k];
      execFile(
        'aws',
        ['sts', 'get-caller-identity', '--profile', 'corp', '--endpoint-url', motoEndpoint(), '--output', 'json'],
        { env: e, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
      );
    });
    expect(identity.stderr).toBe('');
    expect(JSON.parse(identity.stdout).Account).toBeTruthy();
    expect(calls).toContain('GET /federation/credentials');
  });

  it('fails clearly when the user denies the request', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'latchkey-sso-'));
    mkdirSync(path.join(home, '.aws'));
    writeFileSync(path.join(home, '.aws', 'config'), CONFIG);
    const env = { HOME: home, AWS_CONFIG_FILE: path.join(home, '.aws', 'config') };
    tokenAnswers = [{ status: 400, type: 'AccessDeniedException', body: { error: 'access_denied' } }];
    const keychain = createKeytarKeychain(`Latchkey-test-${process.pid}`);
    await expect(
      ssoLogin('corp', {
        keychain,
        env,
        endpoint: fake,
        force: true,
        onPrompt: () => undefined,
        sleep: async () => undefined,
      }),
    ).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
      message: expect.stringMatching(/failed at CreateToken \(AccessDeniedException\)/),
    });
  });
});
