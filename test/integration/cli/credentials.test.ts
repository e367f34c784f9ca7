import { AssumeRoleCommand, STSClient, type Credentials } from '@aws-sdk/client-sts';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { motoEndpoint, TEST_REGION, testClientConfig, useSeededMoto } from '../../support/aws-env';
import { runLatchkey } from '../../support/cli';

// Credential precedence against moto, one test per row. moto keeps one account per access key: credentials from
// AssumeRole belong to the role's account, so each way of getting credentials reads a different account's
// /ci/which, and the value the CLI exports says which credentials it used.

const ACCOUNTS = {
  flag: '111111111111',
  awsProfile: '222222222222',
  envKeys: '333333333333',
  manifestProfile: '444444444444',
  webIdentity: '555555555555',
  container: '666666666666',
  assumed: '777777777777',
} as const;
type Way = keyof typeof ACCOUNTS;

const roleArn = (account: string, name = 'ci') => `arn:aws:iam::${account}:role/${name}`;
let creds: Record<Way, Credentials>;

async function assume(sts: STSClient, account: string): Promise<Credentials> {
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn(account), RoleSessionName: 'seed' }));
  return out.Credentials!;
}

async function seedAccount(credentials: Credentials | undefined, value: string) {
  const ssm = new SSMClient({
    ...testClientConfig(),
    ...(credentials && {
      credentials: {
        accessKeyId: credentials.AccessKeyId!,
        secretAccessKey: credentials.SecretAccessKey!,
        sessionToken: credentials.SessionToken!,
      },
    }),
  });
  try {
    await ssm.send(new PutParameterCommand({ Name: '/ci/which', Value: value, Type: 'SecureString', Overwrite: true }));
  } finally {
    ssm.destroy();
  }
}

useSeededMoto(async () => {
  const sts = new STSClient(testClientConfig());
  try {
    const entries = await Promise.all(
      (Object.keys(ACCOUNTS) as Way[]).map(async (way) => [way, await assume(sts, ACCOUNTS[way])] as const),
    );
    creds = Object.fromEntries(entries) as Record<Way, Credentials>;
  } finally {
    sts.destroy();
  }
  await seedAccount(undefined, 'default-account');
  await Promise.all((Object.keys(ACCOUNTS) as Way[]).map((way) => seedAccount(creds[way], `${way}-account`)));
});

const MANIFEST = `version: 1
aws: { profile: acme-ci, region: us-east-1 }
profiles:
  ci:
    sources:
      - ssm: /ci/which
        as: WHICH
`;

function profileSection(name: string, c: Credentials): string {
  return `[${name}]\naws_access_key_id = ${c.AccessKeyId}\naws_secret_access_key = ${c.SecretAccessKey}\naws_session_token = ${c.SessionToken}\n`;
}

/** A project and a bare environment (PATH, HOME and what AWS needs), with the AWS files holding `profiles`. */
function setUp(profiles: Partial<Record<string, Way>>, manifest = MANIFEST) {
  const root = mkdtempSync(path.join(tmpdir(), 'latchkey-creds-'));
  const aws = path.join(root, 'aws');
  writeFileSync(path.join(root, 'latchkey.yml'), manifest);
  mkdirSync(aws);
  writeFileSync(
    path.join(aws, 'credentials'),
    Object.entries(profiles)
      .map(([name, way]) => profileSection(name, creds[way!]))
      .join(''),
    { mode: 0o600 },
  );
  writeFileSync(path.join(aws, 'config'), '', { mode: 0o600 });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: root,
    LATCHKEY_HOME: path.join(root, 'home'),
    NO_COLOR: '1',
    AWS_CONFIG_FILE: path.join(aws, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(aws, 'credentials'),
    AWS_ENDPOINT_URL: motoEndpoint(),
    AWS_REGION: TEST_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return { root, env };
}

function envKeys(way: Way): NodeJS.ProcessEnv {
  return {
    AWS_ACCESS_KEY_ID: creds[way].AccessKeyId,
    AWS_SECRET_ACCESS_KEY: creds[way].SecretAccessKey,
    AWS_SESSION_TOKEN: creds[way].SessionToken,
  };
}

async function which(
  project: { root: string; env: NodeJS.ProcessEnv },
  extraEnv: NodeJS.ProcessEnv = {},
  args: string[] = [],
) {
  const run = await runLatchkey([...args, 'export', 'ci', '--format', 'json'], {
    cwd: project.root,
    env: { ...project.env, ...extraEnv },
  });
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { WHICH: string }).WHICH;
}

