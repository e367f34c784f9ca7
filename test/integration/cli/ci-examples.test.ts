import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWithDotenv } from '../../support/env-readers';
import { motoEndpoint, TEST_CREDENTIALS, TEST_REGION, useSeededMoto } from '../../support/aws-env';
import { readComposeEnvFile } from '../../support/compose-env';
import { missingConsumer, runProcess, skipReason } from '../../support/consumers';
import { singleLineSafe, TRICKY_VALUES } from '../../support/export-values';
import { readGitlabDotenv } from '../../support/gitlab-dotenv';
import { startFakeKubeApi } from '../../support/kube-api';
import { CLI_BIN, REPO_ROOT } from '../../support/paths';
import { seedChamberService } from '../../support/ssm-seed';

// Every example in docs/CI.md, run as written: each command below must appear in that file verbatim, and each
// runs here against moto, through the real consumer where it is installed (skipped with the reason otherwise).

export const EXAMPLES = {
  githubOidc: [
    'curl -sSf -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sts.amazonaws.com" | jq -r .value > "$RUNNER_TEMP/oidc-token"',
    'echo "AWS_WEB_IDENTITY_TOKEN_FILE=$RUNNER_TEMP/oidc-token" >> "$GITHUB_ENV"',
    'echo "AWS_ROLE_ARN=arn:aws:iam::123456789012:role/github-deploy" >> "$GITHUB_ENV"',
  ].join('\n'),
  githubExport: 'latchkey export ci --format github --github-env',
  githubSync: 'latchkey sync app --yes',
  githubExec: 'latchkey exec app -- ./deploy.sh',
  gitlab: 'latchkey export gitlab --format gitlab > deploy.env',
  terraform: 'latchkey exec infra --prefix TF_VAR_ --case lower -- terraform plan -input=false -no-color',
  kubernetes: 'latchkey export app --format k8s --namespace web | kubectl apply --dry-run=client -f -',
  compose: 'latchkey sync compose --yes',
  inject: 'latchkey inject app -i values.tpl.yaml -o values.secret.yaml',
} as const;

const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  ci:
    sources:
      - chamber: web/ci
  app:
    sources:
      - chamber: web/app
  gitlab:
    sources:
      - chamber: web/gitlab
  infra:
    sources:
      - chamber: infra/prod
  compose:
    target: .env.compose
    dialect: docker
    sources:
      - chamber: web/compose
`;

const lower = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
const CI = Object.fromEntries(Object.entries(TRICKY_VALUES).filter(([, v]) => v !== ''));
const APP = {
  DB_PASSWORD: 'canary-app-pw-41d',
  TLS_KEY: TRICKY_VALUES.PEM!,
  GREETING: 'grüß dich, "canary"',
  FEATURE_FLAG: 'on',
  ZIP: '0123',
};
const GITLAB = Object.fromEntries(Object.entries(singleLineSafe(CI)));
const INFRA = { DB_PASSWORD: 'canary-tf-pw-77', REGION_NAME: 'eu-west-1' };
const COMPOSE = { DB_PASSWORD: 'canary-compose-pw-5', API_URL: 'https://api.canary.test/v1?x=1' };

useSeededMoto(async (client) => {
  await seedChamberService(client, 'web/ci', lower(CI));
  await seedChamberService(client, 'web/app', lower(APP));
  await seedChamberService(client, 'web/gitlab', lower(GITLAB));
  await seedChamberService(client, 'infra/prod', lower(INFRA));
  await seedChamberService(client, 'web/compose', lower(COMPOSE));
});

/** A project, a `latchkey` on PATH (the built CLI), and a CI job's environment around them. */
function ciProject(extra: NodeJS.ProcessEnv = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'latchkey-example-'));
  const home = mkdtempSync(path.join(tmpdir(), 'latchkey-example-home-'));
  const bin = path.join(home, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'latchkey'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_BIN}" "$@"\n`, {
    mode: 0o755,
  });
  writeFileSync(path.join(root, 'latchkey.yml'), MANIFEST);
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: home,
    LATCHKEY_HOME: path.join(home, 'app-data'),
    AWS_REGION: TEST_REGION,
    AWS_ENDPOINT_URL: motoEndpoint(),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
  const sh = (command: string, opts: { input?: string } = {}) =>
    runProcess('bash', ['-c', command], { cwd: root, env, ...opts });
  return { root, home, env, sh };
}

