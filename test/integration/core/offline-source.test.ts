import { SSMClient } from '@aws-sdk/client-ssm';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../../main/app/runtime';
import { parseManifest } from '../../../main/core/manifest';
import { preparePlan } from '../../../main/core/sync';
import { motoEndpoint, resetMoto, testClientConfig, useAwsTestEnv } from '../../support/aws-env';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { seedChamberService } from '../../support/ssm-seed';

// Issue 14, item 1: a source that cannot be reached marks only its own rows `source-offline`, named and versioned
// from the last sync's state (never a value), the rest of the plan stands, and nothing can be written. The real SSM
// source through a fault proxy that drops every connection; the real keyring holds the state's HMAC key.

const CANARY = 'canary-offline-source-4Vb';
let ssm: SSMClient;
let proxy: FaultProxy;
let undoEnv: () => void;
const attemptsBefore = process.env.LATCHKEY_AWS_MAX_ATTEMPTS;

beforeAll(async () => {
  ssm = new SSMClient(testClientConfig());
  proxy = await startFaultProxy({ target: motoEndpoint() });
  undoEnv = useAwsTestEnv(proxy.url);
  process.env.LATCHKEY_AWS_MAX_ATTEMPTS = '2'; // the failure comes in a second, not after chamber's ten tries
});
afterAll(async () => {
  undoEnv();
  if (attemptsBefore === undefined) delete process.env.LATCHKEY_AWS_MAX_ATTEMPTS;
  else process.env.LATCHKEY_AWS_MAX_ATTEMPTS = attemptsBefore;
  ssm.destroy();
  await proxy.stop();
});
beforeEach(async () => {
  proxy.setFaults({ dropRate: 0 });
  await resetMoto();
  await seedChamberService(ssm, 'svc/dev', { db_password: CANARY, api_key: `${CANARY}-2` });
});

function project() {
  const root = mkdtempSync(path.join(tmpdir(), 'latchkey-offline-'));
  const manifestPath = path.join(root, 'latchkey.yml');
  const text = `version: 1
profiles:
  dev:
    target: .env
    sources:
      - chamber: svc/dev
      - set: { LOG_LEVEL: debug }
`;
  writeFileSync(manifestPath, text);
  const runtime = createRuntime({ appDir: mkdtempSync(path.join(tmpdir(), 'latchkey-offline-home-')) });
  const manifest = parseManifest(text, manifestPath);
  return { target: path.join(root, '.env'), manifest, env: runtime.syncEnvironment(manifest) };
}

describe('a source offline', () => {
  it('keeps the table with the last sync’s names and versions, marks those rows, and refuses to write', async () => {
    const p = project();
    await (await preparePlan(p.manifest, 'dev', p.env)).apply();
    const written = readFileSync(p.target, 'utf8');

    proxy.setFaults({ dropRate: 1 });
    const partial = await preparePlan(p.manifest, 'dev', p.env, { offlineRows: true });
    const plan = partial.plan;
    expect(plan.entries.map((e) => [e.name, e.status]).sort()).toEqual([
      ['API_KEY', 'source-offline'],
      ['DB_PASSWORD', 'source-offline'],
      ['LOG_LEVEL', 'unchanged'],
    ]);
    const offline = plan.entries.find((e) => e.name === 'DB_PASSWORD')!;
    expect(offline.meta?.version).toBe('1');
    expect(offline.reason).toMatch(/^chamber is offline: /);
    expect(plan.offline).toEqual([{ kind: 'chamber', refs: ['svc/dev'], reason: expect.stringMatching(/\S/) }]);
    expect(JSON.stringify(plan)).not.toContain(CANARY);

    await expect(partial.apply()).rejects.toMatchObject({ code: 'SOURCE_FAILED' });
    expect(readFileSync(p.target, 'utf8')).toBe(written);

    // Without offlineRows (the CLI, a sync), the failure is the plan's, as before.
    await expect(preparePlan(p.manifest, 'dev', p.env)).rejects.toMatchObject({ code: 'SOURCE_FAILED' });
  }, 60_000);

  it('a source never synced has no rows to show, and the plan still says it is offline and cannot be written', async () => {
    const p = project();
    proxy.setFaults({ dropRate: 1 });
    const partial = await preparePlan(p.manifest, 'dev', p.env, { offlineRows: true });
    expect(partial.plan.entries.map((e) => [e.name, e.status])).toEqual([['LOG_LEVEL', 'add']]);
    expect(partial.plan.offline?.map((o) => o.kind)).toEqual(['chamber']);
    await expect(partial.apply()).rejects.toMatchObject({ code: 'SOURCE_FAILED' });
  }, 60_000);
});
