import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAccessKeys } from '../../../main/aws/keys';
import { createSessionRefresher, type RefreshEvent } from '../../../main/aws/refresher';
import { startSession } from '../../../main/aws/sessions';
import { storeVaultKeys } from '../../../main/aws/vault';
import { createKeytarKeychain } from '../../../main/adapters/keytar-keychain';
import { motoEndpoint } from '../../support/aws-env';
import { cliEnv, type CliRun } from '../../support/cli';
import { startAuthMoto, type AuthMoto } from '../../support/moto-iam';
import { REPO_ROOT } from '../../support/paths';

const ROOT = REPO_ROOT;

let auth: AuthMoto;
beforeAll(async () => {
  auth = await startAuthMoto();
});
afterAll(async () => auth?.moto.stop());

function makeHome(config: string, credentials: string) {
  const home = mkdtempSync(path.join(tmpdir(), 'latchkey-keys-'));
  mkdirSync(path.join(home, '.aws'), { mode: 0o700 });
  const files = {
    home,
    config: path.join(home, '.aws', 'config'),
    credentials: path.join(home, '.aws', 'credentials'),
  };
  writeFileSync(files.config, config);
  writeFileSync(files.credentials, credentials, { mode: 0o600 });
  return files;
}

function envFor(files: ReturnType<typeof makeHome>, endpoint: string): NodeJS.ProcessEnv {
  const env = cliEnv({ home: path.join(files.home, 'app'), awsDir: path.join(files.home, '.aws') }, endpoint);
  delete env.AWS_PROFILE;
  return { ...env, AWS_CONFIG_FILE: files.config, AWS_SHARED_CREDENTIALS_FILE: files.credentials };
}

/** The CLI run from `bin` (a path that may hold spaces), stdin fed and then closed. */
function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin = '',
  bin = path.join(ROOT, 'bin/latchkey.js'),
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