const pipelineKeys = {
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
};

it('docs/CI.md shows every example exactly as it runs here', () => {
  const doc = readFileSync(path.join(REPO_ROOT, 'docs/CI.md'), 'utf8');
  for (const [name, command] of Object.entries(EXAMPLES)) {
    for (const line of command.split('\n')) expect(doc, `${name}: ${line}`).toContain(line);
  }
});

describe('GitHub Actions: OIDC → role → export (masked), sync and exec', () => {
  let oidc: Server;
  let tokenUrl: string;
  beforeAll(async () => {
    // The runner's OIDC endpoint: a JWT for the job, handed out for the job's request token.
    oidc = createServer((req, res) => {
      const ok =
        req.headers.authorization === 'bearer job-request-token' && req.url?.includes('audience=sts.amazonaws.com');
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          value: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvd2ViOnJlZjpyZWZzL2hlYWRzL21haW4ifQ.c2ln',
        }),
      );
    });
    await new Promise<void>((resolve) => oidc.listen(0, '127.0.0.1', resolve));
    const address = oidc.address();
    tokenUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/token?api-version=2.0`;
  });
  afterAll(() => new Promise<void>((resolve) => oidc.close(() => resolve())));

  it('every value reaches later steps byte for byte, and no log shows one', async (ctx) => {
    if (skipReason(missingConsumer('jq', ['--version']) ?? missingConsumer('curl', ['--version']), 'OIDC step')) {
      return ctx.skip();
    }
    const p = ciProject({
      GITHUB_ACTIONS: 'true',
      ACTIONS_ID_TOKEN_REQUEST_URL: tokenUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'job-request-token',
      RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'latchkey-runner-temp-')),
    });
    writeFileSync(path.join(p.root, 'deploy.sh'), '#!/bin/sh\necho "deploying with $DB_PASSWORD and $TLS_KEY"\n', {
      mode: 0o755,
    });
    const work = mkdtempSync(path.join(tmpdir(), 'latchkey-job-'));
    const printAll = Object.keys(CI)
      .map((k) => `printf '%s\\n' "$${k}"`)
      .join('; ');
    const job = await runProcess(
      'bash',
      [
        path.join(REPO_ROOT, 'test/support/github-runner.sh'),
        work,
        EXAMPLES.githubOidc,
        EXAMPLES.githubExport,
        EXAMPLES.githubSync,
        EXAMPLES.githubExec,
        printAll,
      ],
      { cwd: p.root, env: p.env },
    );
    // The job has no AWS keys and no AWS files: the web identity from the OIDC step is the only way in.
    expect(job.code, job.stderr).toBe(0);
    for (const [key, value] of Object.entries(CI)) {
      expect(readFileSync(path.join(work, 'env', key), 'utf8'), key).toBe(value);
    }
    expect(readWithDotenv(readFileSync(path.join(p.root, '.env'), 'utf8'))).toEqual(APP);
    const logs = readdirSync(work)
      .filter((f) => f.endsWith('.log'))
      .map((f) => readFileSync(path.join(work, f), 'utf8'))
      .join('\n');
    // `exec` masks the values it passes when it runs on GitHub Actions: deploy.sh's own output shows none.
    expect(logs).toMatch(/deplo\S* with \*\*\* and \*\*\*/);
    for (const value of [...Object.values(CI), ...Object.values(APP)]) {
      for (const line of value.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '')) expect(logs).not.toContain(line);
    }
  });
});

describe('GitLab CI: a dotenv report', () => {
  it('GitLab reads back every value', async () => {
    const p = ciProject(pipelineKeys);
    const run = await p.sh(EXAMPLES.gitlab);
    expect(run.code, run.stderr).toBe(0);
    expect(readGitlabDotenv(readFileSync(path.join(p.root, 'deploy.env'), 'utf8'))).toEqual(
      new Map(Object.entries(GITLAB)),
    );
  });

  it('a multi-line value is an error naming the key, and nothing goes into the report', async () => {
    const p = ciProject(pipelineKeys);
    const run = await p.sh('latchkey export app --format gitlab > deploy.env');
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(
      "TLS_KEY: the value spans several lines; GitLab's dotenv report holds single-line values only",
    );
    expect(readFileSync(path.join(p.root, 'deploy.env'), 'utf8')).toBe('');
  });
});

describe('Terraform: a wrapper that passes the values as TF_VAR_ variables', () => {
  it('terraform plan sees every value', async (ctx) => {
    if (skipReason(missingConsumer('terraform', ['version']), 'terraform wrapper')) return ctx.skip();
    const p = ciProject({ ...pipelineKeys, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' });
    writeFileSync(
      path.join(p.root, 'main.tf'),
      Object.keys(INFRA)
        .map((k) => k.toLowerCase())
        .map((n) => `variable "${n}" { type = string }\noutput "${n}" { value = var.${n} }\n`)
        .join(''),
    );
    expect((await p.sh('terraform init -input=false -no-color')).code).toBe(0);
    const plan = await p.sh(EXAMPLES.terraform);
    expect(plan.code, plan.stderr).toBe(0);
    const text = plan.stdout.toString('utf8');
    for (const [key, value] of Object.entries(INFRA)) expect(text).toContain(`${key.toLowerCase()} = "${value}"`);
  });
});

describe('Kubernetes: a Secret for kubectl apply', () => {
  it('kubectl accepts it', async (ctx) => {
    if (skipReason(missingConsumer('kubectl', ['version', '--client']), 'kubectl')) return ctx.skip();
    const api = await startFakeKubeApi();
    try {
      const p = ciProject({ ...pipelineKeys, KUBECONFIG: api.kubeconfig });
      const run = await p.sh(EXAMPLES.kubernetes);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.toString('utf8')).toContain('secret/latchkey-app created (dry run)');
    } finally {
      await api.stop();
    }
  });
});

describe('Docker Compose: an env_file', () => {
  it('compose reads every value as written', async () => {
    const p = ciProject(pipelineKeys);
    writeFileSync(
      path.join(p.root, 'compose.yaml'),
      'services:\n  web:\n    image: alpine\n    env_file: .env.compose\n',
    );
    const run = await p.sh(EXAMPLES.compose);
    expect(run.code, run.stderr).toBe(0);
    const text = readFileSync(path.join(p.root, '.env.compose'), 'utf8');
    expect(readComposeEnvFile(text)).toEqual(new Map(Object.entries(COMPOSE)));
    const compose = missingConsumer('docker', ['compose', 'version']);
    if (skipReason(compose, "docker compose config (the env_file was checked with compose-go's reading rules)")) return;
    const config = await p.sh('docker compose config --format json');
    expect(config.code, config.stderr).toBe(0);
    const environment = JSON.parse(config.stdout.toString('utf8')).services.web.environment;
    expect(environment).toEqual(COMPOSE);
  });
});

describe('inject: a Helm values file', () => {
  it('renders the references into a 0600 file', async () => {
    const p = ciProject(pipelineKeys);
    writeFileSync(
      path.join(p.root, 'values.tpl.yaml'),
      'db:\n  password: "{{ chamber:web/app/db_password }}"\nimage: {{ .Values.tag }}\n',
    );
    const run = await p.sh(EXAMPLES.inject);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(path.join(p.root, 'values.secret.yaml'), 'utf8')).toBe(
      `db:\n  password: "${APP.DB_PASSWORD}"\nimage: {{ .Values.tag }}\n`,
    );
  });
});
