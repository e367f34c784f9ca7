import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../../main/core/manifest';
import { motoEndpoint, useSeededMoto } from '../../support/aws-env';
import { cliEnv, makeProject, readTree, runLatchkey } from '../../support/cli';
import { startConnectServer, type ConnectServer } from '../../support/connect-server';
import { CLI_BIN, CLI_BUNDLE, PTY_RUN } from '../../support/paths';
import { seedChamberService } from '../../support/ssm-seed';

// `latchkey init` through the built CLI: with flags (no terminal), and on a pseudo-terminal against moto's chamber
// services and the Connect test server's vaults.

const CANARIES = {
  web: 'canary-init-web-5b1e',
  shared: 'canary-init-shared-9c2d',
  op: 'canary-init-op-7f3a',
  token: 'op-init-token-canary-3e8b',
};

useSeededMoto(async (ssm) => {
  await seedChamberService(ssm, 'web/dev', { db_password: CANARIES.web, log_level: 'info' });
  await seedChamberService(ssm, 'shared/dev', { api_key: CANARIES.shared });
  await seedChamberService(ssm, 'api/prod', { other: 'x' });
});

let server: ConnectServer;
beforeAll(async () => {
  expect(existsSync(CLI_BUNDLE), 'run `npm run build:cli` first').toBe(true);
  server = await startConnectServer({
    token: CANARIES.token,
    vaults: [
      {
        name: 'Engineering',
        items: [
          { title: 'Backend DB', fields: [{ label: 'password', value: CANARIES.op, type: 'CONCEALED' }] },
          { title: 'Payments', fields: [{ label: 'api-key', value: CANARIES.op, type: 'CONCEALED' }] },
        ],
      },
    ],
  });
});
afterAll(() => server.stop());

/** An empty project folder (a git repo, so .gitignore is asked about for real), with the AWS profile acme-dev. */
function emptyProject(extra: NodeJS.ProcessEnv = {}) {
  const p = makeProject('');
  rmSync(path.join(p.root, 'latchkey.yml'));
  execFileSync('git', ['init', '-q'], { cwd: p.root });
  const env = cliEnv(p, motoEndpoint(), extra);
  const run = (args: string[]) => runLatchkey(args, { cwd: p.root, env });
  return { ...p, env, run, manifest: path.join(p.root, 'latchkey.yml') };
}

const gitIgnores = (cwd: string, file: string) => {
  try {
    execFileSync('git', ['check-ignore', '-q', '--', file], { cwd });
    return true;
  } catch {
    return false;
  }
};

