import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, eventChannel, type LatchkeyApi, type MethodName } from '../../../contract/ipc';
import { freshBundle } from '../../support/built-bundles';
import {
  SANDBOX_REQUIRE_ALLOWLIST,
  bridgedOriginal,
  runPreloadInSandbox,
  type PreloadWorld,
} from '../../support/electron-sandbox';
import { createSandbox, OFFLINE_MANIFEST, TRUSTED, type Sandbox } from '../../support/ipc-sandbox';

// The SHIPPED preload (out/preload/index.cjs), run the way a sandboxed, context-isolated Electron renderer runs
// it (test/support/electron-sandbox.ts), against the real router and handlers. This is the file that once began
// with require("zod") and left the app on a dead screen: these tests fail if it needs anything a sandboxed
// preload cannot load, or if what it exposes does not reach main.

const CANARY = 'canary-preload-bundle-5d1e';
/** Generous for zod (jitless) + the contract's schemas, minified; it was 20 kB with zod left out (and broken). */
const SIZE_BUDGET_BYTES = 128 * 1024;

let preload = '';
let sandbox: Sandbox;
let invoked: { channel: string; args: unknown[] }[] = [];

beforeAll(() => {
  preload = freshBundle('preload');
});
afterEach(() => sandbox?.cleanup());

/** The built preload in a fresh world, its ipcRenderer wired to the real router as main/electron/ipc.ts wires it. */
function start(): PreloadWorld {
  sandbox = createSandbox();
  invoked = [];
  return runPreloadInSandbox({
    preload,
    url: TRUSTED.url,
    main: {
      invoke(channel, args) {
        invoked.push({ channel, args });
        const method = channel.startsWith('latchkey:') ? channel.slice('latchkey:'.length) : '';
        if (!(METHOD_NAMES as string[]).includes(method)) throw new Error(`No handler registered for '${channel}'`);
        return sandbox.router.handle(method, TRUSTED, args[0]);
      },
    },
  });
}

