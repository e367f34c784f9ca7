import { GetParameterCommand, LabelParameterVersionCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordProject } from '../../../main/core/projects';
import { motoEndpoint, useSeededMoto } from '../../support/aws-env';
import { cliEnv, makeProject, readTree, runLatchkey } from '../../support/cli';
import { seedChamberService } from '../../support/ssm-seed';

const CANARY_OLD = 'canary-old-4d1f9b';
const CANARY_NEW = 'canary-new-8e2a7c';

const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    target: .env
    sources:
      - chamber: api/dev
`;

const ssm = useSeededMoto((client) =>
  seedChamberService(client, 'api/dev', { db_password: CANARY_OLD, log_level: 'canary-unchanged-11' }),
);

function project(manifest = MANIFEST) {
  const p = makeProject(manifest);
  const env = cliEnv(p, motoEndpoint());
  const run = (args: string[], stdin?: string) =>
    runLatchkey(args, { cwd: p.root, env, ...(stdin !== undefined && { stdin }) });
  return { ...p, env, run };
}

/** What a chamber-compatible reader (boto3, as chamber's Go SDK would) sees of one parameter. */
function readWithBoto3(name: string, env: NodeJS.ProcessEnv) {
  const script = `
import boto3, json, sys
c = boto3.client("ssm", endpoint_url=sys.argv[2], region_name="us-east-1",
                 aws_access_key_id="testing", aws_secret_access_key="testing")
p = c.get_parameter(Name=sys.argv[1], WithDecryption=True)["Parameter"]
d = c.describe_parameters(ParameterFilters=[{"Key": "Name", "Option": "Equals", "Values": [sys.argv[1]]}])["Parameters"][0]
print(json.dumps({"name": p["Name"], "type": p["Type"], "version": p["Version"], "value": p["Value"],
                  "keyId": d.get("KeyId"), "description": d.get("Description")}))
