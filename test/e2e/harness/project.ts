import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { applyEnv, awsTestEnv, motoEndpoint, resetMoto, testClientConfig } from '../../support/aws-env';
import { seedChamberService } from '../../support/ssm-seed';

const AWS_PROFILE = 'acme-dev';

const made: string[] = [];

/**
 * A throwaway project folder named `name` (inside a private temp folder, so the UI shows a realistic name), with
 * `latchkey.yml` when a manifest is given. Removed by removeProjects().
 */
export function makeProjectDir(manifest?: string, name = 'acme-api'): string {
  const parent = mkdtempSync(path.join(tmpdir(), 'latchkey-e2e-'));
  made.push(parent);
  const dir = path.join(parent, name);
  mkdirSync(dir);
  if (manifest !== undefined) writeFileSync(path.join(dir, 'latchkey.yml'), manifest);
  return dir;
}

export function removeProjects(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Points this worker's AWS SDK default chain (the backend runs in this process) at `endpoint`, with credentials
 * for the manifest's named profile in a private shared-credentials file, as a developer's machine would have them.
 * Returns the undo.
 */
export function useAwsProfileEnv(
  endpoint: string = motoEndpoint(),
  extra: Record<string, string | undefined> = {},
): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-e2e-aws-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'credentials'),
    `[${AWS_PROFILE}]\naws_access_key_id = testing\naws_secret_access_key = testing\n`,
    { mode: 0o600 },
  );
  writeFileSync(path.join(dir, 'config'), `[profile ${AWS_PROFILE}]\nregion = us-east-1\n`, { mode: 0o600 });
  const undo = applyEnv({
    ...awsTestEnv(endpoint),
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    ...extra,
  });
  return () => {
    undo();
    rmSync(dir, { recursive: true, force: true });
  };
}

/** An SSM client for seeding and checking moto directly (not through the app). */
export function seedClient(endpoint: string = motoEndpoint()): SSMClient {
  return new SSMClient(testClientConfig(endpoint));
}

export async function resetAndSeed(
  client: SSMClient,
  chamber: Record<string, Record<string, string>>,
  parameters: Record<string, string> = {},
): Promise<void> {
  await resetMoto();
  for (const [service, entries] of Object.entries(chamber)) await seedChamberService(client, service, entries);
  for (const [name, value] of Object.entries(parameters)) {
    await client.send(new PutParameterCommand({ Name: name, Value: value, Type: 'SecureString', Overwrite: true }));
  }
}