describe('the built preload in the sandbox', () => {
  it('requires nothing but the allowlisted modules, and loads without an error', () => {
    const world = start();
    expect(world.loadError).toBeUndefined();
    expect(world.required.filter((name) => !SANDBOX_REQUIRE_ALLOWLIST.includes(name))).toEqual([]);
    expect(world.console).toEqual([]);
    expect(world.exposedKeys).toEqual(['latchkey']);
  });

  it('fails in the stand-in exactly as it failed in Electron, once it needs a module the sandbox lacks', () => {
    // The defect of issue 9, rebuilt from the shipped file: prove the stand-in would have caught it.
    const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-preload-'));
    try {
      const broken = path.join(dir, 'index.cjs');
      writeFileSync(broken, `require("zod");\n${readFileSync(preload, 'utf8')}`);
      const world = runPreloadInSandbox({ preload: broken, main: { invoke: () => undefined } });
      expect(world.loadError?.message).toBe('module not found: zod');
      expect('latchkey' in world.mainWorld).toBe(false);
      copyFileSync(preload, broken);
      expect(runPreloadInSandbox({ preload: broken, main: { invoke: () => undefined } }).loadError).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exposes window.latchkey: every contract method and on, as bridge proxies, frozen and read-only', () => {
    const world = start();
    const api = world.mainWorld.latchkey as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES, 'on'].sort());
    for (const key of Object.keys(api))
      expect({ key, proxied: bridgedOriginal(api[key]) !== undefined }).toEqual({ key, proxied: true });
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.getOwnPropertyDescriptor(world.mainWorld, 'latchkey')).toMatchObject({
      writable: false,
      configurable: false,
    });
  });

  it('carries every method to main on its own channel with the input as the one argument', async () => {
    const world = start();
    const api = world.mainWorld.latchkey as unknown as Record<MethodName, (input: unknown) => Promise<unknown>>;
    for (const method of METHOD_NAMES) await api[method]({ probe: method });
    expect(invoked.map((i) => i.channel)).toEqual(METHOD_NAMES.map((m) => `latchkey:${m}`));
    expect(
      invoked.every((i, k) => i.args.length === 1 && (i.args[0] as { probe: string }).probe === METHOD_NAMES[k]),
    ).toBe(true);
  });

  it('syncs a profile through the bridge: the value goes in once and never comes back out', async () => {
    const world = start();
    const api = world.mainWorld.latchkey as LatchkeyApi;
    const dir = sandbox.project('bundle', OFFLINE_MANIFEST);
    sandbox.setPicked(dir);
    const picked = await api['projects.pick']({});
    const projectId = picked.ok && picked.value.picked ? picked.value.picked.projectId : '';
    const answers = [
      await api['projects.open']({ projectId }),
      await api['secrets.setPersonal']({ projectId, name: 'PERSONAL_TOKEN', value: CANARY }),
      await api.plan({ projectId, profile: 'dev' }),
      await api.sync({ projectId, profile: 'dev' }),
      await api['audit.tail']({ limit: 10 }),
    ];
    expect(answers.map((a) => a.ok)).toEqual([true, true, true, true, true]);
    expect(answers[3]).toMatchObject({ ok: true, value: { wrote: true } });
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toContain(CANARY);
    expect(JSON.stringify(answers)).not.toContain(CANARY);
    expect(JSON.stringify(world.console)).not.toContain(CANARY);
    expect(statSync(path.join(dir, '.env')).mode & 0o777).toBe(0o600);
  });

  it('answers bad input with INVALID_INPUT, and a main process that fails with an envelope, never a rejection', async () => {
    const world = start();
    const api = world.mainWorld.latchkey as unknown as Record<string, (input: unknown) => Promise<unknown>>;
    expect(await api['projects.open']!({ dir: 42 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    const failing = runPreloadInSandbox({
      preload,
      main: {
        invoke: () => {
          throw new Error(`internal detail ${CANARY}`);
        },
      },
    });
    const answer = await (failing.mainWorld.latchkey as LatchkeyApi)['projects.list']({});
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(answer)).not.toContain(CANARY);
  });

  it('delivers events main sends to on() listeners, drops payloads the contract does not describe, unsubscribes', () => {
    const world = start();
    const api = world.mainWorld.latchkey as LatchkeyApi;
    const channel = eventChannel('plan.invalidated');
    const got: unknown[] = [];
    const off = api.on('plan.invalidated', (payload) => got.push(payload));
    expect(world.listenerCount(channel)).toBe(1);
    world.send(channel, { dir: '/p', profile: 'dev', reason: 'target' });
    world.send(channel, { dir: 42, reason: 'nonsense' });
    expect(got).toEqual([{ dir: '/p', profile: 'dev', reason: 'target' }]);
    // The listener got a copy made in the main world, not the isolated world's object.
    expect(Object.getPrototypeOf(got[0])).toBe((world.mainWorld.Object as ObjectConstructor).prototype);
    off();
    expect(world.listenerCount(channel)).toBe(0);
    world.send(channel, { dir: '/q', reason: 'manifest' });
    expect(got).toHaveLength(1);
    expect(world.uncaught).toEqual([]);
  });

  it('throws a plain Error across the bridge for an unknown event, as the page would see it', () => {
    const world = start();
    const api = world.mainWorld.latchkey as unknown as { on(event: string, listener: () => void): () => void };
    let thrown: unknown;
    try {
      api.on('no.such.event', () => undefined);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(world.mainWorld.Error as ErrorConstructor);
    expect(thrown).toMatchObject({ name: 'Error', message: 'Unknown Latchkey event.' });
  });

  it('is one self-contained file: no require but electron, no environment, within its size budget', () => {
    const source = readFileSync(preload, 'utf8');
    expect([...source.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(source).not.toMatch(/process\.env|\bBuffer\b|__dirname|__filename/);
    expect(Buffer.byteLength(source)).toBeLessThanOrEqual(SIZE_BUDGET_BYTES);
  });
});
