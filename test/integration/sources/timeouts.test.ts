import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { iamClient, stsClient } from '../../../main/aws/clients';
import { clientCredentials } from '../../../main/aws/pipeline-credentials';
import { ssoLogin } from '../../../main/aws/sso';
import { isLatchkeyError, type LatchkeyError } from '../../../main/core/errors';
import { parseManifest } from '../../../main/core/manifest';
import { preparePlan, type SyncEnvironment } from '../../../main/core/sync';
import { createOpSource } from '../../../main/onepassword/source';
import { createSsmSources, type SsmSources } from '../../../main/sources/ssm';
import { motoEndpoint, resetMoto, testClientConfig, useAwsTestEnv } from '../../support/aws-env';
import { startConnectServer, type ConnectServer } from '../../support/connect-server';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { memoryKeychain } from '../../support/ipc-sandbox';
import { seedChamberService } from '../../support/ssm-seed';

// Issue 10, item 5: an endpoint that accepts and never answers kept `sync` running past 400 s. Every network
// client now has connect and request limits, and the core's resolve has a whole-operation deadline. Three ways to
// never finish an answer: say nothing, send the headers and stall the body, trickle a byte a second.

const MODES = ['silent', 'stall-body', 'trickle'] as const;
/** Short limits so that each case ends in seconds; the defaults are 5 s, 30 s and a 60 s deadline. */
const TIMEOUTS = { connectMs: 1_000, requestMs: 1_500 };
const DEADLINE_MS = 4_000;
/** The finding was a hang: anything still running after this failed, whatever it would have said later. */
const HUNG_MS = 25_000;

let proxy: FaultProxy | undefined;
let sources: SsmSources | undefined;
let restoreEnv: (() => void) | undefined;
let connect: ConnectServer | undefined;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'latchkey-timeouts-'));
});

