import { DeleteParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
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
  proxy.setFaults({ dropRate: 0, deny: [] });
  await resetMoto();
  await seedChamberService(ssm, 'svc/dev', { db_password: CANARY, api_key: `${CANARY}-2` });
});

const CHAMBER_AND_SET = `      - chamber: svc/dev
      - set: { LOG_LEVEL: debug }
`;

function project(sources = CHAMBER_AND_SET) {
  const root = mkdtempSync(path.join(tmpdir(), 'latchkey-offline-'));
  const manifestPath = path.join(root, 'latchkey.yml');
  const text = `version: 1
profiles:
  dev:
    target: .env
    sources:
${sources}`;
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
    expect(plan.offline).toEqual([
      { kind: 'chamber', refs: ['svc/dev'], reason: expect.stringMatching(/\S/), code: 'SOURCE_FAILED' },
    ]);
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

// Issue 14, items 1 and 5: a source that refuses us, or is not there, is said so and marks only its own rows.
describe('a source refused or missing', () => {
  it('AccessDenied on chamber marks its rows “refused access”; a parameter read apart stays usable', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/cfg/region', Value: 'eu-west-1', Type: 'String' }));
    const p = project(`      - chamber: svc/dev
      - ssm: /cfg/region
        as: REGION
`);
    await (await preparePlan(p.manifest, 'dev', p.env)).apply();
    const written = readFileSync(p.target, 'utf8');

    // A policy without the listing: whichever way chamber lists a service, it is refused.
    proxy.setFaults({ deny: ['AmazonSSM.DescribeParameters', 'AmazonSSM.GetParametersByPath'] });
    const partial = await preparePlan(p.manifest, 'dev', p.env, { offlineRows: true });
    expect(partial.plan.entries.map((e) => [e.name, e.status]).sort()).toEqual([
      ['API_KEY', 'source-offline'],
      ['DB_PASSWORD', 'source-offline'],
      ['REGION', 'unchanged'],
    ]);
    const denied = partial.plan.entries.find((e) => e.name === 'API_KEY')!;
    expect(denied.reason).toMatch(/^chamber refused access: /);
    expect(denied.meta?.version).toBe('1');
    expect(partial.plan.offline).toEqual([
      {
        kind: 'chamber',
        refs: ['svc/dev'],
        reason: expect.stringMatching(/AWS SSM \w+ failed/),
        code: 'ACCESS_DENIED',
      },
    ]);
    expect(JSON.stringify(partial.plan)).not.toContain(CANARY);
    await expect(partial.apply()).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(readFileSync(p.target, 'utf8')).toBe(written);
    // The CLI and a sync still fail whole.
    await expect(preparePlan(p.manifest, 'dev', p.env)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
  }, 60_000);

  it('a parameter gone marks only its own row, not the other parameters of the same kind', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/cfg/region', Value: 'eu-west-1', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/cfg/zone', Value: 'eu-west-1a', Type: 'String' }));
    const p = project(`      - ssm: /cfg/region
        as: REGION
      - ssm: /cfg/zone
        as: ZONE
      - set: { LOG_LEVEL: debug }
`);
    await (await preparePlan(p.manifest, 'dev', p.env)).apply();
    const written = readFileSync(p.target, 'utf8');

    await ssm.send(new DeleteParameterCommand({ Name: '/cfg/zone' }));
    const partial = await preparePlan(p.manifest, 'dev', p.env, { offlineRows: true });
    expect(partial.plan.entries.map((e) => [e.name, e.status]).sort()).toEqual([
      ['LOG_LEVEL', 'unchanged'],
      ['REGION', 'unchanged'],
      ['ZONE', 'source-offline'],
    ]);
    expect(partial.plan.entries.find((e) => e.name === 'ZONE')!.reason).toMatch(/^ssm was not found: .*\/cfg\/zone/);
    expect(partial.plan.offline).toEqual([
      { kind: 'ssm', refs: ['/cfg/zone'], reason: expect.stringMatching(/not found/), code: 'SOURCE_NOT_FOUND' },
    ]);
    await expect(partial.apply()).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    expect(readFileSync(p.target, 'utf8')).toBe(written);
  }, 60_000);
});
