import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, createRuntime, type Runtime } from '../../../main/app';
import { recordProject } from '../../../main/core/projects';
import { applyEnv, awsTestEnv, motoEndpoint, resetMoto } from '../../support/aws-env';
import { startConnectServer, type ConnectServer } from '../../support/connect-server';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { memoryKeychain } from '../../support/ipc-sandbox';
import { createVersionedBucket, putObject, testS3Client } from '../../support/s3-seed';

// The Rotation worklist's scan of 1Password and S3 sources, against the Connect test server (the real
// @1password/connect client) and moto's S3 behind the fault proxy (to count what is asked): one row per item field
// and per object however many profiles read it, ages from Connect's updatedAt and S3's LastModified, links to the
// item and the console; no value, no OTP seed, no object body is read for a single-field reference or an object.

const TOKEN = 'scan-op-token-canary-41c2';
const STRIPE = 'scan-op-canary-stripe-8e1d';
const DB_PASSWORD = 'scan-op-canary-db-pass-2b7f';
const DB_USER = 'scan-op-canary-db-user-90aa';
const TLS_KEY = 'scan-s3-canary-tls-key-6c13';
const BUCKET = 'acme-scan-secrets';
const TOTP_SEED = 'JBSWY3DPEHPK3PXPSCANSEED';
const UPDATED = '2026-09-01T08:00:00.000Z';

const API_MANIFEST = `version: 1
rotation: { maxAgeDays: 90 }
profiles:
  dev:
    target: .env
    sources:
      - op: "op://Shared/Stripe/secret key"
        as: STRIPE
      - op: "op://Shared/Backend DB"
        fields: all
      - s3: s3://${BUCKET}/tls/key.pem
        as: TLS_KEY
`;
const webManifest = (vaultId: string, itemId: string) => `version: 1
profiles:
  dev:
    target: .env
    rotation: { maxAgeDays: 30 }
    sources:
      - op: "op://${vaultId}/${itemId}/secret key"
        as: STRIPE_SECRET
      - s3: s3://${BUCKET}/tls/key.pem
        file: certs/key.pem
`;

let server: ConnectServer;
let proxy: FaultProxy;
let restoreEnv: () => void;
let root: string;
let appDir: string;
let versionId: string | undefined;

beforeAll(async () => {
  server = await startConnectServer({
    token: TOKEN,
    vaults: [
      {
        name: 'Shared',
        items: [
          {
            title: 'Stripe',
            category: 'API_CREDENTIAL',
            version: 7,
            updatedAt: UPDATED,
            fields: [{ label: 'secret key', value: STRIPE, type: 'CONCEALED' }],
          },
          {
            title: 'Backend DB',
            category: 'DATABASE',
            version: 3,
            fields: [
              { label: 'password', value: DB_PASSWORD, type: 'CONCEALED' },
              { label: 'user', value: DB_USER, type: 'STRING' },
              { label: 'one-time password', value: TOTP_SEED, type: 'OTP' },
            ],
          },
        ],
      },
    ],
  });
  proxy = await startFaultProxy({ target: motoEndpoint() });
  restoreEnv = applyEnv({ ...awsTestEnv(proxy.url), OP_CONNECT_HOST: server.url, OP_CONNECT_TOKEN: TOKEN });
});
afterAll(async () => {
  restoreEnv();
  await proxy?.stop();
  await server?.stop();
});

