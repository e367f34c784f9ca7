import { SSMClient } from '@aws-sdk/client-ssm';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIT_FILE, AUDIT_HEAD_FILE, GENESIS_HASH, hashAuditEvent, type AuditEvent } from '../../../main/core/audit';
import { motoEndpoint, resetMoto, testClientConfig } from '../../support/aws-env';
import { cliEnv, makeProject, readTree, runLatchkey } from '../../support/cli';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { seedChamberService } from '../../support/ssm-seed';

// Issue 10's fixes as the built CLI shows them: what reaches stderr, stdout and the exit code.

const CANARY = 'cli-wiring-canary-5d1e';

const SET_MANIFEST = `version: 1\nprofiles:\n  dev:\n    sources: [{ set: { GREETING: "hello" } }]\n`;

describe('which manifest was used (item 8)', () => {
  it('names the manifest on stderr when the upward search found it, never on stdout', async () => {
    const project = makeProject(SET_MANIFEST);
    const below = path.join(project.root, 'src', 'deep');
    mkdirSync(below, { recursive: true });
    const env = cliEnv(project, motoEndpoint());
    const manifest = path.join(project.root, 'latchkey.yml');
    for (const args of [
      ['plan', '--json'],
      ['export', '--format', 'json'],
      ['exec', '--', 'true'],
    ]) {
      const run = await runLatchkey(args, { cwd: below, env });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr.split('\n').filter((line) => line === `using ${manifest}`)).toHaveLength(1);
      expect(run.stdout).not.toMatch(/^using /m);
    }
  });

  it('says nothing about it with --dir', async () => {
    const project = makeProject(SET_MANIFEST);
    const run = await runLatchkey(['--dir', project.root, 'plan'], {
      cwd: path.dirname(project.root),
      env: cliEnv(project, motoEndpoint()),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/^using /m);
  });
});

describe('--timeout (item 5)', () => {
  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });

  const CHAMBER_MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    sources: [{ chamber: api/dev }]
