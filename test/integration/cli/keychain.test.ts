import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { motoEndpoint, useSeededMoto } from '../../support/aws-env';
import { cliEnv, makeProject, runLatchkey, type CliRun } from '../../support/cli';
import { CLI_BIN } from '../../support/paths';

const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    sources:
      - ssm: /app/token
        as: APP_TOKEN
  personal:
    target: .env.personal
    sources:
      - ssm: /app/token
        as: APP_TOKEN
      - keychain: GITHUB_TOKEN
`;

useSeededMoto(async (ssm) => {
  await ssm.send(
    new PutParameterCommand({ Name: '/app/token', Value: 'canary-keychain-test-77', Type: 'SecureString' }),
  );
});

function envFor(project: ReturnType<typeof makeProject>): NodeJS.ProcessEnv {
  return cliEnv(project, motoEndpoint());
}

/** Runs the CLI in its own D-Bus session whose gnome-keyring was started but never unlocked, with no prompter. */
function runWithLockedKeyring(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  const bin = CLI_BIN;
  const keyringHome = mkdtempSync(path.join(tmpdir(), 'latchkey-locked-'));
  const script = `gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; exec "${process.execPath}" "${bin}" ${args.map((a) => `'${a}'`).join(' ')}`;
  return new Promise((resolve, reject) => {
    const child = spawn('dbus-run-session', ['--', 'sh', '-c', script], {
      cwd,
      env: {
        ...env,
        HOME: keyringHome,
        XDG_DATA_HOME: path.join(keyringHome, 'data'),
        DISPLAY: '',
        LATCHKEY_KEYRING_READY: '',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('a profile that reads the keychain needs it, and its absence is a clear error that writes nothing', () => {
  it('fails with exit 7 when no Secret Service is reachable, leaving the target untouched', async () => {
    const project = makeProject(MANIFEST);
    const target = path.join(project.root, '.env.personal');
    writeFileSync(target, 'MINE=1\n');
    const env = { ...envFor(project), DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(project.home, 'no-bus')}` };
    const run = await runLatchkey(['sync', 'personal', '--yes'], { cwd: project.root, env });
    expect(run.code).toBe(7);
    expect(run.stderr).toMatch(/keychain is not available/);
    expect(run.stderr).toMatch(/never falls back to plain files/);
    expect(readFileSync(target, 'utf8')).toBe('MINE=1\n');
    expect(existsSync(path.join(project.home, 'state'))).toBe(false);
    expect(run.stdout + run.stderr).not.toContain('canary-keychain-test-77');
  });

  it('fails fast on a locked keyring instead of waiting on a prompt no one sees', async () => {
    const project = makeProject(MANIFEST);
    const target = path.join(project.root, '.env.personal');
    const started = Date.now();
    const run = await runWithLockedKeyring(['sync', 'personal', '--yes'], project.root, envFor(project));
    // This keyring was never created (no default collection, nothing behind a lock): the personal secret reads as
    // not set (exit 6). A locked one that holds it is keychain-locked.test.ts. The point is the quick, clear
    // refusal, with nothing written.
    expect(run.code, run.stderr).toBe(6);
    expect(run.stderr).toContain('GITHUB_TOKEN');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(existsSync(target)).toBe(false);
  });

  it('a profile without personal secrets syncs on a locked keyring too, untracked, instead of waiting', async () => {
    const project = makeProject(MANIFEST);
    const run = await runWithLockedKeyring(['sync', 'dev', '--yes'], project.root, envFor(project));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/drift tracking is off/);
    expect(readFileSync(path.join(project.root, '.env'), 'utf8')).toBe('APP_TOKEN=canary-keychain-test-77\n');
  });

  it('exec of a profile without personal secrets needs no keychain at all', async () => {
    const project = makeProject(MANIFEST);
    const env = { ...envFor(project), DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(project.home, 'no-bus')}` };
    const run = await runLatchkey(
      [
        'exec',
        'dev',
        '--',
        process.execPath,
        '-e',
        'process.exit(process.env.APP_TOKEN === "canary-keychain-test-77" ? 0 : 3)',
      ],
      {
        cwd: project.root,
        env,
      },
    );
    expect(run.code, run.stderr).toBe(0);
  });
});

describe('what the keychain is given (issue 10, item 21)', () => {
  it('refuses a personal secret holding a NUL, instead of storing it cut short and saying Stored', async () => {
    const project = makeProject(`version: 1\nprofiles:\n  dev:\n    sources:\n      - keychain: GITHUB_TOKEN\n`);
    const run = await runLatchkey(['secret', 'set', 'GITHUB_TOKEN'], {
      cwd: project.root,
      env: envFor(project),
      stdin: 'ghp_before\0after-canary\n',
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/NUL/);
    expect(run.stderr).not.toMatch(/Stored/);
    expect(run.stdout + run.stderr).not.toContain('after-canary');
    expect(run.stdout + run.stderr).not.toContain('ghp_before');
    const keytar = createRequire(import.meta.url)('keytar') as {
      getPassword(service: string, account: string): Promise<string | null>;
    };
    const stored = await keytar.getPassword(
      'Latchkey',
      `personal:${path.join(realpathSync(project.root), 'latchkey.yml')}#GITHUB_TOKEN`,
    );
    expect(stored).toBeNull();
  });
});