describe('latchkey init with flags', () => {
  it('writes a commented manifest the loader reads, gitignores the target, and the profile syncs', async () => {
    const p = emptyProject();
    const init = await p.run([
      'init',
      '--profile',
      'dev',
      '--chamber',
      'web/dev',
      '--chamber',
      'shared/dev',
      '--target',
      '.env',
      '--aws-profile',
      'acme-dev',
      '--region',
      'us-east-1',
    ]);
    expect(init.code, init.stderr).toBe(0);
    const text = readFileSync(p.manifest, 'utf8');
    expect(text).toMatch(/^# Latchkey/);
    expect(text).toMatch(/# .*later source overrides/);
    const manifest = await loadManifest({ dir: p.root });
    expect(manifest.aws).toEqual({ profile: 'acme-dev', region: 'us-east-1' });
    expect(manifest.profiles.get('dev')!.sources).toMatchObject([
      { kind: 'chamber', service: 'web/dev' },
      { kind: 'chamber', service: 'shared/dev' },
    ]);
    expect(readFileSync(path.join(p.root, '.gitignore'), 'utf8')).toBe('/.env\n/latchkey.local.yml\n');
    expect(gitIgnores(p.root, '.env')).toBe(true);
    expect(gitIgnores(p.root, 'latchkey.local.yml')).toBe(true);
    expect(init.stderr).toContain('Next: latchkey plan dev');

    const sync = await p.run(['sync', 'dev', '--yes']);
    expect(sync.code, sync.stderr).toBe(0);
    const env = readFileSync(path.join(p.root, '.env'), 'utf8');
    expect(env).toContain(`DB_PASSWORD=${CANARIES.web}`);
    expect(env).toContain(`API_KEY=${CANARIES.shared}`);
  });

  it('refuses an existing manifest and leaves it byte for byte; --force replaces it', async () => {
    const p = emptyProject();
    const before = 'version: 1\nprofiles:\n  old:\n    sources: [{ set: { A: "1" } }]\n';
    writeFileSync(p.manifest, before);
    const refused = await p.run(['init', '--profile', 'dev', '--chamber', 'web/dev']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already exists');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(p.manifest, 'utf8')).toBe(before);
    expect(existsSync(path.join(p.root, '.gitignore'))).toBe(false);

    const forced = await p.run(['init', '--profile', 'dev', '--chamber', 'web/dev', '--force', '--no-gitignore']);
    expect(forced.code, forced.stderr).toBe(0);
    expect([...(await loadManifest({ dir: p.root })).profiles.keys()]).toEqual(['dev']);
    expect(existsSync(path.join(p.root, '.gitignore'))).toBe(false);
  });

  it('names the missing flag without a terminal, and writes nothing', async () => {
    const p = emptyProject();
    const noProfile = await p.run(['init', '--chamber', 'web/dev']);
    expect(noProfile.code).toBe(2);
    expect(noProfile.stderr).toContain('--profile');
    const noSource = await p.run(['init', '--profile', 'dev']);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toContain('--chamber');
    expect(readTree(p.root).filter((f) => !f.file.includes(`${path.sep}.git${path.sep}`))).toEqual([]);
  });

  it('refuses what the manifest loader refuses, naming it, and writes nothing', async () => {
    const p = emptyProject();
    const run = await p.run(['init', '--profile', 'dev', '--chamber', 'web/dev', '--target', '../outside.env']);
    expect(run.code).toBe(3);
    expect(existsSync(p.manifest)).toBe(false);
    expect(existsSync(path.join(p.root, '.gitignore'))).toBe(false);
  });

  it('takes whole 1Password items and personal secrets as flags, with --json', async () => {
    const p = emptyProject();
    const run = await p.run([
      'init',
      '--json',
      '--profile',
      'dev',
      '--op',
      'op://Engineering/Payments',
      '--keychain',
      'GITHUB_TOKEN',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { file: string; profile: string; gitignore: { entry: string }[] };
    expect(out).toMatchObject({ file: p.manifest, profile: 'dev' });
    expect(out.gitignore.map((g) => g.entry)).toEqual(['.env', 'latchkey.local.yml']);
    expect((await loadManifest({ dir: p.root })).profiles.get('dev')!.sources).toMatchObject([
      { kind: 'op', ref: 'op://Engineering/Payments', fields: 'all' },
      { kind: 'keychain', name: 'GITHUB_TOKEN' },
    ]);
  });
});

async function onTerminal(cwd: string, env: NodeJS.ProcessEnv, answers: [string, string][]) {
  const spec = JSON.stringify({ argv: [process.execPath, CLI_BIN, 'init'], cwd, answers, timeout: 60 });
  const { stdout } = await promisify(execFile)('python3', [PTY_RUN, spec], { env, maxBuffer: 10 * 1024 * 1024 });
  return JSON.parse(stdout) as { code: number; transcript: string; unanswered: number };
}

describe('latchkey init on a terminal', () => {
  const connect = () => ({ OP_CONNECT_HOST: server.url, OP_CONNECT_TOKEN: CANARIES.token, TERM: 'dumb' });

  it('lists the chamber services and vault items it can see, shows the manifest, and writes it when confirmed', async () => {
    const p = emptyProject(connect());
    const run = await onTerminal(p.root, p.env, [
      ['Profile name:', 'dev\r'],
      ['AWS profile', 'acme-dev\r'],
      ['Chamber services to read', '3 2\r'],
      ['Vaults to pick items from', '1\r'],
      ['Items of Engineering', '2\r'],
      ['Personal secrets', 'GITHUB_TOKEN\r'],
      ['Target file:', '\r'],
      ['to \\.gitignore\\?', 'y\r'],
      ['Write .*latchkey\\.yml\\?', 'y\r'],
    ]);
    expect(run.unanswered, run.transcript).toBe(0);
    expect(run.code, run.transcript).toBe(0);
    // What it listed: services with their key counts (chamber's _chamber folder never), the vault and its items.
    expect(run.transcript).toMatch(/1\) api\/prod \(1 key\)/);
    expect(run.transcript).toMatch(/2\) shared\/dev \(1 key\)/);
    expect(run.transcript).toMatch(/3\) web\/dev \(2 keys\)/);
    expect(run.transcript).toMatch(/1\) Engineering/);
    expect(run.transcript).toMatch(/1\) Backend DB[\s\S]*2\) Payments/);
    // The text was shown before the question that writes it.
    expect(run.transcript.indexOf('- chamber: web/dev')).toBeLessThan(run.transcript.search(/Write .*latchkey\.yml\?/));
    for (const canary of Object.values(CANARIES)) expect(run.transcript).not.toContain(canary);

    const manifest = await loadManifest({ dir: p.root });
    expect(manifest.aws).toEqual({ profile: 'acme-dev' });
    const profile = manifest.profiles.get('dev')!;
    expect(profile.target).toBe(path.join(p.root, '.env'));
    expect(profile.sources).toMatchObject([
      { kind: 'chamber', service: 'web/dev' },
      { kind: 'chamber', service: 'shared/dev' },
      { kind: 'op', ref: 'op://Engineering/Payments', fields: 'all' },
      { kind: 'keychain', name: 'GITHUB_TOKEN' },
    ]);
    expect(gitIgnores(p.root, '.env')).toBe(true);
    expect(gitIgnores(p.root, 'latchkey.local.yml')).toBe(true);
  });

  it('asks again for a number not in the list, and writes nothing when the user declines', async () => {
    const p = emptyProject({ TERM: 'dumb' });
    const run = await onTerminal(p.root, p.env, [
      ['Profile name:', 'dev\r'],
      ['AWS profile', 'acme-dev\r'],
      ['Chamber services to read', '9\r'],
      ['no number 9', 'web/dev\r'],
      ['Personal secrets', '\r'],
      ['Target file:', '.env.local\r'],
      ['to \\.gitignore\\?', 'n\r'],
      ['Write .*latchkey\\.yml\\?', 'n\r'],
    ]);
    expect(run.unanswered, run.transcript).toBe(0);
    expect(run.code, run.transcript).toBe(0);
    expect(run.transcript).toContain('target: .env.local');
    expect(run.transcript).toContain('Nothing written.');
    expect(run.transcript).not.toContain('Vaults'); // no Connect configured: no vault question
    expect(existsSync(p.manifest)).toBe(false);
    expect(existsSync(path.join(p.root, '.gitignore'))).toBe(false);
  });
});
