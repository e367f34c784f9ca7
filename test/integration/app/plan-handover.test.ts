import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, createDesktopApp, createRuntime } from '../../../main/app';
import { createPlanHandover } from '../../../main/app/plan-handover';
import { createClipboardGuard } from '../../../main/core/clipboard-guard';
import { useMotoBehindProxy, useSeededMoto } from '../../support/aws-env';
import { memoryClipboard, memoryKeychain } from '../../support/ipc-sandbox';
import { startConnectServer } from '../../support/connect-server';
import { seedChamberService } from '../../support/ssm-seed';

// Issue 14, found 9: the app's sync writes the values of the plan the user just reviewed instead of reading every
// value again. Counted at the fault proxy in front of moto, with the real SDK and the app's use cases.

const KEYS = 40;
const seeded = Object.fromEntries(Array.from({ length: KEYS }, (_, i) => [`key_${i}`, `canary-handover-${i}`]));
const MANIFEST = `version: 1
profiles:
  dev:
    target: .env
    sources:
      - chamber: big/dev
      - set: { LOG_LEVEL: debug }
`;

const ssm = useSeededMoto(async (client) => {
  await seedChamberService(client, 'big/dev', seeded);
});

const moto = useMotoBehindProxy();

let root: string;
beforeEach(() => {
  root = path.join(tmpdir(), `latchkey-handover-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(path.join(root, 'project'), { recursive: true });
  writeFileSync(path.join(root, 'project', 'latchkey.yml'), MANIFEST);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function desktop() {
  const handover = createPlanHandover();
  const app = createApp({
    runtime: createRuntime({ keychain: memoryKeychain(), appDir: path.join(root, 'home') }),
    handover,
  });
  const request = { project: { dir: path.join(root, 'project') }, profile: 'dev' };
  const plan = () => app.sync.plan({ ...request, rememberPlan: true });
  const sync = () => app.sync.sync(request);
  const envFile = () => readFileSync(path.join(root, 'project', '.env'), 'utf8');
  return { app, handover, plan, sync, envFile };
}

// Values come by name (GetParameters) or, on a first read, with the listing by path (GetParametersByPath).
const valueReads = () => {
  const ops = moto.proxy.stats().byOperation;
  return (ops['AmazonSSM.GetParameters'] ?? 0) + (ops['AmazonSSM.GetParametersByPath'] ?? 0);
};
const ssmRequests = () => moto.proxy.stats().total;

describe("a sync from the app's plan", () => {
  it('writes the reviewed values without a request to SSM', async () => {
    const { plan, sync, envFile } = desktop();
    await plan();
    expect(valueReads()).toBeGreaterThan(0);
    moto.proxy.resetStats();
    const result = await sync();
    expect(ssmRequests()).toBe(0);
    expect(result.wrote).toBe(true);
    expect(envFile()).toContain('KEY_0=canary-handover-0');
    expect(envFile()).toContain(`KEY_${KEYS - 1}=canary-handover-${KEYS - 1}`);
  });

  it('writes what the user reviewed, not a rotation that landed since; the next plan shows that change', async () => {
    const { plan, sync, envFile } = desktop();
    await plan();
    await ssm.send(
      new PutParameterCommand({
        Name: '/big/dev/key_3',
        Value: 'canary-rotated',
        Type: 'SecureString',
        Overwrite: true,
      }),
    );
    await sync();
    expect(envFile()).toContain('KEY_3=canary-handover-3');
    const next = await plan();
    expect(next.prepared.plan.entries.find((e) => e.name === 'KEY_3')?.status).toBe('change');
  });

  it('reads again after the app wrote to SSM, after a second sync, and in the CLI (no handover)', async () => {
    const { app, plan, sync, envFile } = desktop();
    await plan();
    await app.chamber.write({
      project: { dir: path.join(root, 'project') },
      service: 'big/dev',
      key: 'key_5',
      value: 'canary-written',
    });
    moto.proxy.resetStats();
    await sync();
    expect(valueReads()).toBeGreaterThan(0);
    expect(envFile()).toContain('KEY_5=canary-written');

    await plan();
    await sync();
    moto.proxy.resetStats();
    await sync(); // the plan's answers were used once: this one reads (only versions: nothing changed)
    expect(ssmRequests()).toBeGreaterThan(0);

    const cli = createApp({ runtime: createRuntime({ keychain: memoryKeychain(), appDir: path.join(root, 'cli') }) });
    const request = { project: { dir: path.join(root, 'project') }, profile: 'dev' };
    await cli.sync.plan({ ...request, rememberPlan: true });
    moto.proxy.resetStats();
    await cli.sync.sync(request);
    expect(valueReads()).toBeGreaterThan(0);
  });

  it('reads again when the manifest changed since the plan', async () => {
    const { plan, sync, envFile } = desktop();
    await plan();
    writeFileSync(
      path.join(root, 'project', 'latchkey.yml'),
      MANIFEST.replace('chamber: big/dev', 'chamber: big/dev\n        only: [key_1]'),
    );
    moto.proxy.resetStats();
    await sync();
    expect(ssmRequests()).toBeGreaterThan(0);
    expect(envFile()).toContain('KEY_1=canary-handover-1');
    expect(envFile()).not.toContain('KEY_2=');
  });
});

// The desktop app's own wiring (createDesktopApp): values read under one AWS session or 1Password server are not
// handed to a sync after the session started or stopped, or after a new server or token was configured.
describe("the desktop app's sync after a plan", () => {
  function desktopApp(opEnv: Record<string, string> = {}) {
    const app = createDesktopApp({
      runtime: createRuntime({ keychain: memoryKeychain(), appDir: path.join(root, 'home') }),
      openFile: () => Promise.reject(new Error('not in this test')),
      opEnv,
      confirmConnectHost: async () => true,
      clipboardGuard: createClipboardGuard(memoryClipboard(''), {
        emit: () => undefined,
        setTimer: () => () => undefined,
      }),
      openInBrowser: async () => undefined,
    });
    const request = { project: { dir: path.join(root, 'project') }, profile: 'dev' };
    return { app, plan: () => app.sync.plan({ ...request, rememberPlan: true }), sync: () => app.sync.sync(request) };
  }

  it('uses the handover when nothing changed in between', async () => {
    const { plan, sync } = desktopApp();
    await plan();
    moto.proxy.resetStats();
    await sync();
    expect(ssmRequests()).toBe(0);
  });

  it('reads again after an AWS session stopped', async () => {
    const { app, plan, sync } = desktopApp();
    await plan();
    await app.aws.logout('latchkey-handover-test');
    moto.proxy.resetStats();
    await sync();
    expect(valueReads()).toBeGreaterThan(0);
  });

  it('reads again after 1Password was configured with another server or token', async () => {
    const token = 'handover-op-token-canary';
    const server = await startConnectServer({ token, vaults: [{ name: 'Shared', items: [] }] });
    try {
      const { app, plan, sync } = desktopApp();
      await plan();
      await app.op.configure({ host: server.url, token });
      moto.proxy.resetStats();
      await sync();
      expect(valueReads()).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });
});
