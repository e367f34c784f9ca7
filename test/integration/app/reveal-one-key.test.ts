import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, createRuntime } from '../../../main/app';
import { applyEnv, useMotoBehindProxy, useSeededMoto } from '../../support/aws-env';
import { startConnectServer } from '../../support/connect-server';
import { memoryKeychain } from '../../support/ipc-sandbox';
import { seedChamberService } from '../../support/ssm-seed';

// Issue 14, item 8: revealing one key reads only the source that produces it, and only that key where the source
// allows. Counted at the fault proxy in front of moto: one key of a 120-key profile is a request or two, where the
// whole profile is many; the value is the one the profile's override order gives.

const KEYS = 120;
const many = Object.fromEntries(Array.from({ length: KEYS }, (_, i) => [`key_${i}`, `value-${i}`]));
const JWT = 'canary-reveal-jwt-3c9a';
const OVERRIDDEN = 'canary-reveal-overridden-5e1b';

const MANIFEST = `version: 1
profiles:
  dev:
    target: .env
    sources:
      - ssm: /legacy/jwt
        as: JWT_SECRET
      - chamber: big/dev
      - chamber: api/dev
      - set: { LOG_LEVEL: debug }
`;

useSeededMoto(async (client) => {
  await seedChamberService(client, 'big/dev', many);
  await seedChamberService(client, 'api/dev', { 'jwt-secret': JWT });
  await client.send(new PutParameterCommand({ Name: '/legacy/jwt', Value: OVERRIDDEN, Type: 'SecureString' }));
});

const moto = useMotoBehindProxy();

let root: string;
beforeEach(() => {
  root = path.join(tmpdir(), `latchkey-reveal-one-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(path.join(root, 'project'), { recursive: true });
  writeFileSync(path.join(root, 'project', 'latchkey.yml'), MANIFEST);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function revealing() {
  const app = createApp({ runtime: createRuntime({ keychain: memoryKeychain(), appDir: path.join(root, 'home') }) });
  const request = (name: string) => ({ project: { dir: path.join(root, 'project') }, profile: 'dev', name });
  return { app, request };
}

const requests = () => moto.proxy.stats().total;

describe('reveal reads one key', () => {
  it('reads one chamber key by name, not the service, and gives the value the override order gives', async () => {
    const { app, request } = revealing();
    moto.proxy.resetStats();
    // api/dev's jwt-secret overrides ssm /legacy/jwt (a later source wins), as a sync would write it.
    expect(await app.values.reveal(request('JWT_SECRET'))).toBe(JWT);
    const oneKey = moto.proxy.stats();
    expect(oneKey.byOperation['AmazonSSM.DescribeParameters'] ?? 0).toBe(0);
    expect(oneKey.byOperation['AmazonSSM.GetParametersByPath'] ?? 0).toBe(0);
    expect(oneKey.total).toBeLessThanOrEqual(3);

    moto.proxy.resetStats();
    expect(await app.values.reveal(request('KEY_7'))).toBe('value-7');
    expect(requests()).toBeLessThanOrEqual(3);

    // A set: value needs no request at all.
    moto.proxy.resetStats();
    expect(await app.values.reveal(request('LOG_LEVEL'))).toBe('debug');
    expect(requests()).toBe(0);
  });

  it('the same for both sides of a change, where the whole profile is many requests', async () => {
    const { app, request } = revealing();
    writeFileSync(path.join(root, 'project', '.env'), 'KEY_42=edited-here\n');
    moto.proxy.resetStats();
    expect(await app.values.revealChange(request('KEY_42'))).toEqual({ local: 'edited-here', remote: 'value-42' });
    const oneKey = requests();
    expect(oneKey).toBeLessThanOrEqual(3);

    // For scale: what reading the whole profile costs on the same proxy.
    moto.proxy.resetStats();
    await app.sync.plan({ project: { dir: path.join(root, 'project') }, profile: 'dev' });
    expect(requests()).toBeGreaterThan(oneKey * 3);
  });
});

describe('reveal reads one 1Password item', () => {
  const TOKEN = 'reveal-one-op-token-canary-5a0c';
  const ITEMS = 12;
  const OP_MANIFEST = `version: 1
profiles:
  dev:
    target: .env
    sources:
${Array.from({ length: ITEMS }, (_, i) => `      - op: "op://Shared/Item ${i}/password"\n        as: ITEM_${i}`).join('\n')}
`;

  it('gets one item of twelve, where the whole profile gets every one', async () => {
    const server = await startConnectServer({
      token: TOKEN,
      vaults: [
        {
          name: 'Shared',
          items: Array.from({ length: ITEMS }, (_, i) => ({
            title: `Item ${i}`,
            fields: [{ label: 'password', value: `op-value-${i}`, type: 'CONCEALED' }],
          })),
        },
      ],
    });
    const restore = applyEnv({ OP_CONNECT_HOST: server.url, OP_CONNECT_TOKEN: TOKEN });
    try {
      writeFileSync(path.join(root, 'project', 'latchkey.yml'), OP_MANIFEST);
      const { app, request } = revealing();
      const itemGets = () =>
        Object.entries(server.stats().byPath)
          .filter(([key]) => /^GET .*\/items\/[a-z0-9]{26}$/.test(key))
          .reduce((n, [, count]) => n + count, 0);
      server.resetStats();
      expect(await app.values.reveal(request('ITEM_5'))).toBe('op-value-5');
      expect(itemGets()).toBe(1);
      // The vault list and its item list name the item; nothing else is asked.
      expect(server.stats().total).toBeLessThanOrEqual(3);

      server.resetStats();
      await app.sync.plan({ project: { dir: path.join(root, 'project') }, profile: 'dev' });
      expect(itemGets()).toBe(ITEMS);
    } finally {
      restore();
      await server.stop();
    }
  });
});
