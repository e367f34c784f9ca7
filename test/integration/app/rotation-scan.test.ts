import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, createRuntime, type Runtime } from '../../../main/app';
import { LatchkeyError } from '../../../main/core/errors';
import { recordProject } from '../../../main/core/projects';
import type { ParameterStore } from '../../../main/sources/chamber-store';
import { useAwsTestEnv, useSeededMoto } from '../../support/aws-env';
import { memoryKeychain } from '../../support/ipc-sandbox';
import { seedChamberService } from '../../support/ssm-seed';

// The Rotation worklist's scan over moto: two recent projects that share one chamber parameter give one row with
// every reader; set: and keychain values give none; a broken project is reported on its own; no value is read,
// and a parameter changed since a profile's last sync is drift for that profile only.

const SHARED = 'canary-scan-shared-5d21';
const API_KEY = 'canary-scan-api-9e0f';
const SET_VALUE = 'canary-scan-set-77aa';

const API_MANIFEST = `version: 1
rotation: { maxAgeDays: 90 }
profiles:
  dev:
    target: .env
    sources:
      - chamber: shared
      - chamber: api/dev
      - set: { LOG_LEVEL: "${SET_VALUE}" }
  ci:
    target: ci.env
    rotation: { maxAgeDays: 30 }
    sources:
      - chamber: shared
        only: [db_password]
  personal:
    target: personal.env
    sources:
      - keychain: PERSONAL_TOKEN
`;
const WEB_MANIFEST = `version: 1
profiles:
  dev:
    target: .env
    sources:
      - ssm: /shared/db_password
        as: DB_PASS
`;

const ssm = useSeededMoto(async (client) => {
  await seedChamberService(client, 'shared', { db_password: SHARED });
  await seedChamberService(client, 'api/dev', { api_key: API_KEY });
});
let restoreEnv: () => void;
beforeAll(() => (restoreEnv = useAwsTestEnv()));
afterAll(() => restoreEnv());

let root: string;
let appDir: string;
const dirs = { api: '', web: '', broken: '' };

beforeEach(async () => {
  root = path.join(tmpdir(), `latchkey-scan-${process.pid}-${Math.random().toString(36).slice(2)}`);
  appDir = path.join(root, 'home');
  for (const [name, manifest] of [
    ['api', API_MANIFEST],
    ['web', WEB_MANIFEST],
    ['broken', 'version: 1\nprofiles: [\n'],
  ] as const) {
    dirs[name] = path.join(root, name);
    mkdirSync(dirs[name], { recursive: true });
    writeFileSync(path.join(dirs[name], 'latchkey.yml'), manifest);
    await recordProject(appDir, dirs[name]);
  }
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The real runtime over moto, whose parameter stores refuse to read a value: the scan is metadata only. */
function scanningApp() {
  const real = createRuntime({ keychain: memoryKeychain(), appDir });
  const reads: string[] = [];
  const runtime: Runtime = {
    ...real,
    async parameterStore(aws) {
      const store = await real.parameterStore!(aws);
      const refuse = (what: string) => () => {
        reads.push(what);
        return Promise.reject(new Error(`the scan read a value (${what})`));
      };
      return { ...store, read: refuse('read'), readMany: refuse('readMany') } satisfies ParameterStore;
    },
  };
  return { app: createApp({ runtime }), reads, real };
}

describe('rotation scan across recent projects', () => {
  it('gives one row per parameter, every reader listed, and no row for set: or keychain values', async () => {
    const { app, reads } = scanningApp();
    const progress: { done: number; total: number; rows: number }[] = [];
    const scan = await app.rotation.scan({
      onProgress: (p) => progress.push({ done: p.done, total: p.total, rows: p.rows.length }),
    });

    expect(scan.rows.map((r) => r.parameter).sort()).toEqual(['/api/dev/api_key', '/shared/db_password']);
    const shared = scan.rows.find((r) => r.parameter === '/shared/db_password')!;
    expect(shared.users.map((u) => `${u.project}/${u.profile}:${u.key}`)).toEqual([
      'api/ci:DB_PASSWORD',
      'api/dev:DB_PASSWORD',
      'web/dev:DB_PASS',
    ]);
    // The strictest reader's policy (ci: 30 days) judges the shared secret.
    expect(shared.rotation).toMatchObject({ status: 'ok', maxAgeDays: 30 });
    expect(shared.region).toBe('us-east-1');
    expect(shared.consoleUrl).toBe(
      'https://us-east-1.console.aws.amazon.com/systems-manager/parameters/shared/db_password/description?region=us-east-1&tab=Table',
    );

    // The broken project marks only itself; the others are complete.
    expect(scan.projects.map((p) => [p.name, p.error?.code ?? 'ok'])).toEqual(
      expect.arrayContaining([
        ['api', 'ok'],
        ['web', 'ok'],
        ['broken', expect.stringMatching(/MANIFEST/)],
      ]),
    );
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3]);
    expect(progress.every((p) => p.total === 3)).toBe(true);

    expect(reads).toEqual([]);
    const text = JSON.stringify(scan);
    for (const canary of [SHARED, API_KEY, SET_VALUE]) expect(text).not.toContain(canary);
  });

  it('loses only the rows of a source that fails, says why, and passes over a folder without a manifest', async () => {
    const lone = path.join(root, 'lone');
    mkdirSync(lone, { recursive: true });
    await recordProject(appDir, lone);
    writeFileSync(
      path.join(dirs.web, 'latchkey.yml'),
      `${WEB_MANIFEST}  denied:
    target: denied.env
    sources:
      - chamber: api/dev
        aws: { region: eu-west-3 }
`,
    );
    const { real } = scanningApp();
    // The source in eu-west-3 stands for one whose describe is refused; the rest of web still counts.
    const runtime: Runtime = {
      ...real,
      parameterStore: (aws) =>
        aws.region === 'eu-west-3'
          ? Promise.reject(new LatchkeyError('SOURCE_FAILED', 'AccessDenied on ssm:DescribeParameters'))
          : real.parameterStore!(aws),
    };
    const scan = await createApp({ runtime }).rotation.scan();
    const web = scan.projects.find((p) => p.name === 'web')!;
    expect(web.error).toEqual({ code: 'SOURCE_FAILED', message: 'AccessDenied on ssm:DescribeParameters' });
    const shared = scan.rows.find((r) => r.parameter === '/shared/db_password')!;
    expect(shared.users.map((u) => `${u.project}/${u.profile}`)).toContain('web/dev');
    expect(scan.projects.find((p) => p.name === 'lone')).toEqual({ dir: lone, name: 'lone' });
  });

  it('marks drift for the profile whose synced version the remote has moved past, and only for it', async () => {
    const { real } = scanningApp();
    const syncing = createApp({ runtime: real });
    await syncing.sync.sync({ project: { dir: dirs.api }, profile: 'dev' });

    const before = await scanningApp().app.rotation.scan();
    const usersBefore = before.rows.find((r) => r.parameter === '/shared/db_password')!.users;
    expect(usersBefore.every((u) => !u.drifted)).toBe(true);

    await ssm.send(
      new PutParameterCommand({
        Name: '/shared/db_password',
        Value: 'x'.repeat(12),
        Type: 'SecureString',
        Overwrite: true,
      }),
    );
    const after = await scanningApp().app.rotation.scan();
    const users = after.rows.find((r) => r.parameter === '/shared/db_password')!.users;
    expect(users.filter((u) => u.drifted).map((u) => `${u.project}/${u.profile}`)).toEqual(['api/dev']);
  });
});
