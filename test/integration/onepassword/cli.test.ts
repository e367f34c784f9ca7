import { SSMClient } from '@aws-sdk/client-ssm';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { motoEndpoint, resetMoto, testClientConfig } from '../../support/aws-env';
import { cliEnv, makeProject, readTree, runLatchkey } from '../../support/cli';
import { startConnectServer, type ConnectServer, type SeedVault } from '../../support/connect-server';
import { readWithDotenv, readWithNodeEnvFile, readWithPythonDotenv } from '../../support/env-readers';
import { seedChamberService } from '../../support/ssm-seed';
import { CLI_BIN, CLI_BUNDLE, PTY_RUN } from '../../support/paths';

const BIN = CLI_BIN;
const PTY = PTY_RUN;
const TOKEN = 'op-cli-token-canary-51c2';

// Values chosen to be hard for .env readers, each with a portable spelling.
const OP = {
  dbPassword: 'canary-op-p@ss w0rd#1',
  apiKey: 'canary-op-api "quoted" key',
  cert: '-----BEGIN CERT-----\nMIIcanaryOP\n-----END CERT-----',
  unicode: 'canary-op-ünï-🔑',
  single: "canary-op-it's",
};
const CHAMBER = { db_host: 'db.canary-chamber.internal', 'jwt-secret': 'canary-chamber-jwt-31' };
const CANARIES = [...Object.values(OP), ...Object.values(CHAMBER), TOKEN];

const VAULTS: SeedVault[] = [
  {
    name: 'Engineering',
    items: [
      {
        title: 'Backend DB',
        version: 4,
        sections: [{ id: 'prodsec', label: 'prod' }],
        fields: [
          { label: 'password', value: OP.dbPassword, type: 'CONCEALED', purpose: 'PASSWORD', section: 'prod' },
          { label: 'username', value: 'app', purpose: 'USERNAME' },
        ],
      },
      {
        title: 'Payments',
        fields: [
          { label: 'api-key', value: OP.apiKey, type: 'CONCEALED' },
          { label: 'tls.cert', value: OP.cert },
          { label: 'display name', value: OP.unicode },
          { label: 'motto', value: OP.single },
        ],
      },
    ],
  },
];

const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    target: .env
    sources:
      - chamber: api/dev
      - op: "op://Engineering/Backend DB/prod/password"
        as: DB_PASSWORD
      - op: "op://Engineering/Payments"
        fields: all
      - set: { LOG_LEVEL: debug }
