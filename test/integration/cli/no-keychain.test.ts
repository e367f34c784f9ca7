import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMP_FOLDER } from '../../../main/core/atomic-write';
import { UNTRACKED_NOTICE } from '../../../main/core/drift-tracking';
import { motoEndpoint, TEST_CREDENTIALS, TEST_REGION, useSeededMoto } from '../../support/aws-env';
import { readTree, runLatchkey } from '../../support/cli';
import { seedChamberService } from '../../support/ssm-seed';

// The CLI as a CI container runs it: `env -i` with PATH and HOME, the pipeline's AWS credentials, and no D-Bus at
// all (so no Secret Service, so no keychain). Every command a pipeline uses must work for a profile that reads no
// personal secret, and must never leave a value anywhere but the target it was asked to write.

const CANARY = 'canary-ci-db-password-6d2e';
const STRIPE = 'sk_test_canary_ci_91';

const ssm = useSeededMoto(async (ssm) => {
  await seedChamberService(ssm, 'web/ci', { db_password: CANARY, db_host: 'db.ci.internal' });
  await ssm.send(new PutParameterCommand({ Name: '/legacy/stripe_key', Value: STRIPE, Type: 'SecureString' }));
});

const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  ci:
    sources:
      - chamber: web/ci
      - ssm: /legacy/stripe_key
        as: STRIPE_KEY
  personal:
    target: .env.personal
    sources:
      - keychain: GITHUB_TOKEN
`;

/** `env -i PATH=… HOME=…` plus the pipeline's own variables: nothing inherited from this test process. */
function bareProject() {
  const root = mkdtempSync(path.join(tmpdir(), 'latchkey-ci-'));
  const home = mkdtempSync(path.join(tmpdir(), 'latchkey-ci-home-'));
  writeFileSync(path.join(root, 'latchkey.yml'), MANIFEST);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    LATCHKEY_HOME: path.join(home, 'app-data'),
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_REGION: TEST_REGION,
    AWS_ENDPOINT_URL: motoEndpoint(),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const run = (args: string[]) => runLatchkey(args, { cwd: root, env });
  return { root, env, run };
}

describe('with env -i and no D-Bus', () => {
  it('plan, sync and status work untracked, say so once, and write nothing but the target', async () => {
    const p = bareProject();
    const plan = await p.run(['plan', 'ci']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout.split(UNTRACKED_NOTICE)).toHaveLength(2);
    expect(plan.stderr).toContain(
      "AWS credentials: access keys from the environment (AWS_ACCESS_KEY_ID), as the manifest's profile acme-dev is not on this machine",
    );

    const sync = await p.run(['sync', 'ci', '--yes']);
    expect(sync.code, sync.stderr).toBe(0);
    const target = path.join(p.root, '.env');
    expect(readFileSync(target, 'utf8')).toBe(`DB_HOST=db.ci.internal\nDB_PASSWORD=${CANARY}\nSTRIPE_KEY=${STRIPE}\n`);
    expect(statSync(target).mode & 0o777).toBe(0o600);

    const status = await p.run(['status', 'ci', '--exit-code']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('In sync.');

    await seedChamberService(ssm, 'web/ci', { db_password: 'canary-rotated-ci-3f' });
    const drift = await p.run(['status', 'ci', '--exit-code']);
    expect(drift.code).toBe(9);

    // Nothing holds a value but the target: no state file, and the audit has names only.
    expect(existsSync(path.join(p.env.LATCHKEY_HOME!, 'state'))).toBe(false);
    for (const { file, text } of readTree(p.env.HOME!)) {
      expect(text, file).not.toContain(CANARY);
      expect(text, file).not.toContain(STRIPE);
    }
    // Beside the target only the private temp folder of its writes (issue 10, item 4), left empty but for the
    // .gitignore that keeps it out of git.
    expect(readdirSync(p.root).sort()).toEqual(['.env', TEMP_FOLDER, 'latchkey.yml']);
    expect(readdirSync(path.join(p.root, TEMP_FOLDER))).toEqual(['.gitignore']);
  });

  it('exec, export and inject work', async () => {
    const p = bareProject();
    const exec = await p.run([
      'exec',
      'ci',
      '--',
      process.execPath,
      '-e',
      'process.stdout.write(process.env.STRIPE_KEY)',
    ]);
    expect(exec.code, exec.stderr).toBe(0);
    expect(exec.stdout).toBe(STRIPE);

    const json = await p.run(['export', 'ci', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ DB_PASSWORD: CANARY });

    writeFileSync(
      path.join(p.root, 'backend.tpl'),
      'password = "{{ chamber:web/ci/db_password }}"\nstripe = "{{ ssm:/legacy/stripe_key }}"\nhost = "{{ env:DB_HOST }}"\n',
    );
    const inject = await p.run(['inject', 'ci', '-i', 'backend.tpl', '-o', 'backend.hcl']);
    expect(inject.code, inject.stderr).toBe(0);
    expect(readFileSync(path.join(p.root, 'backend.hcl'), 'utf8')).toBe(
      `password = "${CANARY}"\nstripe = "${STRIPE}"\nhost = "db.ci.internal"\n`,
    );
  });

  it('a profile that reads the keychain still exits 7, and writes nothing', async () => {
    const p = bareProject();
    for (const args of [
      ['plan', 'personal'],
      ['sync', 'personal', '--yes'],
      ['status', 'personal'],
    ]) {
      const run = await p.run(args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(7);
      expect(run.stderr).toMatch(/keychain is not available/);
    }
    expect(existsSync(path.join(p.root, '.env.personal'))).toBe(false);
  });
});
