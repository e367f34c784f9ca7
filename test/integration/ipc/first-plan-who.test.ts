import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { unpackPlan } from '../../../contract/plan-packing';
import { motoEndpoint, useSeededMoto } from '../../support/aws-env';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { ipcOverMoto, type MotoIpc } from '../../support/moto-ipc';
import { seedChamberService } from '../../support/ssm-seed';

// A first read may come by path, in fewer requests that cannot say who changed a key (issue 12). The app's review
// says who on every change (issue 14, item 3), a first plan's adds included: its plan lists the service first.
// moto answers LastModifiedUser "N/A", so a proxy puts a real-looking ARN into its answers.

const ARN = 'arn:aws:iam::123456789012:user/alice';
const MANIFEST = `version: 1
aws: { profile: acme-dev, region: us-east-1 }
profiles:
  dev:
    target: .env
    sources:
      - chamber: api/dev
`;

useSeededMoto(async (ssm) => {
  await seedChamberService(ssm, 'api/dev', { database_url: 'canary-who-url', jwt_secret: 'canary-who-jwt' });
});

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy({
    target: motoEndpoint(),
    rewriteBody: (_operation, body) =>
      Buffer.from(body.toString('utf8').replace(/"LastModifiedUser":\s*"N\/A"/g, `"LastModifiedUser": "${ARN}"`)),
  });
});
afterAll(async () => proxy?.stop());

let h: MotoIpc | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("the app's first plan", () => {
  it('says who last changed each key it would add', async () => {
    h = ipcOverMoto(MANIFEST, proxy.url);
    const projectId = await h.projectId();
    proxy.resetStats();
    const { plan: packed } = await h.ok('plan', { projectId, profile: 'dev' });
    const plan = await unpackPlan(packed);
    expect(plan.entries.map((e) => [e.name, e.status])).toEqual([
      ['DATABASE_URL', 'add'],
      ['JWT_SECRET', 'add'],
    ]);
    for (const entry of plan.entries) expect(entry.meta?.modifiedBy).toBe(ARN);
    expect(proxy.stats().byOperation['AmazonSSM.DescribeParameters']).toBeGreaterThan(0);
  });
});