`;
  const out = execFileSync('python3', ['-c', script, name, motoEndpoint()], { env, encoding: 'utf8' });
  return JSON.parse(out) as {
    name: string;
    type: string;
    version: number;
    value: string;
    keyId: string;
    description: string;
  };
}

function scanForCanaries(texts: string[], canaries: string[]) {
  for (const text of texts) for (const canary of canaries) expect(text).not.toContain(canary);
}

describe('latchkey chamber write', () => {
  it('writes as chamber does: SecureString, chamber KMS key, lower-cased name, Description counter', async () => {
    const p = project();
    const first = await p.run(['chamber', 'write', 'API/Dev', 'New_Key'], `${CANARY_NEW}\n`);
    expect(first.code, first.stderr).toBe(0);
    expect(readWithBoto3('/api/dev/new_key', p.env)).toEqual({
      name: '/api/dev/new_key',
      type: 'SecureString',
      version: 1,
      value: CANARY_NEW,
      keyId: 'alias/parameter_store_key',
      description: '1',
    });
    const second = await runLatchkey(['chamber', 'write', 'api/dev', 'new_key', '--json'], {
      cwd: p.root,
      env: { ...p.env, CHAMBER_KMS_KEY_ALIAS: 'team-key' },
      stdin: 'canary-second-value',
    });
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ version: 2, chamberVersion: 2, previousVersion: 1 });
    expect(readWithBoto3('/api/dev/new_key', p.env)).toMatchObject({
      version: 2,
      keyId: 'alias/team-key',
      description: '2',
      value: 'canary-second-value',
    });
    scanForCanaries(
      [first.stdout, first.stderr, second.stderr, ...readTree(p.home).map((f) => f.text)],
      [CANARY_NEW, 'canary-second-value'],
    );
  });

  it('--if-version refuses a version that moved: exit 5, both versions named, nothing written', async () => {
    const p = project();
    await ssm.send(
      new PutParameterCommand({
        Name: '/api/dev/db_password',
        Value: 'canary-by-someone',
        Type: 'SecureString',
        Overwrite: true,
      }),
    );
    const run = await p.run(['chamber', 'write', 'api/dev', 'db_password', '--if-version', '1'], CANARY_NEW);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/\/api\/dev\/db_password is at version 2, not 1: it was changed by .+ at \d{4}-/);
    const now = await ssm.send(new GetParameterCommand({ Name: '/api/dev/db_password', WithDecryption: true }));
    expect(now.Parameter).toMatchObject({ Version: 2, Value: 'canary-by-someone' });
    const ok = await p.run(['chamber', 'write', 'api/dev', 'db_password', '--if-version', '2'], CANARY_NEW);
    expect(ok.code, ok.stderr).toBe(0);
    const audit = readFileSync(path.join(p.home, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"detail":"VERSION_CONFLICT"');
    scanForCanaries([run.stderr, run.stdout, ok.stderr, audit], [CANARY_NEW, 'canary-by-someone']);
  });

  it('is followed by `latchkey sync` in another project as a change with the new version', async () => {
    const reader = project();
    expect((await reader.run(['sync', 'dev', '--yes'])).code).toBe(0);
    // The writer is outside any project: the environment's credentials, as chamber itself would use.
    const write = await runLatchkey(['--aws-profile', 'acme-dev', 'chamber', 'write', 'api/dev', 'db_password'], {
      cwd: reader.awsDir,
      env: reader.env,
      stdin: CANARY_NEW,
    });
    expect(write.code, write.stderr).toBe(0);
    const plan = await reader.run(['plan', 'dev', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    type Entry = { name: string; status: string; meta?: { version?: string } };
    const entries = (JSON.parse(plan.stdout) as { plan: { entries: Entry[] } }).plan.entries;
    expect(entries.find((e) => e.name === 'DB_PASSWORD')).toMatchObject({ status: 'change', meta: { version: '2' } });
    expect(plan.stdout).not.toContain(CANARY_NEW);
  });
});

describe('latchkey chamber list, history, read, find, delete', () => {
  it('lists keys with versions and users, never values', async () => {
    const p = project();
    const run = await p.run(['chamber', 'list', 'api/dev', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const listed = JSON.parse(run.stdout) as { keys: { key: string; version: number; lastModifiedUser?: string }[] };
    expect(listed.keys.map((k) => [k.key, k.version])).toEqual([
      ['db_password', 1],
      ['log_level', 1],
    ]);
    // moto records no user ("N/A", REFERENCE.md); the field is passed through as AWS gives it.
    expect(listed.keys[0]!.lastModifiedUser).toBe('N/A');
    const services = await p.run(['chamber', 'list-services', '--json']);
    expect(JSON.parse(services.stdout)).toEqual({ services: [{ service: 'api/dev', keys: 2 }] });
    scanForCanaries([run.stdout, run.stderr, services.stdout], [CANARY_OLD, 'canary-unchanged-11']);
  });

  it('shows history with users and labels, and reads an older version only when asked', async () => {
    const p = project();
    expect((await p.run(['chamber', 'write', 'api/dev', 'db_password'], CANARY_NEW)).code).toBe(0);
    await ssm.send(
      new LabelParameterVersionCommand({ Name: '/api/dev/db_password', ParameterVersion: 1, Labels: ['stable'] }),
    );
    const history = await p.run(['chamber', 'history', 'api/dev', 'db_password', '--json']);
    expect(history.code, history.stderr).toBe(0);
    expect(JSON.parse(history.stdout).history).toEqual([
      expect.objectContaining({ version: 1, chamberVersion: 1, lastModifiedUser: 'N/A', labels: ['stable'] }),
      expect.objectContaining({ version: 2, chamberVersion: 2, lastModifiedUser: 'N/A', labels: [] }),
    ]);
    const text = await p.run(['chamber', 'history', 'api/dev', 'db_password']);
    expect(text.stdout).toMatch(/^1 +1 +\S+ +N\/A +stable$/m);
    scanForCanaries([history.stdout, text.stdout], [CANARY_OLD, CANARY_NEW]);

    const old = await p.run(['chamber', 'read', 'api/dev', 'db_password', '--version', '1']);
    expect(old).toMatchObject({ code: 0, stdout: `${CANARY_OLD}\n` });
    const audit = readFileSync(path.join(p.home, 'audit.jsonl'), 'utf8');
    expect(audit).toMatch(/"action":"chamber.read".*"versions":\{"db_password":"1"\}/);
    scanForCanaries([audit, old.stderr], [CANARY_OLD, CANARY_NEW]);
  });

  it('finds keys by glob across 50 services', async () => {
    const services = Array.from({ length: 50 }, (_, i) => `team${String(i).padStart(2, '0')}/dev`);
    for (const service of services)
      await seedChamberService(ssm, service, { db_password: `canary-${service}`, other: 'x' }, { concurrency: 2 });
    const p = project();
    const run = await p.run(['chamber', 'find', 'db_*', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const found = (JSON.parse(run.stdout) as { keys: { service: string; key: string }[] }).keys;
    expect(found).toHaveLength(51);
    expect(found.map((k) => k.service)).toEqual(['api/dev', ...services]);
    const scoped = await p.run(['chamber', 'find', 'team4*/*/db_*', '--json']);
    expect((JSON.parse(scoped.stdout) as { keys: unknown[] }).keys).toHaveLength(10);
    expect(run.stdout).not.toContain('canary-team');
  });

  it('deletes only with --yes when there is no terminal', async () => {
    const p = project();
    const refused = await p.run(['chamber', 'delete', 'api/dev', 'log_level']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('latchkey chamber delete api/dev log_level --yes');
    expect((await p.run(['chamber', 'list', 'api/dev', '--json'])).stdout).toContain('log_level');
    const deleted = await p.run(['chamber', 'delete', 'api/dev', 'log_level', '--yes']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await p.run(['chamber', 'list', 'api/dev', '--json'])).stdout).not.toContain('log_level');
    expect(readFileSync(path.join(p.home, 'audit.jsonl'), 'utf8')).toMatch(/"action":"chamber.delete"/);
  });
});

describe('latchkey chamber import', () => {
  it('plans add, change and unchanged with renamed names, and writes only with --yes', async () => {
    const p = project();
    writeFileSync(
      path.join(p.root, 'in.env'),
      `DB_PASSWORD=${CANARY_NEW}\nLOG_LEVEL=canary-unchanged-11\nNew.Key=canary-added-22\n`,
    );
    const plan = await p.run(['chamber', 'import', 'api/dev', 'in.env', '--json']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout)).toEqual({
      plan: {
        service: 'api/dev',
        items: [
          { key: 'db_password', renamedFrom: 'DB_PASSWORD', status: 'change' },
          { key: 'log_level', renamedFrom: 'LOG_LEVEL', status: 'unchanged' },
          { key: 'new.key', renamedFrom: 'New.Key', status: 'add' },
        ],
      },
      written: {},
    });
    const before = await ssm.send(new GetParameterCommand({ Name: '/api/dev/db_password', WithDecryption: true }));
    expect(before.Parameter?.Value).toBe(CANARY_OLD);

    const applied = await p.run(['chamber', 'import', 'api/dev', 'in.env', '--yes', '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout).written).toEqual({ db_password: 2, 'new.key': 1 });
    expect(readWithBoto3('/api/dev/new.key', p.env)).toMatchObject({ value: 'canary-added-22', description: '1' });
    expect(readWithBoto3('/api/dev/log_level', p.env)).toMatchObject({ version: 1 });
    scanForCanaries(
      [
        plan.stdout,
        plan.stderr,
        applied.stdout,
        applied.stderr,
        readFileSync(path.join(p.home, 'audit.jsonl'), 'utf8'),
      ],
      [CANARY_NEW, 'canary-added-22', 'canary-unchanged-11'],
    );
  });

  it('reads JSON, and refuses two names that become one key without writing anything', async () => {
    const p = project();
    writeFileSync(path.join(p.root, 'in.json'), JSON.stringify({ Fresh: 'canary-json-1' }));
    const plan = await p.run(['chamber', 'import', 'api/dev', 'in.json', '--json']);
    expect(JSON.parse(plan.stdout).plan.items).toEqual([{ key: 'fresh', renamedFrom: 'Fresh', status: 'add' }]);
    writeFileSync(path.join(p.root, 'clash.json'), JSON.stringify({ A: 'canary-a', a: 'canary-b' }));
    const clash = await p.run(['chamber', 'import', 'api/dev', 'clash.json', '--yes']);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('both become chamber key a');
    expect((await p.run(['chamber', 'list', 'api/dev', '--json'])).stdout).not.toContain('"key": "a"');
    scanForCanaries([clash.stderr, plan.stdout], ['canary-a', 'canary-b', 'canary-json-1']);
  });
});

describe('latchkey rotate', () => {
  it('generates, writes with the version read, syncs, and names the other profiles that read it', async () => {
    const p = project();
    const other = project(`version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  staging:
    sources:
      - chamber: api/dev
        only: [db_password]
  unrelated:
    sources:
      - chamber: api/dev
        only: [log_level]
