import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { motoEndpoint, useSeededMoto } from '../../support/aws-env';
import { cliEnv, makeProject, readTree, runLatchkey } from '../../support/cli';
import { seedChamberService } from '../../support/ssm-seed';

// Issue 12, item 6: tables fit the terminal, a repeated notice is shown once per manifest change.
const LONG_SERVICE = 'platform/payments-gateway/eu-west-1/production/blue-green';
const SHARED = { database_connection_pool_size: 'canary-output-shared-71c2', log_format: 'json' };
const OWN = {
  database_connection_pool_size: 'canary-output-own-0d9e',
  a_rather_long_key_name_for_the_payment_provider_webhook_signing_secret: 'canary-output-webhook-5f3a',
};
const CANARIES = [...Object.values(SHARED), ...Object.values(OWN)];
const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    target: .env
    sources:
      - chamber: shared/dev
      - chamber: ${LONG_SERVICE}
      - set: { LOG_LEVEL: debug }
`;

useSeededMoto(async (client) => {
  await seedChamberService(client, 'shared/dev', SHARED);
  await seedChamberService(client, LONG_SERVICE, OWN);
});

function project(extra: NodeJS.ProcessEnv = {}) {
  const p = makeProject(MANIFEST);
  const env = cliEnv(p, motoEndpoint(), extra);
  if (extra.COLUMNS === undefined) delete env.COLUMNS;
  const run = (args: string[]) => runLatchkey(args, { cwd: p.root, env });
  return { ...p, run };
}

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));
const OVERRIDE_NOTE = /overrides shared\/dev\/database_connection_pool_size/;

describe('CLI output for people', () => {
  it('fits plan and status to COLUMNS=80: no line wider, long sources cut in the middle, notes on their own line', async () => {
    const p = project({ COLUMNS: '80' });
    for (const args of [
      ['plan', 'dev', '--verbose'],
      ['status', 'dev', '--verbose'],
    ]) {
      const run = await p.run(args);
      expect(run.code, run.stderr).toBe(0);
      expect(widest(run.stdout), run.stdout).toBeLessThanOrEqual(80);
      expect(run.stdout).toContain('…');
      expect(run.stdout).toMatch(/^ {4}overrides shared\/dev\//m);
      for (const c of CANARIES) expect(run.stdout + run.stderr).not.toContain(c);
    }
  });

  it('cuts nothing when stdout is piped without COLUMNS, and --json is untouched', async () => {
    const p = project();
    const text = await p.run(['plan', 'dev']);
    expect(text.stdout).toContain(`chamber ${LONG_SERVICE}/database_connection_pool_size`);
    expect(text.stdout).not.toContain('…');
    const json = await p.run(['plan', 'dev', '--json']);
    expect(JSON.parse(json.stdout).plan.entries.length).toBe(4);
  });

  it('shows an override note once per manifest change, and always with --verbose', async () => {
    const p = project();
    const first = await p.run(['plan', 'dev']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(OVERRIDE_NOTE);

    const second = await p.run(['plan', 'dev']);
    expect(second.stdout).not.toMatch(OVERRIDE_NOTE);
    expect(second.stdout).toContain(
      '1 override note shown before, hidden until the manifest changes (--verbose shows them)',
    );
    // sync and status share the memory: the note was shown for this manifest already.
    expect((await p.run(['status', 'dev'])).stdout).not.toMatch(OVERRIDE_NOTE);

    expect((await p.run(['plan', 'dev', '--verbose'])).stdout).toMatch(OVERRIDE_NOTE);
    // --json is for programs: it neither hides nor records anything.
    expect(JSON.parse((await p.run(['plan', 'dev', '--json'])).stdout).plan.entries).toContainEqual(
      expect.objectContaining({ name: 'DATABASE_CONNECTION_POOL_SIZE', overrides: [expect.anything()] }),
    );

    // Any edit of the manifest shows it again, once.
    const manifest = path.join(p.root, 'latchkey.yml');
    writeFileSync(manifest, `${readFileSync(manifest, 'utf8')}# reviewed\n`);
    expect((await p.run(['plan', 'dev'])).stdout).toMatch(OVERRIDE_NOTE);
    expect((await p.run(['plan', 'dev'])).stdout).not.toMatch(OVERRIDE_NOTE);

    // What is remembered is hashes: no key name, no source, no value.
    const stateFiles = readdirSync(path.join(p.home, 'state')).filter((f) => f.startsWith('notices-'));
    expect(stateFiles).toHaveLength(1);
    const remembered = readFileSync(path.join(p.home, 'state', stateFiles[0]!), 'utf8');
    expect(JSON.parse(remembered).seen).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    for (const { text } of readTree(p.home)) {
      for (const c of CANARIES) expect(text).not.toContain(c);
    }
  });

  it('says that set: values are not rotated rather than counting them unknown', async () => {
    const status = await project().run(['status', 'dev']);
    expect(status.stdout).toMatch(
      /^Rotation: 0 overdue, 0 due, 0 unknown \(1 not rotated: set: and keychain values\)\.$/m,
    );
  });
});