`;

  it('ends every source-reading command at the deadline with exit 5, naming the source and its step', async () => {
    await resetMoto();
    const seeder = new SSMClient(testClientConfig());
    await seedChamberService(seeder, 'api/dev', { db_password: CANARY });
    seeder.destroy();
    proxy = await startFaultProxy({ target: motoEndpoint(), hang: 'silent' });
    const project = makeProject(CHAMBER_MANIFEST);
    const env = cliEnv(project, proxy.url);
    for (const args of [
      ['plan', '--timeout', '1.5'],
      ['sync', '--yes', '--timeout', '1.5'],
      ['status', '--timeout', '1.5'],
      ['exec', '--timeout', '1.5', '--', 'true'],
      ['export', '--timeout', '1.5'],
    ]) {
      const started = Date.now();
      const run = await runLatchkey(args, { cwd: project.root, env });
      expect(run.code, `${args[0]}: ${run.stderr}`).toBe(5);
      expect(run.stderr).toMatch(
        /no answer within 1\.5 s from chamber \(waiting on GetParametersByPath chamber api\/dev\); nothing was written/,
      );
      // The client's own limits are 5 s to connect and 30 s a request: only the deadline ends it this soon.
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(run.stdout + run.stderr).not.toContain(CANARY);
    }
    expect(existsSync(path.join(project.root, '.env'))).toBe(false);
  }, 120_000);

  it('inject honours it too', async () => {
    proxy = await startFaultProxy({ target: motoEndpoint(), hang: 'silent' });
    const project = makeProject(CHAMBER_MANIFEST);
    writeFileSync(path.join(project.root, 'app.tpl'), 'pw={{ chamber:api/dev/db_password }}\n');
    const run = await runLatchkey(['inject', '-i', 'app.tpl', '-o', 'out.env', '--timeout', '1'], {
      cwd: project.root,
      env: cliEnv(project, proxy.url),
    });
    expect(run.code, run.stderr).toBe(5);
    expect(run.stderr).toMatch(/no answer within 1 s from ssm/);
    expect(existsSync(path.join(project.root, 'out.env'))).toBe(false);
  }, 60_000);

  it('refuses a timeout that is not a positive number of seconds, without echoing it', async () => {
    const project = makeProject(SET_MANIFEST);
    const run = await runLatchkey(['plan', '--timeout', `x${CANARY}`], {
      cwd: project.root,
      env: cliEnv(project, motoEndpoint()),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--timeout expects a number of seconds/);
    expect(run.stdout + run.stderr).not.toContain(CANARY);
    for (const { text } of readTree(project.home)) expect(text).not.toContain(CANARY);
  });
});

describe('what sync fixes and what a reader would trip on (items 10, 12, 14)', () => {
  it('plan and status name the hazards, as text and as JSON fields; sync says what it fixed', async () => {
    const project = makeProject(SET_MANIFEST);
    const env = cliEnv(project, motoEndpoint());
    const target = path.join(project.root, '.env');
    writeFileSync(target, '\ufeffGREETING=hello\n', { mode: 0o644 });
    chmodSync(target, 0o644);

    const plan = await runLatchkey(['plan'], { cwd: project.root, env });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(
      /warning: \.env: the file starts with a byte order mark.*\(GREETING\); sync removes it/,
    );
    expect(plan.stdout).toMatch(/warning: \.env has mode 0644/);

    const status = await runLatchkey(['status', '--json'], { cwd: project.root, env });
    expect(status.code, status.stderr).toBe(0);
    const statusJson = JSON.parse(status.stdout) as { inSync: boolean; hazards: { kind: string; hides?: string }[] };
    expect(statusJson.inSync).toBe(false);
    expect(statusJson.hazards).toEqual([expect.objectContaining({ kind: 'bom', line: 1, hides: 'GREETING' })]);

    const sync = await runLatchkey(['sync', '--yes'], { cwd: project.root, env });
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stderr).toContain('Fixed: removed the byte order mark from .env.');
    expect(sync.stderr).toContain('Fixed: made .env private: its mode was 0644, it is 0600 now.');
    expect(readFileSync(target, 'utf8')).toBe('GREETING=hello\n');
    expect(statSync(target).mode & 0o777).toBe(0o600);

    chmodSync(target, 0o640);
    const json = await runLatchkey(['sync', '--yes', '--json'], { cwd: project.root, env });
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as { wrote: boolean; fixes: string[]; hazards: unknown[] };
    expect(out).toMatchObject({ wrote: false, hazards: [] });
    expect(out.fixes).toEqual(['made .env private: its mode was 0640, it is 0600 now']);
  });

  it('plan --json lists a line Node would join to the next as a hazard', async () => {
    const project = makeProject(SET_MANIFEST);
    writeFileSync(path.join(project.root, '.env'), 'GREETING=hello\nnot a pair\nOTHER=1\n', { mode: 0o600 });
    const plan = await runLatchkey(['plan', '--json'], { cwd: project.root, env: cliEnv(project, motoEndpoint()) });
    expect(plan.code, plan.stderr).toBe(0);
    const out = JSON.parse(plan.stdout) as { hazards: unknown[] };
    expect(out.hazards).toEqual([expect.objectContaining({ kind: 'no-equals', line: 2, hides: 'OTHER' })]);
  });
});

describe('audit verify and the keychain anchor (item 19)', () => {
  /** What someone who can write app data but not the keychain does: drop an event, re-seal the chain and head. */
  function dropAndReseal(home: string, dropSeq: number) {
    const file = path.join(home, AUDIT_FILE);
    const kept = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as AuditEvent)
      .filter((event) => event.seq !== dropSeq);
    let prevHash = GENESIS_HASH;
    const resealed = kept.map((event, i) => {
      const { hash: _hash, ...rest } = event;
      const unsealed = { ...rest, seq: i + 1, prevHash };
      const sealed = { ...unsealed, hash: hashAuditEvent(unsealed) };
      prevHash = sealed.hash;
      return sealed;
    });
    writeFileSync(file, resealed.map((e) => `${JSON.stringify(e)}\n`).join(''));
    writeFileSync(path.join(home, AUDIT_HEAD_FILE), JSON.stringify({ seq: resealed.length, hash: prevHash }));
  }

  it('shows how far the anchor vouches, and a log cut and re-sealed as broken (exit 10), in text and JSON', async () => {
    const project = makeProject(SET_MANIFEST);
    const env = cliEnv(project, motoEndpoint());
    for (const greeting of ['hello', 'hi']) {
      writeFileSync(path.join(project.root, 'latchkey.yml'), SET_MANIFEST.replace('hello', greeting));
      expect((await runLatchkey(['sync', '--yes'], { cwd: project.root, env })).code).toBe(0);
    }
    const intact = await runLatchkey(['audit', 'verify', '--json'], { cwd: project.root, env });
    expect(intact.code, intact.stderr).toBe(0);
    const report = JSON.parse(intact.stdout) as { events: number; anchor: { state: string; seq: number } };
    expect(report.anchor).toMatchObject({ state: 'vouches', seq: report.events });
    const text = await runLatchkey(['audit', 'verify'], { cwd: project.root, env });
    expect(text.stdout).toContain(`Keychain anchor: vouches for all ${report.events} events.`);

    dropAndReseal(project.home, 2);
    const broken = await runLatchkey(['audit', 'verify'], { cwd: project.root, env });
    expect(broken.code).toBe(10);
    expect(broken.stdout).toMatch(/Audit trail BROKEN/);
    expect(broken.stdout).toMatch(
      /Keychain anchor: DISAGREES with the log:\n {2}the anchor records \d+ events, but the log has \d+/,
    );
    const brokenJson = await runLatchkey(['audit', 'verify', '--json'], { cwd: project.root, env });
    expect(brokenJson.code).toBe(10);
    const out = JSON.parse(brokenJson.stdout) as {
      ok: boolean;
      anchor: { state: string };
      problems: { kind?: string }[];
    };
    expect(out.ok).toBe(false);
    expect(out.anchor.state).toBe('broken');
    expect(out.problems).toEqual([expect.objectContaining({ kind: 'anchor' })]);
  });
});

describe('a NUL in a value: refused by name, worded per command, never shown (items 6 and 8)', () => {
  const NUL_MANIFEST = `version: 1\nprofiles:\n  dev:\n    sources: [{ set: { FINE: "ok", TOKEN: "x\\0${CANARY}" } }]\n`;

  it('export says nothing was printed, inject that nothing was written', async () => {
    const project = makeProject(NUL_MANIFEST);
    const env = cliEnv(project, motoEndpoint());
    writeFileSync(path.join(project.root, 'app.tpl'), 'token={{ env:TOKEN }}\n');
    const cases = [
      { args: ['export', '--format', 'json'], said: 'Nothing was printed.' },
      { args: ['inject', 'dev', '-i', 'app.tpl', '-o', 'out.env'], said: 'Nothing was written.' },
    ];
    for (const { args, said } of cases) {
      const run = await runLatchkey(args, { cwd: project.root, env });
      expect(run.code, run.stderr).toBe(4);
      expect(run.stderr).toMatch(/TOKEN: the value holds a NUL character/);
      expect(run.stderr).toContain(said);
      expect(run.stderr).not.toContain('Nothing was run');
      expect(run.stdout + run.stderr).not.toContain(CANARY);
    }
    expect(existsSync(path.join(project.root, 'out.env'))).toBe(false);
    for (const { text } of readTree(project.home)) expect(text).not.toContain(CANARY);
  });
});

describe('a rejected input that could be a secret is never echoed (item 17)', () => {
  it('secret set with a token where the name goes, and export --label without "="', async () => {
    const project = makeProject(
      `version: 1\nprofiles:\n  dev:\n    sources: [{ keychain: GITHUB_TOKEN }, { set: { A: "1" } }]\n`,
    );
    const env = cliEnv(project, motoEndpoint());
    const token = `ghp_${CANARY.replace(/-/g, '_')}`;
    const secret = await runLatchkey(['secret', 'set', token], { cwd: project.root, env, stdin: 'value\n' });
    expect(secret.code).toBe(2);
    expect(secret.stderr).toMatch(/has a keychain: source named by the \d+-character value given/);
    expect(secret.stderr).toContain('Its keychain: sources are GITHUB_TOKEN.');
    const label = await runLatchkey(['export', '--format', 'k8s', '--label', token], { cwd: project.root, env });
    expect(label.code).toBe(2);
    expect(label.stderr).toMatch(/--label expects key=value; found the \d+-character value given/);
    // Commander's own refusal of a choice quoted it; it names the value by its length now.
    const format = await runLatchkey(['export', '--format', token], { cwd: project.root, env });
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/argument \(the \d+-character value given\) is invalid/);
    for (const run of [secret, label, format]) expect(run.stdout + run.stderr).not.toContain(CANARY.replace(/-/g, '_'));
    for (const { text } of readTree(project.home)) expect(text).not.toContain(CANARY.replace(/-/g, '_'));
  });
});
