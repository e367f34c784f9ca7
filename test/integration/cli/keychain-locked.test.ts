import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keytarFailure } from '../../../main/adapters/keytar-keychain';
import { personalSecretAccount } from '../../../main/core/keychain';
import { motoEndpoint, useSeededMoto } from '../../support/aws-env';
import { cliEnv, makeProject } from '../../support/cli';
import { CLI_BIN } from '../../support/paths';

// Issue 14, item 3 (Deliver 2): a locked keychain is not "not set". A real gnome-keyring in a D-Bus session of
// its own (the suite's shared keyring is never locked): its login keyring is created unlocked, given the personal
// secret, then locked through the Secret Service's own Lock method. No prompter can run here (no display), so
// nothing can unlock it behind the test's back. libsecret then answers a read with "no such entry": the adapter
// asks the Secret Service whether the collection is locked before it believes that.

const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  personal:
    target: .env.personal
    sources:
      - ssm: /app/token
        as: APP_TOKEN
      - keychain: GITHUB_TOKEN
`;
const PERSONAL = 'canary-locked-personal-81Kd';
const OVERWRITE = 'canary-overwrite-attempt-3Hq';
const KEYRING_PASSWORD = 'latchkey-locked-test';

useSeededMoto(async (ssm) => {
  await ssm.send(new PutParameterCommand({ Name: '/app/token', Value: 'canary-locked-ssm-62', Type: 'SecureString' }));
});

interface Step {
  code: number;
  stdout: string;
  stderr: string;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `script` (sh) in a private D-Bus session whose gnome-keyring keeps its files under `keyringHome`; `$CLI`
 * runs the built CLI, `$NODE` is this Node. Each step writes its outcome under $OUT/<step>.{out,err,code}.
 */
function inKeyringSession(keyringHome: string, cwd: string, env: NodeJS.ProcessEnv, script: string): Promise<void> {
  // In the foreground as our own child, so it is stopped by its pid with the session; ready once it owns the name.
  const full = [
    `printf %s ${q(KEYRING_PASSWORD)} | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null 2>&1 &`,
    'daemon=$!',
    'trap \'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null\' EXIT',
    'for i in $(seq 1 100); do dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true" && break; sleep 0.05; done',
    script,
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn('dbus-run-session', ['--', 'sh', '-c', full], {
      cwd,
      env: {
        ...env,
        HOME: keyringHome,
        XDG_DATA_HOME: path.join(keyringHome, 'data'),
        DISPLAY: '',
        LATCHKEY_KEYRING_READY: '',
        CLI: `${process.execPath} ${CLI_BIN}`,
        NODE: process.execPath,
        OUT: path.join(keyringHome, 'out'),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`session exited ${code}: ${stderr}`))));
  });
}

function step(keyringHome: string, name: string): Step {
  const file = (ext: string) => path.join(keyringHome, 'out', `${name}.${ext}`);
  return {
    code: Number(readFileSync(file('code'), 'utf8').trim()),
    stdout: readFileSync(file('out'), 'utf8'),
    stderr: readFileSync(file('err'), 'utf8'),
  };
}

const run = (name: string, command: string) =>
  `$CLI ${command} >"$OUT/${name}.out" 2>"$OUT/${name}.err"; echo $? >"$OUT/${name}.code"`;

const LOCK = [
  'coll=$(dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service.ReadAlias string:default | sed -n \'s/.*object path "\\(.*\\)".*/\\1/p\')',
  'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock "array:objpath:$coll" >/dev/null',
].join('\n');

describe('a locked keychain is told from a missing entry (real gnome-keyring, locked)', () => {
  it('plan shows the secret as keychain-locked (exit 7), sync and secret set refuse, and the secret survives', async () => {
    const project = makeProject(MANIFEST);
    const keyringHome = mkdtempSync(path.join(tmpdir(), 'latchkey-locked-keyring-'));
    mkdirSync(path.join(keyringHome, 'out'));
    const env = cliEnv(project, motoEndpoint());
    await inKeyringSession(
      keyringHome,
      project.root,
      env,
      [
        `printf %s ${q(PERSONAL)} | $CLI secret set GITHUB_TOKEN >"$OUT/set.out" 2>"$OUT/set.err"; echo $? >"$OUT/set.code"`,
        LOCK,
        run('plan', 'plan personal'),
        run('planJson', 'plan personal --json'),
        run('sync', 'sync personal --yes'),
        `printf %s ${q(OVERWRITE)} | $CLI secret set GITHUB_TOKEN >"$OUT/overwrite.out" 2>"$OUT/overwrite.err"; echo $? >"$OUT/overwrite.code"`,
      ].join('\n'),
    );
    expect(step(keyringHome, 'set').code, step(keyringHome, 'set').stderr).toBe(0);

    const plan = step(keyringHome, 'plan');
    expect(plan.code, plan.stderr).toBe(7);
    expect(plan.stdout).toMatch(/keychain-locked\s+GITHUB_TOKEN/);
    expect(plan.stdout).toMatch(/APP_TOKEN/); // the rest of the plan is there
    expect(plan.stderr).toMatch(/keychain is locked/);
    expect(plan.stderr).toMatch(/[Uu]nlock/);
    expect(plan.stderr).not.toMatch(/not set|secret set/);
    const json = JSON.parse(step(keyringHome, 'planJson').stdout) as {
      plan: { entries: { name: string; status: string }[] };
    };
    expect(json.plan.entries.find((e) => e.name === 'GITHUB_TOKEN')?.status).toBe('keychain-locked');
    expect(json.plan.entries.find((e) => e.name === 'APP_TOKEN')?.status).toBe('add');

    const sync = step(keyringHome, 'sync');
    expect(sync.code, sync.stderr).toBe(7);
    expect(sync.stderr).toMatch(/KEYCHAIN_LOCKED|keychain is locked/);
    expect(existsSync(path.join(project.root, '.env.personal'))).toBe(false);

    const overwrite = step(keyringHome, 'overwrite');
    expect(overwrite.code, overwrite.stderr).toBe(7);
    expect(overwrite.stderr).toMatch(/keychain is locked/);

    for (const name of ['plan', 'planJson', 'sync', 'overwrite']) {
      const s = step(keyringHome, name);
      expect(s.stdout + s.stderr).not.toContain(PERSONAL);
      expect(s.stdout + s.stderr).not.toContain(OVERWRITE);
    }

    // Unlocked again (a new session, the same keyring files and password): the secret is the one stored first.
    const account = personalSecretAccount(path.join(project.root, 'latchkey.yml'), 'GITHUB_TOKEN');
    const keytarPath = createRequire(import.meta.url).resolve('keytar');
    writeFileSync(
      path.join(keyringHome, 'read.cjs'),
      `require(${JSON.stringify(keytarPath)}).getPassword('Latchkey', ${JSON.stringify(account)}).then((v) => process.stdout.write(String(v)));`,
    );
    await inKeyringSession(
      keyringHome,
      project.root,
      env,
      `$NODE "$HOME/read.cjs" >"$OUT/read.out" 2>"$OUT/read.err"; echo $? >"$OUT/read.code"`,
    );
    expect(step(keyringHome, 'read').stdout).toBe(PERSONAL);
  }, 120_000);
});

describe('what libsecret says, mapped', () => {
  it('a write into a locked collection is KEYCHAIN_LOCKED; a keyring that is not there is KEYCHAIN_UNAVAILABLE', () => {
    // The messages gnome-keyring gives through keytar (seen in the session above, and with no login keyring).
    expect(keytarFailure('write', new Error('Cannot create an item in a locked collection'))).toMatchObject({
      code: 'KEYCHAIN_LOCKED',
      hint: expect.stringMatching(/Unlock/),
    });
    expect(
      keytarFailure('write', new Error('Object does not exist at path “/org/freedesktop/secrets/collection/login”')),
    ).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    // macOS, when the keychain is locked and no unlock dialog may be shown.
    expect(keytarFailure('read', new Error('User interaction is not allowed.'))).toMatchObject({
      code: 'KEYCHAIN_LOCKED',
    });
  });
});
