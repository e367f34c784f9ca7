import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseManifest } from '../../../main/core/manifest';
import { preparePlan } from '../../../main/core/sync';
import { createRuntime } from '../../../main/app/runtime';
import { motoEndpoint, resetMoto, testClientConfig, useAwsTestEnv } from '../../support/aws-env';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { seedChamberService } from '../../support/ssm-seed';

const VALUE_READS = ['AmazonSSM.GetParameters', 'AmazonSSM.GetParametersByPath', 'AmazonSSM.GetParameter'];

let ssm: SSMClient;
let proxy: FaultProxy;
let undoEnv: () => void;

beforeAll(async () => {
  ssm = new SSMClient(testClientConfig());
  proxy = await startFaultProxy({ target: motoEndpoint() });
  undoEnv = useAwsTestEnv(proxy.url);
});
afterAll(async () => {
  undoEnv();
  ssm.destroy();
  await proxy.stop();
});
beforeEach(async () => {
  await resetMoto();
  const keys = Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`key_${i}`, `canary-engine-${i}`]));
  await seedChamberService(ssm, 'svc/dev', keys);
  await seedChamberService(ssm, 'other/dev', { picked: 'canary-picked', ignored: 'canary-ignored' });
  await ssm.send(new PutParameterCommand({ Name: '/single/one', Value: 'canary-single', Type: 'SecureString' }));
});
afterEach(() => proxy.setFaults({ failAfter: undefined }));

function project(target = '.env') {
  const root = mkdtempSync(path.join(tmpdir(), 'latchkey-engine-'));
  const manifestPath = path.join(root, 'latchkey.yml');
  const text = `version: 1
profiles:
  dev:
    target: ${target}
    sources:
      - chamber: svc/dev
      - chamber: other/dev
        only: [picked]
      - ssm: /single/one
        as: SINGLE
`;
  writeFileSync(manifestPath, text);
  const runtime = createRuntime({ appDir: mkdtempSync(path.join(tmpdir(), 'latchkey-engine-home-')) });
  const manifest = parseManifest(text, manifestPath);
  return { root, target: path.join(root, target), runtime, manifest, env: runtime.syncEnvironment(manifest) };
}

function valueReads(): number {
  const ops = proxy.stats().byOperation;
  return VALUE_READS.reduce((sum, op) => sum + (ops[op] ?? 0), 0);
}

describe('sync engine against moto', () => {
  it('reads no values on a re-sync where every version and the file HMAC still match', async () => {
    const p = project();
    proxy.resetStats();
    const first = await preparePlan(p.manifest, 'dev', p.env);
    expect(first.plan.counts.add).toBe(47);
    // No sync state yet: values come with the by-path listing for 4 pages (40 keys); the 7 keys past them are
    // listed and read in batches, short ones when a request slot would idle (moto lists 10 names a page).
    expect(proxy.stats().byOperation['AmazonSSM.GetParametersByPath']).toBe(4);
    expect(proxy.stats().byOperation['AmazonSSM.GetParameters']).toBeGreaterThanOrEqual(1);
    expect(proxy.stats().byOperation['AmazonSSM.GetParameters']).toBeLessThanOrEqual(3);
    await first.apply();

    proxy.resetStats();
    const again = await preparePlan(p.manifest, 'dev', p.env);
    expect(valueReads()).toBe(0);
    expect(again.plan.counts.unchanged).toBe(47);
    expect(again.plan.entries.every((e) => e.reused)).toBe(true);
    expect(again.plan.writes).toBe(false);
  });

  it('reads only what moved: a rotated key, and a key edited in the file', async () => {
    const p = project();
    await (await preparePlan(p.manifest, 'dev', p.env)).apply();
    await seedChamberService(ssm, 'svc/dev', { key_7: 'canary-rotated-7' });
    writeFileSync(p.target, readFileSync(p.target, 'utf8').replace('KEY_3=canary-engine-3', 'KEY_3=edited-by-me'));

    proxy.resetStats();
    const plan = await preparePlan(p.manifest, 'dev', p.env);
    // Exactly the two moved keys are read. They sit on different listing pages, so the batcher may send them in one
    // GetParameters call or in two (it sends a short batch rather than leave a request slot idle): both are fine.
    expect(
      plan.plan.entries
        .filter((e) => !e.reused)
        .map((e) => e.name)
        .sort(),
    ).toEqual(['KEY_3', 'KEY_7']);
    expect(proxy.stats().byOperation['AmazonSSM.GetParameters']).toBeGreaterThanOrEqual(1);
    expect(proxy.stats().byOperation['AmazonSSM.GetParameters']).toBeLessThanOrEqual(2);
    expect(proxy.stats().byOperation['AmazonSSM.GetParametersByPath'] ?? 0).toBe(0);
    const byName = Object.fromEntries(plan.plan.entries.map((e) => [e.name, e]));
    expect(byName.KEY_7).toMatchObject({ status: 'change', reused: false, meta: { version: '2', chamberVersion: 2 } });
    expect(byName.KEY_3).toMatchObject({ status: 'conflict', reused: false, remoteChanged: false });
    expect(plan.plan.counts.unchanged).toBe(45);

    await plan.apply();
    const text = readFileSync(p.target, 'utf8');
    expect(text).toContain('KEY_7=canary-rotated-7');
    expect(text).toContain('KEY_3=edited-by-me');
  });

  it('aborts the whole resolve when one request fails mid-way, and apply is never reachable', async () => {
    const p = project();
    writeFileSync(p.target, 'UNTOUCHED=1\n');
    proxy.resetStats();
    proxy.setFaults({ failAfter: 3, failWith: 'client-error' });
    await expect(preparePlan(p.manifest, 'dev', p.env)).rejects.toMatchObject({ code: 'SOURCE_FAILED' });
    expect(readFileSync(p.target, 'utf8')).toBe('UNTOUCHED=1\n');
  });

  it('creates a missing target folder inside the project, private to the user', async () => {
    const p = project('config/local/.env');
    await (await preparePlan(p.manifest, 'dev', p.env)).apply();
    expect(readFileSync(p.target, 'utf8')).toContain('SINGLE=canary-single');
    expect(statSync(path.dirname(p.target)).mode & 0o777).toBe(0o700);
  });

  it('refuses to apply a plan when the target changed after planning', async () => {
    const p = project();
    const prepared = await preparePlan(p.manifest, 'dev', p.env);
    writeFileSync(p.target, 'SNEAKY=1\n');
    await expect(prepared.apply()).rejects.toMatchObject({ code: 'WRITE_FAILED' });
    expect(readFileSync(p.target, 'utf8')).toBe('SNEAKY=1\n');
  });
});