function awsCli(args: string[], env: NodeJS.ProcessEnv, endpoint: string): Promise<CliRun> {
  const e: NodeJS.ProcessEnv = { ...env, AWS_DEFAULT_REGION: 'us-east-1', HOME: process.env.HOME };
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL']) delete e[k];
  return new Promise((resolve) => {
    execFile(
      'aws',
      [...args, '--endpoint-url', endpoint, '--output', 'json'],
      { env: e, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('access keys by hand, key age and last use, credential-process mode (moto, auth on)', () => {
  it('describes key age, rotation status and the last use moto tracked', async () => {
    const keys = await auth.newUser('keys-age');
    const keychain = createKeytarKeychain(`Latchkey-test-${process.pid}`);
    await storeVaultKeys(keychain, 'keys-age', keys);
    const env = {
      ...process.env,
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    };
    expect(await auth.whoAmI(keys)).toMatch(/user\/keys-age$/);
    const described = await describeAccessKeys('keys-age', { keychain, env, endpoint: auth.moto.endpoint });
    expect(described).toHaveLength(1);
    const [key] = described;
    expect(key).toMatchObject({
      keyId: `…${keys.accessKeyId.slice(-4)}`,
      current: true,
      status: 'Active',
      rotation: { status: 'ok', maxAgeDays: 90, ageDays: 0 },
    });
    expect(key?.lastUsed?.date).toBeTruthy();
    expect(key?.lastUsed?.service).toBeTruthy();
    // Ninety days on, the same key is overdue.
    const later = await describeAccessKeys('keys-age', {
      keychain,
      env,
      endpoint: auth.moto.endpoint,
      now: new Date(Date.now() + 91 * 86_400_000),
    });
    expect(later[0]?.rotation.status).toBe('overdue');
    expect(JSON.stringify(described)).not.toContain(keys.secretAccessKey);
  });

  it('add-keys verifies before storing, list --keys shows them, mode credential-process serves the AWS CLI from a path with spaces, delete-keys leaves IAM alone', async () => {
    const keys = await auth.newUser('keys-cli');
    const files = makeHome('# mine\n[profile hand]\nregion = us-east-1\n', '; nothing\n');
    const env = envFor(files, auth.moto.endpoint);

    const bad = await run(['aws', 'add-keys', 'hand'], env, `${keys.accessKeyId}\nwrong-secret-canary\n`);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/AWS refused the keys given for profile hand/);
    expect(bad.stderr).not.toContain('wrong-secret-canary');
    expect((await run(['aws', 'add-keys', 'hand'], env, 'only-one-line\n')).stderr).toMatch(/expected two lines/);

    const added = await run(['aws', 'add-keys', 'hand'], env, `${keys.accessKeyId}\n${keys.secretAccessKey}\n`);
    expect(added.stderr).toMatch(/verified: arn:aws:iam::\d+:user\/keys-cli/);
    expect(added.code).toBe(0);

    const listed = await run(['--json', 'aws', 'list', '--keys'], env);
    expect(listed.code).toBe(0);
    const hand = (
      JSON.parse(listed.stdout) as { profiles: { name: string; kind: string; keys?: unknown[] }[] }
    ).profiles.find((p) => p.name === 'hand');
    expect(hand).toMatchObject({
      kind: 'keychain-keys',
      keys: [{ keyId: `…${keys.accessKeyId.slice(-4)}`, current: true, status: 'Active', rotation: { status: 'ok' } }],
    });
    const table = await run(['aws', 'list', '--keys'], env);
    expect(table.stdout).toMatch(/LAST USED/);
    expect(table.stdout).toContain(`…${keys.accessKeyId.slice(-4)} (this)`);

    // Run the CLI through a folder whose name holds a space: the written credential_process must survive quoting.
    const spaced = mkdtempSync(path.join(tmpdir(), 'latchkey space-'));
    symlinkSync(ROOT, path.join(spaced, 'Latchkey App'));
    const spacedBin = path.join(spaced, 'Latchkey App', 'bin', 'latchkey.js');
    const mode = await run(['aws', 'mode', 'hand', 'credential-process'], env, '', spacedBin);
    expect(mode.code).toBe(0);
    const config = readFileSync(files.config, 'utf8');
    expect(config).toBe(
      `# mine\n[profile hand]\nregion = us-east-1\ncredential_process = "${process.execPath}" "${spacedBin}" aws credential-process hand\n`,
    );
    const identity = await awsCli(['sts', 'get-caller-identity', '--profile', 'hand'], env, auth.moto.endpoint);
    expect(identity.stderr).toBe('');
    expect(JSON.parse(identity.stdout).Arn).toMatch(/:user\/keys-cli$/);

    expect((await run(['aws', 'mode', 'hand', 'session'], env)).code).toBe(0);
    expect(readFileSync(files.config, 'utf8')).toBe('# mine\n[profile hand]\nregion = us-east-1\n');

    expect((await run(['aws', 'delete-keys', 'hand'], env)).code).toBe(2);
    const deleted = await run(['aws', 'delete-keys', 'hand', '--yes'], env);
    expect(deleted.stderr).toMatch(/IAM was not touched/);
    expect(await auth.whoAmI(keys)).toMatch(/user\/keys-cli$/);
    const after = await run(['--json', 'aws', 'list'], env);
    expect(
      (JSON.parse(after.stdout) as { profiles: { name: string; kind: string }[] }).profiles.find(
        (p) => p.name === 'hand',
      )?.kind,
    ).toBe('unknown');
    expect(readFileSync(files.credentials, 'utf8')).toBe('; nothing\n');
  });
});

describe('session refresher (shared moto, auth off: its GetSessionToken keys are fixed)', () => {
  it('refreshes a session before expiry and rewrites the profile', async () => {
    const files = makeHome('[profile quick]\nregion = us-east-1\n', '');
    const env = { ...process.env, AWS_CONFIG_FILE: files.config, AWS_SHARED_CREDENTIALS_FILE: files.credentials };
    const keychain = createKeytarKeychain(`Latchkey-test-${process.pid}`);
    await storeVaultKeys(keychain, 'quick', { accessKeyId: 'AKIAQUICKQUICKQUICK1', secretAccessKey: 'quick-secret' });
    const first = await startSession('quick', { keychain, env, endpoint: motoEndpoint(), durationSeconds: 900 });
    const events: RefreshEvent[] = [];
    const refresher = createSessionRefresher({
      keychain,
      env,
      endpoint: motoEndpoint(),
      refreshBeforeMs: 900_000 - 500,
      onEvent: (e) => events.push(e),
    });
    try {
      await refresher.scan();
      for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      await refresher.idle();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ profile: 'quick', state: 'refreshed' });
      expect(Date.parse(events[0]?.expiresAt ?? '')).toBeGreaterThan(Date.parse(first.expiration) + 3600_000);
      expect(readFileSync(files.credentials, 'utf8')).toContain(`x_latchkey_expiration = ${events[0]?.expiresAt}`);
      expect(refresher.scheduled()).toEqual(['quick']);
    } finally {
      refresher.stop();
    }
  });
});
