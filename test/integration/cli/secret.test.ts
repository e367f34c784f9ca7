import { execFile } from 'node:child_process';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliEnv, makeProject, readTree, runLatchkey } from '../../support/cli';
import { CLI_BIN, PTY_RUN } from '../../support/paths';

// `secret list` and `secret delete` through the built CLI against the real gnome-keyring (with-keyring.sh): names
// and dates only, never a value; deletion asked for, audited by name, and never done on an unusable keychain.

const CANARY = 'ghp_canarySecretList5e7d';
const MANIFEST = `version: 1
profiles:
  dev:
    sources:
      - keychain: NPM_TOKEN
  personal:
    target: .env.personal
    sources:
      - keychain: GITHUB_TOKEN
      - keychain: NPM_TOKEN
`;

interface Listing {
  manifest: string;
  secrets: { name: string; profiles: string[]; set: boolean; setAt: string | null }[];
}

const keytar = createRequire(import.meta.url)('keytar') as {
  getPassword(service: string, account: string): Promise<string | null>;
};

function project(manifest = MANIFEST) {
  const p = makeProject(manifest);
  // Not an endpoint any test here reaches: these commands read no AWS source.
  const env = cliEnv(p, 'http://127.0.0.1:9');
  const run = (args: string[], stdin?: string) =>
    runLatchkey(args, { cwd: p.root, env, ...(stdin !== undefined && { stdin }) });
  const stored = (name: string) =>
    keytar.getPassword('Latchkey', `personal:${path.join(realpathSync(p.root), 'latchkey.yml')}#${name}`);
  const list = async () => {
    const r = await run(['secret', 'list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
    return JSON.parse(r.stdout) as Listing;
  };
  const noCanaryAnywhere = () => {
    for (const { file, text } of readTree(p.home)) expect(text, file).not.toContain(CANARY);
  };
  return { ...p, env, run, stored, list, noCanaryAnywhere };
}

describe('latchkey secret list', () => {
  it('shows each declared personal secret, whether it is set and when, and never a value', async () => {
    const p = project();
    expect((await p.list()).secrets).toEqual([
      { name: 'GITHUB_TOKEN', profiles: ['personal'], set: false, setAt: null },
      { name: 'NPM_TOKEN', profiles: ['dev', 'personal'], set: false, setAt: null },
    ]);

    const before = Date.now();
    const set = await p.run(['secret', 'set', 'GITHUB_TOKEN'], `${CANARY}\n`);
    expect(set.code, set.stderr).toBe(0);
    const after = Date.now();
    const listed = (await p.list()).secrets;
    expect(listed.map(({ name, set: isSet }) => [name, isSet])).toEqual([
      ['GITHUB_TOKEN', true],
      ['NPM_TOKEN', false],
    ]);
    const setAt = Date.parse(listed[0]!.setAt!);
    expect(setAt).toBeGreaterThanOrEqual(before - 1000);
    expect(setAt).toBeLessThanOrEqual(after + 1000);

    const table = await p.run(['secret', 'list']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/GITHUB_TOKEN\s+yes\s+\d{4}-\d\d-\d\dT/);
    expect(table.stdout).toMatch(/NPM_TOKEN\s+no\s+-\s+dev, personal/);
    expect(table.stdout + table.stderr).not.toContain(CANARY);
    p.noCanaryAnywhere();
  });

  it('still lists a secret stored for the project that the manifest no longer names', async () => {
    const p = project();
    expect((await p.run(['secret', 'set', 'GITHUB_TOKEN'], CANARY)).code).toBe(0);
    writeFileSync(path.join(p.root, 'latchkey.yml'), MANIFEST.replace('      - keychain: GITHUB_TOKEN\n', ''));
    const listed = (await p.list()).secrets;
    expect(listed.find((s) => s.name === 'GITHUB_TOKEN')).toMatchObject({ profiles: [], set: true });
    expect((await p.run(['secret', 'list'])).stdout).toMatch(/GITHUB_TOKEN\s+yes\s+\S+\s+\(not in the manifest\)/);
  });
});

describe('latchkey secret delete', () => {
  it('needs --yes without a terminal, removes the one secret, audits its name, and forgets its date', async () => {
    const p = project();
    expect((await p.run(['secret', 'set', 'GITHUB_TOKEN'], CANARY)).code).toBe(0);
    expect((await p.run(['secret', 'set', 'NPM_TOKEN'], `${CANARY}-npm`)).code).toBe(0);

    const unconfirmed = await p.run(['secret', 'delete', 'GITHUB_TOKEN']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');
    expect(await p.stored('GITHUB_TOKEN')).toBe(CANARY);

    const deleted = await p.run(['secret', 'delete', 'GITHUB_TOKEN', '--yes']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stderr).toContain('Deleted GITHUB_TOKEN');
    expect(await p.stored('GITHUB_TOKEN')).toBeNull();
    expect(await p.stored('NPM_TOKEN')).toBe(`${CANARY}-npm`);
    expect((await p.list()).secrets.find((s) => s.name === 'GITHUB_TOKEN')).toEqual({
      name: 'GITHUB_TOKEN',
      profiles: ['personal'],
      set: false,
      setAt: null,
    });
    const dates = readFileSync(path.join(p.home, 'personal-secrets.json'), 'utf8');
    expect(dates).not.toContain('GITHUB_TOKEN');
    expect(dates).toContain('NPM_TOKEN');

    const audit = readFileSync(path.join(p.home, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // The action names what was deleted; the event records the name and nothing else of it.
    expect(audit.at(-1)).toMatchObject({ action: 'secret.delete', keys: ['GITHUB_TOKEN'], outcome: 'ok' });
    expect(audit.at(-1)).not.toHaveProperty('detail');
    p.noCanaryAnywhere();
  });

  it('a name that is not stored exits 2 and deletes nothing; a pasted value is not echoed', async () => {
    const p = project();
    expect((await p.run(['secret', 'set', 'NPM_TOKEN'], CANARY)).code).toBe(0);
    const missing = await p.run(['secret', 'delete', 'GITHUB_TOKEN', '--yes']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no personal secret GITHUB_TOKEN is stored');
    const pasted = await p.run(['secret', 'delete', `${CANARY}x`, '--yes']);
    expect(pasted.code).toBe(2);
    expect(pasted.stderr).not.toContain(CANARY);
    expect(await p.stored('NPM_TOKEN')).toBe(CANARY);
  });

  it('deletes nothing when the keychain cannot be reached (exit 7)', async () => {
    const p = project();
    expect((await p.run(['secret', 'set', 'GITHUB_TOKEN'], CANARY)).code).toBe(0);
    const run = await runLatchkey(['secret', 'delete', 'GITHUB_TOKEN', '--yes'], {
      cwd: p.root,
      env: { ...p.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(p.home, 'no-bus')}` },
    });
    expect(run.code, run.stderr).toBe(7);
    expect(await p.stored('GITHUB_TOKEN')).toBe(CANARY);
    const list = await runLatchkey(['secret', 'list'], {
      cwd: p.root,
      env: { ...p.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(p.home, 'no-bus')}` },
    });
    expect(list.code).toBe(7);
  });

  it('asks first on a terminal, and deletes only on a yes', async () => {
    const p = project();
    expect((await p.run(['secret', 'set', 'GITHUB_TOKEN'], CANARY)).code).toBe(0);
    const onTerminal = async (answer: string) => {
      const spec = JSON.stringify({
        argv: [process.execPath, CLI_BIN, 'secret', 'delete', 'GITHUB_TOKEN'],
        cwd: p.root,
        answers: [['Delete GITHUB_TOKEN from the OS keychain\\?', `${answer}\r`]],
        timeout: 60,
      });
      const { stdout } = await promisify(execFile)('python3', [PTY_RUN, spec], { env: { ...p.env, TERM: 'dumb' } });
      return JSON.parse(stdout) as { code: number; transcript: string; unanswered: number };
    };
    const declined = await onTerminal('n');
    expect(declined.unanswered, declined.transcript).toBe(0);
    expect(declined.code, declined.transcript).toBe(1);
    expect(declined.transcript).toContain('nothing was changed');
    expect(await p.stored('GITHUB_TOKEN')).toBe(CANARY);

    const confirmed = await onTerminal('y');
    expect(confirmed.code, confirmed.transcript).toBe(0);
    expect(await p.stored('GITHUB_TOKEN')).toBeNull();
    expect(declined.transcript + confirmed.transcript).not.toContain(CANARY);
  });
});
