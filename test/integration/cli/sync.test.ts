import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { motoEndpoint, useSeededMoto } from '../../support/aws-env';
import { cliEnv, makeProject, readTree, runLatchkey } from '../../support/cli';
import { readWithDotenv, readWithNodeEnvFile, readWithPythonDotenv } from '../../support/env-readers';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { seedChamberService } from '../../support/ssm-seed';

// Values chosen to be hard for .env readers: each has a portable spelling, and every reader must get it back exactly.
const API_DEV = {
  database_url: 'postgres://app:p@ss w0rd#1@db.internal:5432/app?sslmode=require',
  'jwt-secret': 'canary-jwt-7f3a9c2e',
  'private.key': '-----BEGIN KEY-----\nMIIBcanary42\nline3 with "quotes"\n-----END KEY-----',
  quote_single: "it's a canary-q1",
  quote_double: 'say "canary-q2"',
  hash_value: 'canary-hash#not-a-comment',
  spaces: '  canary padded  ',
  unicode: 'canary-ünïcødé-✓-🔑',
  bang: 'canary!bang!',
  backslash: 'C:\\canary\\path',
};
const SHARED_DEV = { db_host: 'db.canary.internal', db_user: 'canary_user', db_password: 'canary-not-selected' };
const STRIPE = 'sk_test_canary_stripe_51';
const GITHUB = 'ghp_canaryPersonalToken99';
const CANARIES = [...Object.values(API_DEV).filter((v) => v.length > 8), SHARED_DEV.db_host, STRIPE, GITHUB];

const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
rotation: { maxAgeDays: 90 }
profiles:
  dev:
    description: Local development
    target: .env
    sources:
      - chamber: api/dev
      - chamber: shared/dev
        only: [db_host, db_user]
      - ssm: /legacy/stripe_key
        as: STRIPE_SECRET_KEY
      - keychain: GITHUB_TOKEN
      - set: { LOG_LEVEL: debug, AWS_PROFILE: acme-dev }