beforeEach(async () => {
  await resetMoto();
  const s3 = testS3Client();
  await createVersionedBucket(s3, BUCKET);
  versionId = await putObject(s3, BUCKET, 'tls/key.pem', TLS_KEY, 'AES256');
  s3.destroy();
  root = path.join(tmpdir(), `latchkey-scan-op-${process.pid}-${Math.random().toString(36).slice(2)}`);
  appDir = path.join(root, 'home');
  const stripe = server.vaults[0]!.items[0]!;
  for (const [name, manifest] of [
    ['api', API_MANIFEST],
    ['web', webManifest(server.vaults[0]!.id, stripe.id)],
  ] as const) {
    mkdirSync(path.join(root, name), { recursive: true });
    writeFileSync(path.join(root, name, 'latchkey.yml'), manifest);
    await recordProject(appDir, path.join(root, name));
  }
  server.resetStats();
  proxy.resetStats();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The real runtime, but one whose sync sources refuse to run: the scan is metadata only. */
function scanningApp(): ReturnType<typeof createApp> {
  const real = createRuntime({ keychain: memoryKeychain(), appDir });
  const runtime: Runtime = {
    ...real,
    syncEnvironment: () => {
      throw new Error('the scan resolved a profile');
    },
  };
  return createApp({ runtime });
}

describe('rotation scan of 1Password and S3 sources', () => {
  it('gives one row per item field and per object, every reader listed, with ages and links', async () => {
    const scan = await scanningApp().rotation.scan();
    const vaultId = server.vaults[0]!.id;
    const [stripeItem, dbItem] = server.vaults[0]!.items;

    expect(scan.projects.every((p) => p.error === undefined)).toBe(true);
    const op = scan.rows.filter((r) => r.sourceKind === 'op');
    expect(op.map((r) => r.parameter).sort()).toEqual([
      'op://Shared/Backend DB/password',
      'op://Shared/Backend DB/user',
      'op://Shared/Stripe/secret key',
    ]);
    // The OTP field's seed is never imported, so it is no row either.
    const stripe = op.find((r) => r.parameter === 'op://Shared/Stripe/secret key')!;
    expect(stripe.users.map((u) => `${u.project}:${u.key}`)).toEqual(['api:STRIPE', 'web:STRIPE_SECRET']);
    expect(stripe).toMatchObject({ version: 7, lastModified: UPDATED, lastModifiedUser: 'test-user-id' });
    // The strictest reader (web: 30 days) judges it.
    expect(stripe.rotation.maxAgeDays).toBe(30);
    expect(stripe.consoleUrl).toBe(`https://start.1password.com/open/i?v=${vaultId}&i=${stripeItem!.id}`);
    const password = op.find((r) => r.parameter.endsWith('/password'))!;
    expect(password.users.map((u) => u.key)).toEqual(['BACKEND_DB_PASSWORD']);
    expect(password.consoleUrl).toContain(`i=${dbItem!.id}`);

    const s3 = scan.rows.filter((r) => r.sourceKind === 's3');
    expect(s3).toHaveLength(1);
    expect(s3[0]!.users.map((u) => `${u.project}:${u.key}`)).toEqual(['api:TLS_KEY', 'web:certs/key.pem']);
    expect(s3[0]!.version).toBe(versionId);
    expect(Date.parse(s3[0]!.lastModified!)).toBeGreaterThan(Date.now() - 5 * 60_000);
    expect(s3[0]!.consoleUrl).toBe(
      `https://s3.console.aws.amazon.com/s3/object/${BUCKET}?region=us-east-1&prefix=tls%2Fkey.pem`,
    );

    // No value, no seed, no token in what the scan returns.
    const text = JSON.stringify(scan);
    for (const canary of [TOKEN, STRIPE, DB_PASSWORD, DB_USER, TLS_KEY, TOTP_SEED]) expect(text).not.toContain(canary);
    // Metadata only: the object was headed, never fetched; the single-field item was never fetched either (its
    // summary in the vault's list carries its version and date); the whole-item import was, once, for its labels.
    const s3Ops = proxy.stats().byOperation;
    expect(Object.keys(s3Ops).filter((k) => k.startsWith('GET ') && k.includes('/tls/'))).toEqual([]);
    expect(
      Object.entries(s3Ops)
        .filter(([k]) => k.startsWith('HEAD '))
        .map(([, n]) => n),
    ).toEqual([1]);
    const gets = server.stats().byPath;
    expect(Object.keys(gets).filter((k) => k.includes(`/items/${stripeItem!.id}`))).toEqual([]);
    expect(
      Object.entries(gets)
        .filter(([k]) => k.includes(`/items/${dbItem!.id}`))
        .map(([, n]) => n),
    ).toEqual([1]);
  });

  it('reports a project whose 1Password or S3 source fails on its own; the other rows still count', async () => {
    writeFileSync(
      path.join(root, 'web', 'latchkey.yml'),
      `${webManifest(server.vaults[0]!.id, server.vaults[0]!.items[0]!.id)}      - s3: s3://${BUCKET}/missing.pem
        as: MISSING
`,
    );
    writeFileSync(
      path.join(root, 'api', 'latchkey.yml'),
      API_MANIFEST.replace('op://Shared/Stripe/secret key', 'op://Shared/Nowhere/secret key'),
    );
    const scan = await scanningApp().rotation.scan();
    const byName = new Map(scan.projects.map((p) => [p.name, p.error]));
    expect(byName.get('api')).toMatchObject({ code: 'SOURCE_NOT_FOUND', message: expect.stringContaining('Nowhere') });
    expect(byName.get('web')).toMatchObject({ message: expect.stringContaining('missing.pem') });
    // api's other sources and web's other sources still give their rows.
    const stripe = scan.rows.find((r) => r.parameter.endsWith('/secret key'))!;
    expect(stripe.users.map((u) => u.project)).toEqual(['web']);
    expect(scan.rows.find((r) => r.sourceKind === 's3')!.users.map((u) => u.project)).toEqual(['api', 'web']);
    expect(scan.rows.some((r) => r.parameter === 'op://Shared/Backend DB/password')).toBe(true);
  });
});
