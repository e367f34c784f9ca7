import { IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runLatchkey } from '../../support/cli';
import { startAuthMoto, type AuthMoto } from '../../support/moto-iam';

// moto in auth mode: an IAM user whose policy denies ssm:PutParameter gets a clear error naming the path and what
// to ask for, and nothing is written. moto 5.2 evaluates SSM policies against the resource "*" only (it never
// builds the parameter's ARN), so a Deny scoped to arn:...:parameter/locked/* is not enforced there; the Deny is
// on every parameter, and reads stay allowed to show the refusal is the policy's.

const CANARY = 'canary-denied-write-5b7e';
let auth: AuthMoto;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  auth = await startAuthMoto();
  const writer = await auth.newUser('writer');
  const iam = new IAMClient({ endpoint: auth.moto.endpoint, region: 'us-east-1', credentials: auth.admin });
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'writer',
      PolicyName: 'deny-locked',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'ssm:PutParameter', Resource: '*' }],
      }),
    }),
  );
  iam.destroy();
  dir = mkdtempSync(path.join(tmpdir(), 'latchkey-denied-'));
  env = cliEnv({ home: path.join(dir, 'home'), awsDir: dir }, auth.moto.endpoint, {
    AWS_ACCESS_KEY_ID: writer.accessKeyId,
    AWS_SECRET_ACCESS_KEY: writer.secretAccessKey,
    LATCHKEY_AWS_MAX_ATTEMPTS: '1',
  });
}, 60_000);

afterAll(async () => {
  await auth.moto.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function names(): Promise<string[]> {
  const ssm = new SSMClient({ endpoint: auth.moto.endpoint, region: 'us-east-1', credentials: auth.admin });
  try {
    const out = await ssm.send(new DescribeParametersCommand({}));
    return (out.Parameters ?? []).map((p) => p.Name ?? '');
  } finally {
    ssm.destroy();
  }
}

describe('chamber write without ssm:PutParameter', () => {
  it('names the path and what to ask for, and writes nothing', async () => {
    const denied = await runLatchkey(['chamber', 'write', 'locked', 'db_password'], { cwd: dir, env, stdin: CANARY });
    expect(denied.code).toBe(5);
    expect(denied.stderr).toContain('AWS denied PutParameter on /locked/db_password: this identity may not write it');
    expect(denied.stderr).toContain('ssm:PutParameter and kms:Encrypt on its key on arn:aws:ssm:us-east-1:');
    expect(denied.stderr).toContain(':parameter/locked/db_password');
    expect(`${denied.stdout}${denied.stderr}`).not.toContain(CANARY);
    expect(await names()).not.toContain('/locked/db_password');

    // The same identity may read: the refusal above is the policy's, not a broken setup.
    const listed = await runLatchkey(['chamber', 'list-services', '--json'], { cwd: dir, env });
    expect(listed.code, listed.stderr).toBe(0);
  });
});