describe('AWS credentials, in the order pipelines need', () => {
  it('1. --aws-profile and LATCHKEY_AWS_PROFILE beat AWS_PROFILE, environment keys and the manifest', async () => {
    const p = setUp({ flagged: 'flag', explicit: 'awsProfile', 'acme-ci': 'manifestProfile' });
    const others = { AWS_PROFILE: 'explicit', ...envKeys('envKeys') };
    expect(await which(p, others, ['--aws-profile', 'flagged'])).toBe('flag-account');
    expect(await which(p, { ...others, LATCHKEY_AWS_PROFILE: 'flagged' })).toBe('flag-account');
  });

  it('2. an explicit AWS_PROFILE beats environment keys and the manifest; AWS_PROFILE= (empty) means none', async () => {
    const p = setUp({ explicit: 'awsProfile', 'acme-ci': 'manifestProfile' });
    expect(await which(p, { AWS_PROFILE: 'explicit', ...envKeys('envKeys') })).toBe('awsProfile-account');
    expect(await which(p, { AWS_PROFILE: '', ...envKeys('envKeys') })).toBe('envKeys-account');
  });

  it("3. environment keys when the manifest's profile is not on this machine", async () => {
    const p = setUp({});
    expect(await which(p, envKeys('envKeys'))).toBe('envKeys-account');
  });

  it("3. a web identity token (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE) when the manifest's profile is absent", async () => {
    const p = setUp({});
    const token = path.join(p.root, 'token');
    // JWT-shaped: moto does not check the signature, only that a token is there.
    writeFileSync(token, 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvd2ViIn0.c2lnbmF0dXJl');
    const env = { AWS_ROLE_ARN: roleArn(ACCOUNTS.webIdentity, 'gha'), AWS_WEB_IDENTITY_TOKEN_FILE: token };
    expect(await which(p, env)).toBe('webIdentity-account');
  });

  describe('3. container credentials', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        const c = creds.container;
        res.writeHead(req.headers.authorization === 'container-token' ? 200 : 401, {
          'content-type': 'application/json',
        });
        res.end(
          JSON.stringify({
            AccessKeyId: c.AccessKeyId,
            SecretAccessKey: c.SecretAccessKey,
            Token: c.SessionToken,
            Expiration: new Date(Date.now() + 3_600_000).toISOString(),
          }),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/creds`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("when the manifest's profile is absent", async () => {
      const p = setUp({});
      const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: url, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-token' };
      expect(await which(p, env)).toBe('container-account');
    });
  });

  it("4. the manifest's profile when it exists, even with keys in the environment", async () => {
    const p = setUp({ 'acme-ci': 'manifestProfile' });
    expect(await which(p, envKeys('envKeys'))).toBe('manifestProfile-account');
  });

  it('an unknown profile and no other credentials: a clear error naming the profile and the files, exit 5', async () => {
    const p = setUp({});
    const run = await runLatchkey(['export', 'ci', '--format', 'json'], { cwd: p.root, env: p.env });
    expect(run.code).toBe(5);
    expect(run.stderr).toContain(`AWS profile "acme-ci" (from the manifest's aws.profile) is not in`);
    expect(run.stderr).toContain(p.env.AWS_CONFIG_FILE);
    expect(run.stderr).toContain(p.env.AWS_SHARED_CREDENTIALS_FILE);
    const flagged = await runLatchkey(['--aws-profile', 'typo', 'export', 'ci', '-f', 'json'], {
      cwd: p.root,
      env: { ...p.env, ...envKeys('envKeys') },
    });
    expect(flagged.code).toBe(5);
    expect(flagged.stderr).toContain('AWS profile "typo" (from --aws-profile)');
  });

  it('aws.roleArn assumes a role on top of the credentials found, with its external id and session name', async () => {
    const manifest = MANIFEST.replace(
      'aws: { profile: acme-ci, region: us-east-1 }',
      `aws: { profile: acme-ci, region: us-east-1, roleArn: "${roleArn(ACCOUNTS.assumed, 'reader')}", externalId: ext-7f3a, sessionName: ci-run-42 }`,
    );
    const p = setUp({}, manifest);
    expect(await which(p, envKeys('envKeys'))).toBe('assumed-account');
    const state = (await (await fetch(`${motoEndpoint()}/moto-api/data.json`)).json()) as {
      sts: { AssumedRole: { role_arn: string; external_id: string | null; session_name: string }[] };
    };
    expect(state.sts.AssumedRole).toContainEqual(
      expect.objectContaining({
        role_arn: roleArn(ACCOUNTS.assumed, 'reader'),
        external_id: 'ext-7f3a',
        session_name: 'ci-run-42',
      }),
    );
  });
});
