import { SSMClient } from '@aws-sdk/client-ssm';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
        /no answer within 1\.5 s from chamber \(waiting on DescribeParameters chamber api\/dev\); nothing was written/,
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
    const { writeFileSync } = await import('node:fs');
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