`;

const EXPECTED: Record<string, string> = {
  DATABASE_URL: API_DEV.database_url,
  JWT_SECRET: API_DEV['jwt-secret'],
  PRIVATE_KEY: API_DEV['private.key'],
  QUOTE_SINGLE: API_DEV.quote_single,
  QUOTE_DOUBLE: API_DEV.quote_double,
  HASH_VALUE: API_DEV.hash_value,
  SPACES: API_DEV.spaces,
  UNICODE: API_DEV.unicode,
  BANG: API_DEV.bang,
  BACKSLASH: API_DEV.backslash,
  DB_HOST: SHARED_DEV.db_host,
  DB_USER: SHARED_DEV.db_user,
  STRIPE_SECRET_KEY: STRIPE,
  GITHUB_TOKEN: GITHUB,
  LOG_LEVEL: 'debug',
  AWS_PROFILE: 'acme-dev',
};

async function seed(ssm: SSMClient) {
  await seedChamberService(ssm, 'api/dev', API_DEV);
  await seedChamberService(ssm, 'shared/dev', SHARED_DEV);
  await ssm.send(
    new PutParameterCommand({ Name: '/legacy/stripe_key', Value: STRIPE, Type: 'SecureString', Overwrite: true }),
  );
}

const ssm = useSeededMoto(seed);

function projectEnv(project: ReturnType<typeof makeProject>, endpoint = motoEndpoint()): NodeJS.ProcessEnv {
  return cliEnv(project, endpoint);
}

async function newProject(manifest = MANIFEST) {
  const project = makeProject(manifest);
  const env = projectEnv(project);
  const stored = await runLatchkey(['secret', 'set', 'GITHUB_TOKEN'], { cwd: project.root, env, stdin: `${GITHUB}\n` });
  expect(stored.code, stored.stderr).toBe(0);
  return { ...project, env, target: path.join(project.root, '.env') };
}

describe('latchkey sync (CLI against moto and the keyring)', () => {
  it('writes a 0600 .env that dotenv, node --env-file and python-dotenv read back exactly, and a second run changes nothing', async () => {
    const p = await newProject();
    const first = await runLatchkey(['sync', 'dev', '--yes'], { cwd: p.root, env: p.env });
    expect(first.code, first.stderr).toBe(0);
    expect(statSync(p.target).mode & 0o777).toBe(0o600);

    const text = readFileSync(p.target, 'utf8');
    expect(readWithDotenv(text)).toEqual(EXPECTED);
    expect((await readWithNodeEnvFile([p.target]))[0]).toMatchObject(EXPECTED);
    expect((await readWithPythonDotenv([p.target]))[0]).toEqual(EXPECTED);
    expect(text).not.toContain('DB_PASSWORD'); // filtered out by `only`

    const second = await runLatchkey(['sync', 'dev', '--yes'], { cwd: p.root, env: p.env });
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(p.target, 'utf8')).toBe(text);
    expect(second.stderr).toContain('already up to date');
  });

  it('keeps comments, local-only keys and local edits, and brings in a rotated remote value', async () => {
    const p = await newProject();
    expect((await runLatchkey(['sync', 'dev', '--yes'], { cwd: p.root, env: p.env })).code).toBe(0);
    const original = readFileSync(p.target, 'utf8');
    const edited = `# my notes, keep me\n${original.replace(`DB_USER=${SHARED_DEV.db_user}`, 'DB_USER=my_local_user')}\nLOCAL_ONLY=mine\n`;
    writeFileSync(p.target, edited);
    await seedChamberService(ssm, 'api/dev', { 'jwt-secret': 'canary-jwt-rotated-8b1d' });

    const plan = await runLatchkey(['plan', 'dev', '--json'], { cwd: p.root, env: p.env });
    expect(plan.code, plan.stderr).toBe(0);
    const entries = JSON.parse(plan.stdout).plan.entries as { name: string; status: string }[];
    const status = Object.fromEntries(entries.map((e) => [e.name, e.status]));
    expect(status).toMatchObject({
      JWT_SECRET: 'change',
      DB_USER: 'conflict',
      LOCAL_ONLY: 'local-only',
      DB_HOST: 'unchanged',
    });

    const sync = await runLatchkey(['sync', 'dev', '--yes'], { cwd: p.root, env: p.env });
    expect(sync.code, sync.stderr).toBe(0);
    const after = readFileSync(p.target, 'utf8');
    expect(after.startsWith('# my notes, keep me\n')).toBe(true);
    const values = readWithDotenv(after);
    expect(values).toMatchObject({
      JWT_SECRET: 'canary-jwt-rotated-8b1d',
      DB_USER: 'my_local_user',
      LOCAL_ONLY: 'mine',
    });

    // The conflict stays a conflict until the user takes the remote value.
    const take = await runLatchkey(['sync', 'dev', '--yes', '--take-remote', 'DB_USER'], { cwd: p.root, env: p.env });
    expect(take.code, take.stderr).toBe(0);
    expect(readWithDotenv(readFileSync(p.target, 'utf8'))).toMatchObject({
      DB_USER: SHARED_DEV.db_user,
      LOCAL_ONLY: 'mine',
    });
  });

  it('never prints, stores or audits a secret value', async () => {
    const p = await newProject();
    const outputs = [
      await runLatchkey(['sync', 'dev', '--yes'], { cwd: p.root, env: p.env }),
      await runLatchkey(['plan', 'dev'], { cwd: p.root, env: p.env }),
      await runLatchkey(['plan', 'dev', '--json'], { cwd: p.root, env: p.env }),
      await runLatchkey(['status', 'dev', '--json'], { cwd: p.root, env: p.env }),
      await runLatchkey(['audit', 'tail', '--json'], { cwd: p.root, env: p.env }),
    ];
    const files = readTree(p.home);
    expect(files.some((f) => f.file.endsWith('audit.jsonl'))).toBe(true);
    expect(files.some((f) => f.file.includes(`${path.sep}state${path.sep}`))).toBe(true);
    // The services' sizes, kept to order the next plan's requests: scanned with the rest.
    expect(files.some((f) => f.file.endsWith('ssm-listing-sizes.json'))).toBe(true);
    for (const canary of CANARIES) {
      for (const o of outputs) expect(o.stdout + o.stderr).not.toContain(canary);
      for (const f of files) expect(f.text, f.file).not.toContain(canary);
    }
  });

  it('refuses a plan with a bad name or an unrepresentable value, names each key, and writes nothing', async () => {
    await seedChamberService(ssm, 'bad/dev', { '9lives': 'x', carriage: 'canary\rreturn', fine: 'ok' });
    const p = await newProject(MANIFEST.replace('- chamber: api/dev', '- chamber: api/dev\n      - chamber: bad/dev'));
    writeFileSync(p.target, 'KEEP=me\n');
    const before = readFileSync(p.target, 'utf8');
    const run = await runLatchkey(['sync', 'dev', '--yes'], { cwd: p.root, env: p.env });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/9lives/);
    expect(run.stderr).toMatch(/CARRIAGE/);
    expect(run.stderr + run.stdout).not.toContain('canary\rreturn');
    expect(readFileSync(p.target, 'utf8')).toBe(before);
    expect(existsSync(path.join(p.home, 'state'))).toBe(false);
  });

  it('writes nothing when a source fails mid-resolve', async () => {
    const p = await newProject();
    writeFileSync(p.target, 'KEEP=me\n');
    const proxy: FaultProxy = await startFaultProxy({ target: motoEndpoint(), failAfter: 2, failWith: 'client-error' });
    try {
      const run = await runLatchkey(['sync', 'dev', '--yes'], { cwd: p.root, env: projectEnv(p, proxy.url) });
      expect(run.code, run.stderr).toBe(5);
      expect(run.stderr).toMatch(/chamber|ssm/);
    } finally {
      await proxy.stop();
    }
    expect(readFileSync(p.target, 'utf8')).toBe('KEEP=me\n');
    expect(existsSync(path.join(p.home, 'state'))).toBe(false);
  });

  it('refuses a symlinked target and a manifest target outside its folder', async () => {
    const p = await newProject();
    const elsewhere = path.join(tmpdir(), `latchkey-elsewhere-${process.pid}-${Date.now()}`);
    writeFileSync(elsewhere, 'OTHER=1\n');
    symlinkSync(elsewhere, p.target);
    const run = await runLatchkey(['sync', 'dev', '--yes'], { cwd: p.root, env: p.env });
    expect(run.code).toBe(8);
    expect(run.stderr).toMatch(/symlink/i);
    expect(readFileSync(elsewhere, 'utf8')).toBe('OTHER=1\n');

    const outside = makeProject(MANIFEST.replace('target: .env', 'target: ../escape.env'));
    const bad = await runLatchkey(['plan', 'dev'], { cwd: outside.root, env: projectEnv(outside) });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/latchkey\.yml:\d+:\d+/);
  });

  it('reports a bad manifest with line and column', async () => {
    const p = makeProject(
      MANIFEST.replace('- ssm: /legacy/stripe_key', '- ssm: /legacy/stripe_key\n        chamber: oops'),
    );
    const run = await runLatchkey(['plan', 'dev'], { cwd: p.root, env: projectEnv(p) });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/latchkey\.yml:12:\d+: profiles\.dev\.sources\[2\]: expected exactly one of/);
  });

  it('asks for nothing without a terminal: plan shows the whole plan with the missing personal secret as needs-input', async () => {
    const project = makeProject(MANIFEST);
    const run = await runLatchkey(['plan', 'dev', '--json'], { cwd: project.root, env: projectEnv(project) });
    expect(run.code, run.stderr).toBe(6);
    expect(run.stderr).toContain('GITHUB_TOKEN');
    expect(run.stderr).toContain('latchkey secret set GITHUB_TOKEN');
    const entries = JSON.parse(run.stdout).plan.entries as { name: string; status: string }[];
    const status = Object.fromEntries(entries.map((e) => [e.name, e.status]));
    expect(status).toEqual({
      ...Object.fromEntries(Object.keys(EXPECTED).map((name) => [name, 'add'])),
      GITHUB_TOKEN: 'needs-input',
    });
    const text = await runLatchkey(['plan', 'dev'], { cwd: project.root, env: projectEnv(project) });
    expect(text.stdout).toMatch(/needs-input\s+GITHUB_TOKEN/);
    expect(text.stdout).toMatch(/add\s+JWT_SECRET/);
    for (const canary of CANARIES) expect(run.stdout + run.stderr + text.stdout + text.stderr).not.toContain(canary);
  });

  it('sync without a terminal shows the plan, then refuses to write while a personal secret needs input', async () => {
    const project = makeProject(MANIFEST);
    const run = await runLatchkey(['sync', 'dev', '--yes'], { cwd: project.root, env: projectEnv(project) });
    expect(run.code).toBe(6);
    expect(run.stdout).toMatch(/needs-input\s+GITHUB_TOKEN/);
    expect(run.stderr).toContain('latchkey secret set GITHUB_TOKEN');
    expect(existsSync(path.join(project.root, '.env'))).toBe(false);
    const status = await runLatchkey(['status', 'dev', '--exit-code'], { cwd: project.root, env: projectEnv(project) });
    expect(status.code).toBe(9);
  });

  it('exec injects the profile, writes no file, and passes the exit code through', async () => {
    const p = await newProject();
    const script =
      'process.stdout.write(JSON.stringify({j: process.env.JWT_SECRET, k: process.env.PRIVATE_KEY})); process.exit(7)';
    const run = await runLatchkey(['exec', 'dev', '--', process.execPath, '-e', script], { cwd: p.root, env: p.env });
    expect(run.code).toBe(7);
    expect(JSON.parse(run.stdout)).toEqual({ j: API_DEV['jwt-secret'], k: API_DEV['private.key'] });
    expect(existsSync(p.target)).toBe(false);
  });

  it('status shows rotation and drift, and --exit-code reports drift', async () => {
    const p = await newProject();
    const before = await runLatchkey(['status', 'dev', '--json', '--exit-code'], { cwd: p.root, env: p.env });
    expect(before.code).toBe(9);
    expect(JSON.parse(before.stdout).inSync).toBe(false);
    await runLatchkey(['sync', 'dev', '--yes'], { cwd: p.root, env: p.env });
    const after = await runLatchkey(['status', 'dev', '--json', '--exit-code'], { cwd: p.root, env: p.env });
    expect(after.code, after.stderr).toBe(0);
    const report = JSON.parse(after.stdout);
    expect(report.inSync).toBe(true);
    const jwt = report.plan.entries.find((e: { name: string }) => e.name === 'JWT_SECRET');
    expect(jwt.rotation.status).toBe('ok');
    expect(jwt.meta.version).toBe('1');
    // A set: value is not rotated: it has no rotation status at all, rather than a permanent "unknown".
    expect(report.plan.entries.find((e: { name: string }) => e.name === 'LOG_LEVEL')).not.toHaveProperty('rotation');
  });

  it('audit verify passes on an intact trail and fails on an edited one', async () => {
    const p = await newProject();
    await runLatchkey(['sync', 'dev', '--yes'], { cwd: p.root, env: p.env });
    const ok = await runLatchkey(['audit', 'verify'], { cwd: p.root, env: p.env });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const auditFile = path.join(p.home, 'audit.jsonl');
    const lines = readFileSync(auditFile, 'utf8').split('\n');
    lines[0] = lines[0]!.replace('"ok"', '"error"');
    chmodSync(auditFile, 0o600);
    writeFileSync(auditFile, lines.join('\n'));
    const broken = await runLatchkey(['audit', 'verify'], { cwd: p.root, env: p.env });
    expect(broken.code).toBe(10);
  });

  it('warns when git would track the target, and adds it to .gitignore on request', async () => {
    const p = await newProject();
    execFileSync('git', ['init', '-q'], { cwd: p.root });
    const warned = await runLatchkey(['sync', 'dev', '--yes'], { cwd: p.root, env: p.env });
    expect(warned.stderr).toMatch(/not ignored by git/);
    const fixed = await runLatchkey(['sync', 'dev', '--yes', '--add-gitignore'], { cwd: p.root, env: p.env });
    expect(fixed.code).toBe(0);
    expect(readFileSync(path.join(p.root, '.gitignore'), 'utf8')).toContain('/.env');
    const quiet = await runLatchkey(['plan', 'dev', '--json'], { cwd: p.root, env: p.env });
    expect(JSON.parse(quiet.stdout).plan.gitignoreNeeded).toBe(false);
  });

  it('finds the manifest from a nested folder, and --dir overrides', async () => {
    const p = await newProject();
    const nested = path.join(p.root, 'src', 'deep');
    mkdirSync(nested, { recursive: true });
    expect((await runLatchkey(['plan', 'dev'], { cwd: nested, env: p.env })).code).toBe(0);
    const elsewhere = mkdtempDir();
    expect((await runLatchkey(['plan', 'dev'], { cwd: elsewhere, env: p.env })).code).toBe(3);
    expect((await runLatchkey(['--dir', p.root, 'plan', 'dev'], { cwd: elsewhere, env: p.env })).code).toBe(0);
  });
});

function mkdtempDir() {
  const dir = path.join(tmpdir(), `latchkey-nowhere-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  return dir;
}