`;

const EXPECTED = {
  DB_HOST: CHAMBER.db_host,
  JWT_SECRET: CHAMBER['jwt-secret'],
  DB_PASSWORD: OP.dbPassword,
  PAYMENTS_API_KEY: OP.apiKey,
  PAYMENTS_TLS_CERT: OP.cert,
  PAYMENTS_DISPLAY_NAME: OP.unicode,
  PAYMENTS_MOTTO: OP.single,
  LOG_LEVEL: 'debug',
};

let server: ConnectServer;
let ssm: SSMClient;

function project(extra: NodeJS.ProcessEnv = { OP_CONNECT_HOST: '', OP_CONNECT_TOKEN: '' }) {
  const p = makeProject(MANIFEST);
  const env = cliEnv(p, motoEndpoint(), { OP_CONNECT_HOST: server.url, OP_CONNECT_TOKEN: TOKEN, ...extra });
  for (const k of ['OP_CONNECT_HOST', 'OP_CONNECT_TOKEN']) if (env[k] === '') delete env[k];
  return { ...p, env, target: path.join(p.root, '.env') };
}
const withOpEnv = () => project({});

const expectNoCanary = (text: string, where: string) => {
  for (const c of CANARIES) expect(text.includes(c), `${where} holds a value`).toBe(false);
};

beforeAll(async () => {
  expect(existsSync(CLI_BUNDLE), 'run `npm run build:cli` first').toBe(true);
  server = await startConnectServer({ token: TOKEN, vaults: VAULTS });
  ssm = new SSMClient(testClientConfig());
});
afterAll(async () => {
  ssm.destroy();
  await server.stop();
});
beforeEach(async () => {
  await resetMoto();
  await seedChamberService(ssm, 'api/dev', CHAMBER);
  server.resetStats();
});

describe('latchkey with op: sources (CLI, Connect test server, moto, keyring)', () => {
  it('acceptance: a profile mixing chamber: and op: syncs, and dotenv, node --env-file and python-dotenv read every value exactly', async () => {
    const p = withOpEnv();
    const plan = await runLatchkey(['plan', 'dev', '--json'], { cwd: p.root, env: p.env });
    expect(plan.code, plan.stderr).toBe(0);
    expectNoCanary(plan.stdout + plan.stderr, 'plan output');
    const entries = JSON.parse(plan.stdout).plan.entries as {
      name: string;
      status: string;
      meta?: { version?: string };
    }[];
    expect(entries.map((e) => e.name).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(entries.find((e) => e.name === 'DB_PASSWORD')!.meta?.version).toBe('4');

    const sync = await runLatchkey(['sync', 'dev', '--yes'], { cwd: p.root, env: p.env });
    expect(sync.code, sync.stderr).toBe(0);
    expectNoCanary(sync.stdout + sync.stderr, 'sync output');
    const text = readFileSync(p.target, 'utf8');
    expect(readWithDotenv(text)).toEqual(EXPECTED);
    expect((await readWithNodeEnvFile([p.target]))[0]).toMatchObject(EXPECTED);
    expect((await readWithPythonDotenv([p.target]))[0]).toEqual(EXPECTED);
    for (const { file, text: t } of readTree(p.home)) expectNoCanary(t, file);

    const again = await runLatchkey(['sync', 'dev', '--yes'], { cwd: p.root, env: p.env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('already up to date');
  });

  it('exec passes op: values to the child without writing a file', async () => {
    const p = withOpEnv();
    const run = await runLatchkey(
      [
        'exec',
        'dev',
        '--',
        process.execPath,
        '-e',
        'process.stdout.write(JSON.stringify([process.env.DB_PASSWORD, process.env.PAYMENTS_TLS_CERT]))',
      ],
      {
        cwd: p.root,
        env: p.env,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([OP.dbPassword, OP.cert]);
    expect(existsSync(p.target)).toBe(false);
  });

  it('op read prints the value like `op read`, is audited as a reveal without the value', async () => {
    const p = withOpEnv();
    const read = await runLatchkey(['op', 'read', 'op://Engineering/Backend DB/prod/password'], {
      cwd: p.root,
      env: p.env,
    });
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toBe(`${OP.dbPassword}\n`);
    const bare = await runLatchkey(['op', 'read', '-n', 'op://Engineering/Payments/tls.cert'], {
      cwd: p.root,
      env: p.env,
    });
    expect(bare.stdout).toBe(OP.cert);

    const missing = await runLatchkey(['op', 'read', 'op://Engineering/Payments/nope'], { cwd: p.root, env: p.env });
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('op://Engineering/Payments/nope');
    const invalid = await runLatchkey(['op', 'read', 'op://Engineering/Payments'], { cwd: p.root, env: p.env });
    expect(invalid.code).toBe(2);

    const tail = await runLatchkey(['audit', 'tail', '--json'], { cwd: p.root, env: p.env });
    const events = JSON.parse(tail.stdout) as { action: string; outcome: string; detail?: string }[];
    expect(events.filter((e) => e.action === 'reveal').map((e) => [e.outcome, e.detail])).toEqual([
      ['ok', 'op read op://Engineering/Backend DB/prod/password'],
      ['ok', 'op read op://Engineering/Payments/tls.cert'],
      ['error', 'op read op://Engineering/Payments/nope (SOURCE_NOT_FOUND)'],
      ['error', 'op read op://Engineering/Payments (INVALID_INPUT)'],
    ]);
    for (const { file, text } of readTree(p.home)) expectNoCanary(text, file);
  });

  it('op read refuses to print to a terminal unless --reveal', async () => {
    const p = withOpEnv();
    const onTty = async (args: string[]) => {
      const spec = JSON.stringify({ argv: [process.execPath, BIN, ...args], cwd: p.root, answers: [], timeout: 60 });
      const { stdout } = await promisify(execFile)('python3', [PTY, spec], { env: p.env, maxBuffer: 10 * 1024 * 1024 });
      return JSON.parse(stdout) as { code: number; transcript: string };
    };
    const refused = await onTty(['op', 'read', 'op://Engineering/Payments/api-key']);
    expect(refused.code).toBe(2);
    expect(refused.transcript).toContain('refusing to print a secret value to a terminal');
    expect(refused.transcript).not.toContain(OP.apiKey);
    const revealed = await onTty(['op', 'read', '--reveal', 'op://Engineering/Payments/api-key']);
    expect(revealed.code).toBe(0);
    expect(revealed.transcript).toContain(OP.apiKey);
  });

  it('op status reports each check; set-host and set-token configure it without the variables', async () => {
    const p = project();
    const none = await runLatchkey(['op', 'status'], { cwd: p.root, env: p.env });
    expect(none.code).toBe(5);
    expect(none.stdout).toMatch(/FAIL connection: no 1Password Connect server is configured/);

    expect((await runLatchkey(['op', 'set-host', `${server.url}/`], { cwd: p.root, env: p.env })).code).toBe(0);
    const noToken = await runLatchkey(['op', 'status', '--json'], { cwd: p.root, env: p.env });
    expect(JSON.parse(noToken.stdout).checks[0]).toMatchObject({
      name: 'connection',
      ok: false,
      message: 'no 1Password Connect token is set',
    });

    const set = await runLatchkey(['op', 'set-token'], { cwd: p.root, env: p.env, stdin: `${TOKEN}\n` });
    expect(set.code, set.stderr).toBe(0);
    const ok = await runLatchkey(['--json', 'op', 'status'], { cwd: p.root, env: p.env });
    expect(ok.code, ok.stderr).toBe(0);
    const status = JSON.parse(ok.stdout);
    expect(status).toMatchObject({ ok: true, host: server.url, hostFrom: 'settings', tokenFrom: 'keychain' });
    expect(status.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ['connection', true],
      ['heartbeat', true],
      ['token', true],
      ['vaults', true],
    ]);
    expect(status.vaults.map((v: { name: string }) => v.name)).toEqual(['Engineering']);
    expectNoCanary(ok.stdout, 'status');
    for (const { file, text } of readTree(p.home)) expectNoCanary(text, file);

    const sync = await runLatchkey(['sync', 'dev', '--yes'], { cwd: p.root, env: p.env });
    expect(sync.code, sync.stderr).toBe(0);
    expect(readWithDotenv(readFileSync(p.target, 'utf8'))).toEqual(EXPECTED);
  });

  it('op status names the failing check: bad token, then a dead server', async () => {
    const p = project({ OP_CONNECT_HOST: server.url, OP_CONNECT_TOKEN: 'wrong-token' });
    const bad = await runLatchkey(['op', 'status'], { cwd: p.root, env: p.env });
    expect(bad.code).toBe(5);
    expect(bad.stdout).toMatch(/ok {3}heartbeat/);
    expect(bad.stdout).toMatch(/FAIL token: 1Password Connect rejected the token \(401\)/);
    expect(bad.stdout + bad.stderr).not.toContain('wrong-token');

    const dead = await startConnectServer({ token: TOKEN, vaults: [] });
    await dead.stop();
    const down = await runLatchkey(['op', 'status'], { cwd: p.root, env: { ...p.env, OP_CONNECT_HOST: dead.url } });
    expect(down.code).toBe(5);
    expect(down.stdout).toMatch(/FAIL heartbeat: no heartbeat from/);
  });

  it('a sync with a bad op: reference fails naming it and writes nothing', async () => {
    const p = withOpEnv();
    const bad = await runLatchkey(['sync', 'dev', '--yes'], {
      cwd: p.root,
      env: { ...p.env, OP_CONNECT_TOKEN: 'wrong-token' },
    });
    expect(bad.code).toBe(5);
    expect(bad.stderr).toMatch(/rejected the token/);
    expect(existsSync(p.target)).toBe(false);
    expectNoCanary(bad.stdout + bad.stderr, 'error output');
  });
});
