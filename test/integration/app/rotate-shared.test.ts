import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp, createRuntime, type Runtime } from '../../../main/app';
import { LatchkeyError } from '../../../main/core/errors';
import type { ParameterStore } from '../../../main/sources/chamber-store';
import { useAwsTestEnv, useSeededMoto } from '../../support/aws-env';
import { readTree } from '../../support/cli';
import { memoryKeychain } from '../../support/ipc-sandbox';
import { seedChamberService } from '../../support/ssm-seed';

// Rotation with a fault at each step, in process over moto: whatever fails up to and including the write, the old
// version stays current and the error says what happened; a failed re-sync after the write is reported beside a
// rotation that stands.

const OLD = 'canary-rotate-old-93b1';
const NAME = '/api/dev/db_password';
const MANIFEST = `version: 1
profiles:
  dev:
    target: .env
    sources:
      - chamber: api/dev
        generate: { length: 32, charset: hex }
`;

const ssm = useSeededMoto((client) => seedChamberService(client, 'api/dev', { db_password: OLD }));
let restoreEnv: () => void;
beforeAll(() => (restoreEnv = useAwsTestEnv()));
afterAll(() => restoreEnv());

type Fault = Partial<{ [K in keyof ParameterStore]: (real: ParameterStore, call: number) => Promise<void> }>;

let root: string;
let appDir: string;
let project: string;

beforeEach(() => {
  root = path.join(tmpdir(), `latchkey-rotate-${process.pid}-${Math.random().toString(36).slice(2)}`);
  appDir = path.join(root, 'home');
  project = path.join(root, 'project');
  mkdirSync(project, { recursive: true });
  writeFileSync(path.join(project, 'latchkey.yml'), MANIFEST);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The real runtime, with `fault` run before the named store calls (the nth call of each is `call`). */
function appWith(fault: Fault = {}) {
  const real = createRuntime({ keychain: memoryKeychain(), appDir });
  const runtime: Runtime = {
    ...real,
    async parameterStore(aws) {
      const store = await real.parameterStore!(aws);
      const calls = new Map<string, number>();
      const wrapped = { ...store } as Record<string, unknown>;
      for (const [method, before] of Object.entries(fault)) {
        const original = store[method as keyof ParameterStore] as (...args: unknown[]) => Promise<unknown>;
        wrapped[method] = async (...args: unknown[]) => {
          const call = (calls.get(method) ?? 0) + 1;
          calls.set(method, call);
          await before(store, call);
          return original(...args);
        };
      }
      return wrapped as unknown as ParameterStore;
    },
  };
  return createApp({ runtime });
}

const rotate = (app: ReturnType<typeof createApp>, sync = false) =>
  app.sharedSecrets.rotate({ project: { dir: project }, profile: 'dev', name: 'DB_PASSWORD', sync });

async function current() {
  const out = await ssm.send(new GetParameterCommand({ Name: NAME, WithDecryption: true }));
  return { version: out.Parameter?.Version, value: out.Parameter?.Value };
}

function appData(): string[] {
  return readTree(appDir).map((f) => f.text);
}

describe('rotateSharedKey', () => {
  it('rotates with the manifest policy and audits names and versions only', async () => {
    const result = await rotate(appWith());
    expect(result).toMatchObject({ previousVersion: 1, version: 2, policy: { length: 32, charset: 'hex' } });
    const now = await current();
    expect(now.version).toBe(2);
    expect(now.value).toMatch(/^[0-9a-f]{32}$/);
    for (const text of appData()) {
      expect(text).not.toContain(now.value);
      expect(text).not.toContain(OLD);
    }
  });

  it('leaves the old version when reading the current version fails', async () => {
    const app = appWith({
      describeService: () => Promise.reject(new LatchkeyError('SOURCE_FAILED', 'injected: listing failed')),
    });
    await expect(rotate(app)).rejects.toThrow(/injected: listing failed/);
    expect(await current()).toEqual({ version: 1, value: OLD });
  });

  it('leaves the old version when the audit trail cannot record the intent', async () => {
    mkdirSync(appDir, { recursive: true });
    // A damaged trail: Latchkey refuses to extend it, so the rotation must not happen unrecorded.
    writeFileSync(path.join(appDir, 'audit.jsonl'), '{"not":"an event"}\n');
    await expect(rotate(appWith())).rejects.toMatchObject({ code: 'AUDIT_BROKEN' });
    expect(await current()).toEqual({ version: 1, value: OLD });
  });

  it('leaves the old version when the write fails, and says so', async () => {
    const app = appWith({
      put: () => Promise.reject(new LatchkeyError('SOURCE_FAILED', 'injected: PutParameter failed')),
    });
    const error = (await rotate(app).catch((e: unknown) => e)) as LatchkeyError;
    expect(error).toBeInstanceOf(LatchkeyError);
    expect(error.message).toMatch(
      /rotation of \/api\/dev\/db_password failed while writing: injected: PutParameter failed; version 1 is still current/,
    );
    expect(await current()).toEqual({ version: 1, value: OLD });
    const audit = readFileSync(path.join(appDir, 'audit.jsonl'), 'utf8');
    expect(audit).toMatch(/"action":"secret.rotate".*"outcome":"intent"/);
    expect(audit).toMatch(/"action":"secret.rotate"[^\n]*"outcome":"error"[^\n]*"detail":"SOURCE_FAILED"/);
  });

  it('never overwrites a change made between its read and its write', async () => {
    const app = appWith({
      // The second describe is the write's own version check: someone writes just before it.
      describe: async (_real, call) => {
        if (call === 1)
          await ssm.send(
            new PutParameterCommand({
              Name: NAME,
              Value: 'canary-someone-else',
              Type: 'SecureString',
              Overwrite: true,
            }),
          );
      },
    });
    await expect(rotate(app)).rejects.toMatchObject({
      code: 'VERSION_CONFLICT',
      message: expect.stringMatching(/is at version 2, not 1: it was changed .* at \d{4}-.*nothing was written/),
    });
    expect(await current()).toEqual({ version: 2, value: 'canary-someone-else' });
  });

  it('says the version moved when a write went through but its reply was lost', async () => {
    const app = appWith({
      put: async (real) => {
        await real.put({
          name: NAME,
          value: 'canary-lost-reply',
          keyId: 'alias/parameter_store_key',
          description: '2',
        });
        throw new LatchkeyError('SOURCE_FAILED', 'injected: connection reset');
      },
    });
    await expect(rotate(app)).rejects.toThrow(/it is now at version 2: check its history before trying again/);
  });

  it('reports a failed re-sync beside a rotation that stands', async () => {
    writeFileSync(path.join(root, 'elsewhere'), '');
    symlinkSync(path.join(root, 'elsewhere'), path.join(project, '.env'));
    const result = await rotate(appWith(), true);
    expect(result.version).toBe(2);
    expect(result.sync).toMatchObject({ ok: false, code: 'TARGET_UNSAFE' });
    expect((await current()).version).toBe(2);
  });
});
