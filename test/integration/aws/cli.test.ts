import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { motoEndpoint } from '../../support/aws-env';
import { cliEnv, readTree, runLatchkey, type CliRun } from '../../support/cli';
import { startAuthMoto, type AuthMoto } from '../../support/moto-iam';
import { CLI_BIN } from '../../support/paths';

const BIN = CLI_BIN;
const PROCESS = (profile: string) => `${process.execPath} ${BIN} aws credential-process ${profile}`;

let auth: AuthMoto;
beforeAll(async () => {
  auth = await startAuthMoto();
});
afterAll(async () => auth?.moto.stop());

/** A fake HOME with ~/.aws and the app-data folder inside, so a canary scan covers every file Latchkey could write. */
function makeHome(config: string, credentials: string) {
  const home = mkdtempSync(path.join(tmpdir(), 'latchkey-awshome-'));
  mkdirSync(path.join(home, '.aws'), { mode: 0o700 });
  writeFileSync(path.join(home, '.aws', 'config'), config);
  writeFileSync(path.join(home, '.aws', 'credentials'), credentials, { mode: 0o600 });
  const files = {
    home,
    config: path.join(home, '.aws', 'config'),
    credentials: path.join(home, '.aws', 'credentials'),
  };
  return files;
}

function envFor(files: ReturnType<typeof makeHome>, endpoint: string): NodeJS.ProcessEnv {
  const env = cliEnv({ home: path.join(files.home, 'app'), awsDir: path.join(files.home, '.aws') }, endpoint);
  delete env.AWS_PROFILE;
  return { ...env, AWS_CONFIG_FILE: files.config, AWS_SHARED_CREDENTIALS_FILE: files.credentials };
}

/** Runs the CLI with stdin left open: a command that waited on a prompt would hang here, and the timeout says so. */
function runWithOpenStdin(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 15_000,
): Promise<CliRun & { timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code: code ?? -1, stdout, stderr, timedOut });
    });
  });
}