afterEach(async () => {
  sources?.destroy();
  sources = undefined;
  restoreEnv?.();
  restoreEnv = undefined;
  await proxy?.stop();
  proxy = undefined;
  await connect?.stop();
  connect = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function ended<T>(work: Promise<T>): Promise<{ error: LatchkeyError | Error; ms: number }> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${HUNG_MS / 1000} s`)), HUNG_MS);
  });
  try {
    await Promise.race([work, hung]);
  } catch (error) {
    return { error: error as Error, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
  throw new Error('expected the call to fail');
}

function project(manifest: string, sourcesFor: (appDir: string) => SyncEnvironment['sources']) {
  const file = path.join(dir, 'latchkey.yml');
  writeFileSync(file, manifest);
  const appDir = path.join(dir, 'home');
  const keychain = memoryKeychain();
  return { manifest: parseManifest(manifest, file), env: { sources: sourcesFor(appDir), keychain, appDir } };
}

describe('SSM: the deadline ends a resolve whatever the endpoint does', () => {
  for (const mode of MODES) {
    it(`${mode}: SOURCE_FAILED naming the source and its step, nothing written`, async () => {
      await resetMoto();
      const seeder = new SSMClient(testClientConfig());
      await seedChamberService(seeder, 'api/dev', { db_password: 'timeout-canary-1' });
      seeder.destroy();
      proxy = await startFaultProxy({ target: motoEndpoint(), hang: mode });
      restoreEnv = useAwsTestEnv(proxy.url);
      sources = createSsmSources({ timeouts: TIMEOUTS });
      const s = sources;
      const p = project('version: 1\nprofiles:\n  dev:\n    sources: [{ chamber: api/dev }]\n', () => ({
        chamber: s.chamber,
      }));
      const { error, ms } = await ended(preparePlan(p.manifest, 'dev', p.env, { deadlineMs: DEADLINE_MS }));
      expect(isLatchkeyError(error), String(error)).toBe(true);
      expect((error as LatchkeyError).code).toBe('SOURCE_FAILED');
      expect(error.message).toMatch(
        /no answer within 4 s from chamber \(waiting on GetParametersByPath chamber api\/dev\)/,
      );
      expect(error.message).not.toContain('timeout-canary-1');
      expect(ms).toBeGreaterThanOrEqual(DEADLINE_MS - 100);
      expect(proxy.stats().hung).toBeGreaterThan(0);
    });
  }

  it('without a deadline in reach, the client limits alone end a silent request', async () => {
    proxy = await startFaultProxy({ target: motoEndpoint(), hang: 'silent' });
    restoreEnv = useAwsTestEnv(proxy.url);
    const restoreAttempts = useAwsTestEnv(proxy.url);
    process.env.LATCHKEY_AWS_MAX_ATTEMPTS = '1';
    try {
      sources = createSsmSources({ timeouts: TIMEOUTS });
      const s = sources;
      const p = project('version: 1\nprofiles:\n  dev:\n    sources: [{ chamber: api/dev }]\n', () => ({
        chamber: s.chamber,
      }));
      const { error } = await ended(preparePlan(p.manifest, 'dev', p.env, { deadlineMs: 60_000 }));
      expect((error as LatchkeyError).code).toBe('SOURCE_FAILED');
      expect(error.message).toMatch(/chamber/);
      expect(error.message).not.toMatch(/no answer within 60 s/);
    } finally {
      delete process.env.LATCHKEY_AWS_MAX_ATTEMPTS;
      restoreAttempts();
    }
  });
});

describe('1Password Connect: the same three endpoints', () => {
  for (const mode of MODES) {
    it(`${mode}: SOURCE_FAILED naming op, nothing written`, async () => {
      connect = await startConnectServer({
        token: 'timeout-token',
        vaults: [{ name: 'Eng', items: [{ title: 'Stripe', fields: [{ label: 'key', value: 'op-timeout-canary' }] }] }],
      });
      proxy = await startFaultProxy({ target: connect.url, hang: mode });
      const url = proxy.url;
      const p = project(
        'version: 1\nprofiles:\n  dev:\n    sources: [{ op: "op://Eng/Stripe/key", as: STRIPE }]\n',
        (appDir) => ({
          op: createOpSource({
            keychain: memoryKeychain(),
            appDir,
            env: { OP_CONNECT_HOST: url, OP_CONNECT_TOKEN: 'timeout-token' },
            timeouts: TIMEOUTS,
          }),
        }),
      );
      const { error } = await ended(preparePlan(p.manifest, 'dev', p.env, { deadlineMs: DEADLINE_MS }));
      expect((error as LatchkeyError).code).toBe('SOURCE_FAILED');
      expect(error.message).toMatch(/op/);
      expect(error.message).not.toContain('op-timeout-canary');
    });
  }
});

describe('STS, IAM and SSO OIDC clients have the same limits', () => {
  const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

  for (const mode of ['silent', 'stall-body'] as const) {
    it(`${mode}: STS and IAM calls fail instead of waiting`, async () => {
      proxy = await startFaultProxy({ target: motoEndpoint(), hang: mode });
      const opts = { endpoint: proxy.url, timeouts: TIMEOUTS };
      const sts = await stsClient(credentials, opts, 1);
      const iam = await iamClient(credentials, opts, 1);
      try {
        const stsFailure = await ended(sts.send(new GetCallerIdentityCommand({})));
        expect(stsFailure.error.name).toMatch(/TimeoutError|RequestTimeout|Abort/);
        const iamFailure = await ended(iam.send(new ListAccessKeysCommand({})));
        expect(iamFailure.error.name).toMatch(/TimeoutError|RequestTimeout|Abort/);
      } finally {
        sts.destroy();
        iam.destroy();
      }
    });
  }

  it('silent: the STS call behind an assumed role (aws.roleArn) fails instead of waiting', async () => {
    proxy = await startFaultProxy({ target: motoEndpoint(), hang: 'silent' });
    const env = {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL_STS: proxy.url,
      AWS_CONFIG_FILE: path.join(dir, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
      LATCHKEY_HTTP_TIMEOUT_MS: String(TIMEOUTS.requestMs),
    };
    // The SDK's providers and endpoint settings read process.env itself.
    const saved = Object.entries(env).map(([name]) => [name, process.env[name]] as const);
    Object.assign(process.env, env);
    restoreEnv = () => {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    };
    const chosen = await clientCredentials({ roleArn: 'arn:aws:iam::123456789012:role/ci' }, 'us-east-1', env);
    const { error } = await ended(chosen.credentials!());
    expect(error.name).toMatch(/TimeoutError|RequestTimeout|Abort/);
  });

  it('silent: SSO sign-in fails at its first step', async () => {
    proxy = await startFaultProxy({ target: motoEndpoint(), hang: 'silent' });
    const config = path.join(dir, 'config');
    writeFileSync(config, '[profile sso]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n');
    const { error } = await ended(
      ssoLogin('sso', {
        keychain: memoryKeychain(),
        env: { AWS_CONFIG_FILE: config, HOME: dir },
        endpoint: proxy.url,
        onPrompt: () => undefined,
        timeouts: TIMEOUTS,
      }),
    );
    expect((error as LatchkeyError).code).toBe('SOURCE_FAILED');
    expect(error.message).toMatch(/RegisterClient/);
  });
});