`);
    await recordProject(p.home, other.root);
    expect((await p.run(['sync', 'dev', '--yes'])).code).toBe(0);
    const run = await p.run(['rotate', 'dev', 'DB_PASSWORD', '--yes', '--sync', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({
      name: 'DB_PASSWORD',
      parameter: '/api/dev/db_password',
      previousVersion: 1,
      version: 2,
      policy: { length: 40, charset: 'url-safe' },
      sync: { ok: true, wrote: true },
      otherUses: [{ project: other.root, profile: 'staging' }],
    });
    const fresh = readWithBoto3('/api/dev/db_password', p.env);
    expect(fresh).toMatchObject({ version: 2, description: '2', keyId: 'alias/parameter_store_key' });
    expect(fresh.value).toMatch(/^[A-Za-z0-9_-]{40}$/);
    expect(readFileSync(path.join(p.root, '.env'), 'utf8')).toContain(`DB_PASSWORD=${fresh.value}`);
    const audit = readFileSync(path.join(p.home, 'audit.jsonl'), 'utf8');
    expect(audit).toMatch(/"action":"secret.rotate".*"outcome":"intent"/);
    expect(audit).toMatch(/"action":"secret.rotate".*"versions":\{"DB_PASSWORD":"2"\}.*"outcome":"ok"/);
    scanForCanaries([run.stdout, run.stderr, audit, ...readTree(p.home).map((f) => f.text)], [fresh.value, CANARY_OLD]);
  });

  it('refuses a key that no chamber or ssm source provides, and asks for --yes without a terminal', async () => {
    const p = project();
    const missing = await p.run(['rotate', 'dev', 'NOPE', '--yes']);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('no chamber or ssm source of profile dev provides NOPE');
    const unconfirmed = await p.run(['rotate', 'dev', 'DB_PASSWORD']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('latchkey rotate dev DB_PASSWORD --yes');
  });
});