/** The machine's AWS CLI (v1): it reads AWS_DEFAULT_REGION, and must find no credentials but the profile's. */
function awsCli(args: string[], env: NodeJS.ProcessEnv, endpoint: string): Promise<CliRun> {
  const cliEnvironment: NodeJS.ProcessEnv = { ...env, AWS_DEFAULT_REGION: 'us-east-1', HOME: process.env.HOME };
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL'])
    delete cliEnvironment[k];
  return new Promise((resolve) => {
    execFile(
      'aws',
      [...args, '--endpoint-url', endpoint, '--output', 'json'],
      { env: cliEnvironment, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const run = (args: string[], env: NodeJS.ProcessEnv) => runLatchkey(args, { cwd: tmpdir(), env });

describe('latchkey aws against moto with auth on', () => {
  it('imports keys (canary: the secret is left in no file), serves credential_process, assumes a role as [default], and keeps unrelated bytes', async () => {
    const keys = await auth.newUser('cli-user');
    const roleArn = await auth.newRole('cli-role');
    const config = [
      '# my config; hand-written',
      '[default]',
      'region = us-east-1',
      '',
      '[profile dev]',
      'region   =   us-east-1   ',
      '',
      '[profile proc]',
      `credential_process = ${PROCESS('dev')}`,
      '',
      '[profile role]',
      `role_arn = ${roleArn}`,
      'source_profile = dev',
      'role_session_name = cli-test',
      'external_id = ext-1',
      '',
      '[profile not-ours]',
      'region=eu-central-1 ; keep me',
      '',
    ].join('\n');
    const unrelated =
      '; comment up top\n\n[not-ours]\naws_access_key_id =AKIANOTOURSNOTOURS01\naws_secret_access_key=  not-ours-secret\n';
    const credentials = `${unrelated}\n[dev]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`;
    const files = makeHome(config, credentials);
    const env = envFor(files, auth.moto.endpoint);

    const imported = await run(['aws', 'import', 'dev', '--remove-plaintext'], env);
    expect(imported.stderr).toContain('kept a one-time backup');
    expect(imported.code).toBe(0);
    for (const f of readTree(files.home)) expect(f.text, f.file).not.toContain(keys.secretAccessKey);
    expect(readFileSync(files.credentials, 'utf8')).toBe(`${unrelated}\n`);

    const listed = await run(['aws', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    const kinds = Object.fromEntries(
      (JSON.parse(listed.stdout) as { profiles: { name: string; kind: string }[] }).profiles.map((p) => [
        p.name,
        p.kind,
      ]),
    );
    expect(kinds).toMatchObject({
      dev: 'keychain-keys',
      proc: 'credential-process',
      role: 'role',
      'not-ours': 'file-keys',
    });

    const processOut = await runWithOpenStdin(['aws', 'credential-process', 'dev'], env);
    expect(processOut.timedOut).toBe(false);
    expect(JSON.parse(processOut.stdout)).toMatchObject({ Version: 1, AccessKeyId: keys.accessKeyId });

    const viaProcess = await awsCli(['sts', 'get-caller-identity', '--profile', 'proc'], env, auth.moto.endpoint);
    expect(viaProcess.stderr).toBe('');
    expect(JSON.parse(viaProcess.stdout).Arn).toMatch(/:user\/cli-user$/);

    const used = await run(['aws', 'use', 'role'], env);
    expect(used.stderr).toContain('[default] now uses role');
    expect(used.code).toBe(0);
    const asDefault = await awsCli(['sts', 'get-caller-identity'], env, auth.moto.endpoint);
    expect(JSON.parse(asDefault.stdout).Arn).toMatch(/:assumed-role\/cli-role\/cli-test$/);

    expect((await run(['aws', 'logout', 'role'], env)).code).toBe(0);
    expect(readFileSync(files.credentials, 'utf8')).toBe(`${unrelated}\n`);
    expect(readFileSync(files.config, 'utf8')).toBe(config);
    const gone = await awsCli(['sts', 'get-caller-identity'], env, auth.moto.endpoint);
    expect(gone.code).not.toBe(0);
  });

  it('rotate-key replaces the keychain key: the old key is rejected, the new one works through credential_process', async () => {
    const keys = await auth.newUser('cli-rotate');
    const files = makeHome(
      `[profile rot]\nregion = us-east-1\n\n[profile rotproc]\ncredential_process = ${PROCESS('rot')}\n`,
      `[rot]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
    );
    const env = envFor(files, auth.moto.endpoint);
    expect((await run(['aws', 'import', 'rot', '--remove-plaintext'], env)).code).toBe(0);
    const refused = await run(['aws', 'rotate-key', 'rot'], env);
    expect(refused.code).toBe(2);
    const rotated = await run(['aws', 'rotate-key', 'rot', '--yes'], env);
    expect(rotated.stderr).toMatch(/Rotated rot/);
    expect(rotated.code).toBe(0);
    expect(await auth.whoAmI(keys)).toBe('InvalidClientTokenId');
    const identity = await awsCli(['sts', 'get-caller-identity', '--profile', 'rotproc'], env, auth.moto.endpoint);
    expect(JSON.parse(identity.stdout).Arn).toMatch(/:user\/cli-rotate$/);
  });
});

// moto's GetSessionToken hands out fixed example keys that its own auth mode rejects, so the MFA flows run against
// the suite's shared moto, where auth is off: this still proves the flow, the caching and the AWS CLI's reading
// of the written profile (with Latchkey's marker keys in it).
describe('MFA sessions (shared moto, auth off)', () => {
  it('fails fast without a session, logs in once with a code, reuses the MFA session for a role, and the AWS CLI reads the written profile', async () => {
    const config = [
      '[profile base]',
      'mfa_serial = arn:aws:iam::123456789012:mfa/me',
      '',
      '[profile admin]',
      'role_arn = arn:aws:iam::123456789012:role/admin',
      'source_profile = base',
      'mfa_serial = arn:aws:iam::123456789012:mfa/me',
      '',
    ].join('\n');
    const files = makeHome(
      config,
      '[base]\naws_access_key_id = AKIABASEBASEBASEBASE\naws_secret_access_key = base-secret-canary\n',
    );
    const env = envFor(files, motoEndpoint());
    expect((await run(['aws', 'import', 'base', '--remove-plaintext'], env)).code).toBe(0);

    for (const profile of ['base', 'admin']) {
      const early = await runWithOpenStdin(['aws', 'credential-process', profile], env);
      expect(early.timedOut).toBe(false);
      expect(early.code).toBe(6);
      expect(early.stderr).toContain(`start a session in Latchkey: latchkey aws login ${profile}`);
      expect(early.stdout).toBe('');
    }
    const noCode = await run(['aws', 'login', 'base'], env);
    expect(noCode.code).toBe(6);

    const login = await run(['aws', 'login', 'base', '--mfa-code', '123456'], env);
    expect(login.stderr).toMatch(/Session for base started/);
    const text = readFileSync(files.credentials, 'utf8');
    expect(text).toMatch(
      /\[base\]\naws_access_key_id = \S+\naws_secret_access_key = \S+\naws_session_token = \S+\nx_latchkey_managed = true\nx_latchkey_expiration = \S+\n/,
    );

    // No code: the role is assumed from the cached MFA session of base.
    const role = await run(['aws', 'login', 'admin'], env);
    expect(role.stderr).toMatch(/Session for admin started/);
    expect(role.code).toBe(0);
    const again = await run(['aws', 'login', 'base'], env);
    expect(again.stderr).toMatch(/Session for base reused/);

    const processOut = await runWithOpenStdin(['aws', 'credential-process', 'base'], env);
    expect(JSON.parse(processOut.stdout)).toMatchObject({
      Version: 1,
      SessionToken: expect.any(String),
      Expiration: expect.any(String),
    });

    const identity = await awsCli(['sts', 'get-caller-identity', '--profile', 'base'], env, motoEndpoint());
    expect(identity.stderr).toBe('');
    expect(JSON.parse(identity.stdout).Account).toBeTruthy();

    expect((await run(['aws', 'logout', 'base'], env)).code).toBe(0);
    expect(readFileSync(files.credentials, 'utf8')).not.toContain('[base]');
    expect(readFileSync(files.config, 'utf8')).toBe(config);
  });
});
