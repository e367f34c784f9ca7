import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { motoEndpoint, useSeededMoto } from '../../support/aws-env';
import { cliEnv, makeProject, runLatchkey } from '../../support/cli';
import { seedChamberService } from '../../support/ssm-seed';

// Issue 12, item 4: a deliberate local value (DB_HOST=localhost) is the user's, not a conflict forever.
const REMOTE = { db_host: 'db.canary-keep.internal', api_url: 'https://api.canary-keep.example' };
const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    target: .env
    sources:
      - chamber: keep/dev
`;

const ssm = useSeededMoto((client) => seedChamberService(client, 'keep/dev', REMOTE));

function project() {
  const p = makeProject(MANIFEST);
  const env = cliEnv(p, motoEndpoint());
  const run = (args: string[]) => runLatchkey(args, { cwd: p.root, env });
  return { ...p, run, target: path.join(p.root, '.env'), local: path.join(p.root, 'latchkey.local.yml') };
}

const statuses = (stdout: string) =>
  Object.fromEntries(
    (JSON.parse(stdout).plan.entries as { name: string; status: string }[]).map((e) => [e.name, e.status]),
  );

describe('latchkey keep / unkeep (latchkey.local.yml)', () => {
  it('a kept key is a local-override in plan, sync and status: never written, never a conflict', async () => {
    const p = project();
    expect((await p.run(['sync', 'dev', '--yes'])).code).toBe(0);
    writeFileSync(p.target, readFileSync(p.target, 'utf8').replace(REMOTE.db_host, 'localhost'));

    const drift = await p.run(['status', 'dev', '--exit-code', '--json']);
    expect(drift.code).toBe(9);
    expect(statuses(drift.stdout).DB_HOST).toBe('conflict');

    const keep = await p.run(['keep', 'dev', 'DB_HOST']);
    expect(keep.code, keep.stderr).toBe(0);
    expect(readFileSync(p.local, 'utf8')).toMatch(/keep: \[ DB_HOST \]/);

    const plan = await p.run(['plan', 'dev', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(statuses(plan.stdout)).toEqual({ DB_HOST: 'local-override', API_URL: 'unchanged' });
    const text = await p.run(['plan', 'dev']);
    expect(text.stdout).toMatch(/local-override\s+DB_HOST/);

    // The sources move on: the kept key still is not touched, the other one is brought in.
    await seedChamberService(ssm, 'keep/dev', { db_host: 'db2.canary-keep.internal', api_url: 'https://v2.example' });
    const sync = await p.run(['sync', 'dev', '--yes']);
    expect(sync.code, sync.stderr).toBe(0);
    const written = readFileSync(p.target, 'utf8');
    expect(written).toContain('DB_HOST=localhost');
    expect(written).toContain('API_URL=https://v2.example');
    const inSync = await p.run(['status', 'dev', '--exit-code']);
    expect(inSync.code, inSync.stdout).toBe(0);
    expect(inSync.stdout).toMatch(/local-override\s+DB_HOST/);
    expect(inSync.stdout + inSync.stderr + plan.stdout).not.toContain('db2.canary-keep');

    // Unkept, the differing value is a conflict again; the file still holds the local value.
    expect((await p.run(['unkeep', 'dev', 'DB_HOST'])).code).toBe(0);
    expect(statuses((await p.run(['plan', 'dev', '--json'])).stdout).DB_HOST).toBe('conflict');
    expect(readFileSync(p.target, 'utf8')).toContain('DB_HOST=localhost');
  });

  it('refuses a bad name or an unknown profile, and writes no file', async () => {
    const p = project();
    const bad = await p.run(['keep', 'dev', 'not-a-name']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/not a valid variable name/);
    const unknown = await p.run(['keep', 'nope', 'DB_HOST']);
    expect(unknown.code).toBe(3);
    expect(existsSync(p.local)).toBe(false);
  });

  it('reports a broken latchkey.local.yml by name, exit 3, and writes nothing', async () => {
    const p = project();
    writeFileSync(p.local, 'profiles:\n  dev:\n    keep: DB_HOST\n');
    const run = await p.run(['sync', 'dev', '--yes']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('latchkey.local.yml');
    expect(existsSync(p.target)).toBe(false);
  });
});
