import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;

/** The suite's shared moto (see global-setup.ts). */
export function motoEndpoint(): string {
  return inject('motoEndpoint');
}

/** Drops everything moto holds, so a test starts from an empty account. */
export async function resetMoto(endpoint: string = motoEndpoint()): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`moto reset answered HTTP ${response.status}`);
}

/** Settings for an SDK client built by the test itself (seeding, checks), pointed at `endpoint`. */
export function testClientConfig(endpoint: string = motoEndpoint()) {
  return { endpoint, region: TEST_REGION, credentials: { ...TEST_CREDENTIALS } };
}

let awsDir: string | undefined;

/**
 * Environment that makes the SDK's own default chain (what production code uses) talk to `endpoint` with test
 * credentials, and never read the developer's ~/.aws or the EC2 metadata service. `undefined` means "unset".
 */
export function awsTestEnv(endpoint: string = motoEndpoint()): Record<string, string | undefined> {
  const dir = (awsDir ??= makeAwsDir());
  return {
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_REGION: TEST_REGION,
    AWS_DEFAULT_REGION: TEST_REGION,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ENDPOINT_URL_SSM: undefined,
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
  };
}

/** Applies `vars` to process.env and returns a function that puts the previous values back. */
export function applyEnv(vars: Record<string, string | undefined>): () => void {
  const previous = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(vars)) {
    previous.set(name, process.env[name]);
    setVar(name, value);
  }
  return () => {
    for (const [name, value] of previous) setVar(name, value);
  };
}

/** Points this test process's SDK default chain at `endpoint` (moto or a fault proxy); returns the undo. */
export function useAwsTestEnv(endpoint: string = motoEndpoint()): () => void {
  return applyEnv(awsTestEnv(endpoint));
}

function setVar(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function makeAwsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-aws-'));
  writeFileSync(join(dir, 'config'), '', { mode: 0o600 });
  writeFileSync(join(dir, 'credentials'), '', { mode: 0o600 });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A test file's SSM client on the suite's moto: before each test moto is reset and `seed` fills it again. */
export function useSeededMoto(seed: (ssm: SSMClient) => Promise<void>): SSMClient {
  const ssm = new SSMClient(testClientConfig());
  afterAll(() => ssm.destroy());
  beforeEach(async () => {
    await resetMoto();
    await seed(ssm);
  });
  return ssm;
}

/**
 * A test file's fault proxy in front of the suite's moto, this process's SDK chain pointed at it for the whole file:
 * what the requests of a use case cost is counted at the proxy (`proxy.stats()`).
 */
export function useMotoBehindProxy(): { readonly proxy: FaultProxy } {
  let proxy: FaultProxy | undefined;
  let restoreEnv = () => {};
  beforeAll(async () => {
    proxy = await startFaultProxy({ target: motoEndpoint() });
    restoreEnv = applyEnv(awsTestEnv(proxy.url));
  });
  afterAll(async () => {
    restoreEnv();
    await proxy?.stop();
  });
  return {
    get proxy() {
      if (!proxy) throw new Error('the fault proxy starts in beforeAll: use it inside a test');
      return proxy;
    },
  };
}
