import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_REQUIRE_ALLOWLIST,
  runPreloadInSandbox,
  type MainProcessSide,
  type PreloadWorld,
} from '../../support/electron-sandbox';

// The sandbox stand-in itself (test/support/electron-sandbox.ts), on small preloads written for each rule: if it
// were looser than Electron, the tests that run the shipped preload in it would prove nothing.

const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-sandbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const echoMain: MainProcessSide = { invoke: (channel, args) => ({ channel, args }) };

function run(source: string, main: MainProcessSide = echoMain): PreloadWorld {
  const file = path.join(dir, `preload-${++n}.cjs`);
  writeFileSync(file, source);
  return runPreloadInSandbox({ preload: file, main, url: 'app://latchkey/' });
}

/** A preload that exposes `value` (an expression evaluated in the isolated world) as window.probe. */
function expose(expression: string, main?: MainProcessSide): Record<string, unknown> {
  const world = run(
    `const { contextBridge } = require('electron');\ncontextBridge.exposeInMainWorld('probe', ${expression});`,
    main,
  );
  if (world.loadError) throw world.loadError;
  return world.mainWorld;
}

describe('the CommonJS wrapper and the require() allowlist', () => {
  it('gives the preload require, process, exports, module, global and the immediates, and nothing else of Node', () => {
    const world = run(`
      const { contextBridge } = require('electron');
      contextBridge.exposeInMainWorld('seen', {
        kinds: [typeof require, typeof process, typeof exports, typeof module, typeof global, typeof setImmediate,
                typeof clearImmediate, typeof __filename, typeof __dirname, typeof Buffer, typeof document],
        moduleExportsIsExports: module.exports === exports,
        globalIsGlobalThis: global === globalThis,
        env: Object.keys(process.env).length,
        processFacts: [process.type, process.sandboxed, process.contextIsolated, process.isMainFrame],
      });`);
    expect(world.loadError).toBeUndefined();
    expect(world.mainWorld.seen).toEqual({
      kinds: ['function', 'object', 'object', 'object', 'object', 'function', 'function'].concat([
        'undefined',
        'undefined',
        'undefined',
        'undefined',
      ]),
      moduleExportsIsExports: true,
      globalIsGlobalThis: true,
      env: 0,
      processFacts: ['renderer', true, true, true],
    });
  });

  it('loads every allowlisted module', () => {
    const world = run(
      `const names = ${JSON.stringify(SANDBOX_REQUIRE_ALLOWLIST)};\n` +
        `require('electron').contextBridge.exposeInMainWorld('loaded', names.map((n) => typeof require(n)));`,
    );
    expect(world.loadError).toBeUndefined();
    expect(world.mainWorld.loaded).toEqual(SANDBOX_REQUIRE_ALLOWLIST.map(() => 'object'));
  });

  it.each(['zod', 'fs', 'node:fs', 'path', 'child_process', 'electron/main', './api'])(
    'refuses require(%j) as Electron does, and the page gets no API',
    (name) => {
      const world = run(
        `const dep = require(${JSON.stringify(name)});\nrequire('electron').contextBridge.exposeInMainWorld('api', {});`,
      );
      expect(world.loadError?.message).toBe(`module not found: ${name}`);
      expect(world.required).toEqual([name]);
      expect('api' in world.mainWorld).toBe(false);
      expect(world.console.map((l) => l.text)).toEqual([
        expect.stringMatching(/^Unable to load preload script: .*preload-\d+\.cjs$/),
        `Error: module not found: ${name}`,
      ]);
    },
  );

  it('leaves the unsupported renderer modules unusable, loudly', () => {
    const world = run(`require('electron').webFrame.setZoomFactor(2);`);
    expect(world.loadError?.message).toMatch(/electron\.webFrame\.setZoomFactor is not supported/);
  });
});

describe('contextBridge.exposeInMainWorld', () => {
  it('copies into another realm, deep-freezes, and defines a read-only, non-configurable window property', () => {
    const main = expose(`{ list: [1, 'two', { three: 3 }], nested: { flag: true }, n: null, u: undefined }`);
    const probe = main.probe as Record<string, unknown>;
    expect(probe).toEqual({ list: [1, 'two', { three: 3 }], nested: { flag: true }, n: null, u: undefined });
    const MainObject = (main as { Object: ObjectConstructor }).Object;
    expect(Object.getPrototypeOf(probe)).toBe(MainObject.prototype);
    expect(probe instanceof Object).toBe(false); // not this (host) realm's object either
    expect(Object.isFrozen(probe)).toBe(true);
    expect(Object.isFrozen(probe.list)).toBe(true);
    expect(Object.isFrozen((probe.list as unknown[])[2])).toBe(true);
    expect(Object.getOwnPropertyDescriptor(main, 'probe')).toMatchObject({
      writable: false,
      enumerable: true,
      configurable: false,
    });
  });

  it('refuses to bind over an existing window property', () => {
    const world = run(`
      const { contextBridge } = require('electron');
      contextBridge.exposeInMainWorld('twice', 1);
      contextBridge.exposeInMainWorld('twice', 2);`);
    expect(world.loadError?.message).toBe('Cannot bind an API on top of an existing property on the window object');
    expect(world.mainWorld.twice).toBe(1);
  });

  it('drops prototypes: a class instance arrives as a plain object of its own enumerable properties', () => {
    const main = expose(`(() => {
      class Point { constructor() { this.x = 1; Object.defineProperty(this, 'hidden', { value: 2 }); } norm() { return 1; } }
      return new Point();
    })()`);
    const probe = main.probe as Record<string, unknown>;
    expect(probe).toEqual({ x: 1 });
    expect('norm' in probe).toBe(false);
    expect('hidden' in probe).toBe(false);
  });

  it('reads getters once, at copy time', () => {
    const main = expose(`(() => { let reads = 0; return { get value() { reads += 1; return reads; } }; })()`);
    const probe = main.probe as { value: number };
    expect(probe.value).toBe(1);
    expect(probe.value).toBe(1);
    expect(Object.getOwnPropertyDescriptor(probe, 'value')?.get).toBeUndefined();
  });

  it('turns functions into nameless proxies that copy arguments in and results out', () => {
    const main = expose(`{
      named: function named(a, b) { return { sum: a.n + b.n, argIsPlain: Object.getPrototypeOf(a) === Object.prototype }; },
      withProps: Object.assign(() => 1, { extra: 'lost' }),
    }`);
    const probe = main.probe as {
      named(a: unknown, b: unknown): { sum: number; argIsPlain: boolean };
      withProps: { extra?: string };
    };
    expect(probe.named.name).toBe('');
    expect(probe.named.length).toBe(0);
    class Box {
      n = 2;
    }
    expect(probe.named(new Box(), { n: 3 })).toEqual({ sum: 5, argIsPlain: true });
    expect(probe.withProps.extra).toBeUndefined();
    expect(Object.getPrototypeOf(probe.named)).toBe((main as { Function: FunctionConstructor }).Function.prototype);
  });

  it('hands a function sent back across the bridge over as the original, not a proxy of a proxy', () => {
    const main = expose(`(() => { let kept; return { keep(fn) { kept = fn; }, give() { return kept; } }; })()`);
    const probe = main.probe as { keep(fn: () => number): void; give(): () => number };
    const mine = () => 42;
    probe.keep(mine);
    expect(probe.give()).toBe(mine);
  });

  it('loses every property of an error but its message, thrown or returned, and a TypeError arrives as an Error', () => {
    const main = expose(`{
      throws() { const e = new TypeError('bad input'); e.code = 'E_BAD'; e.secret = 'canary'; throw e; },
      returns() { return Object.assign(new RangeError('out of range'), { code: 'E_RANGE' }); },
      throwsString() { throw 'not an error'; },
    }`);
    const probe = main.probe as { throws(): never; returns(): Error; throwsString(): never };
    const MainError = (main as { Error: ErrorConstructor }).Error;
    let thrown: unknown;
    try {
      probe.throws();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MainError);
    expect(thrown).toMatchObject({ name: 'Error', message: 'bad input' });
    expect(Object.keys(thrown as object)).toEqual([]);
    const returned = probe.returns();
    expect(returned).toBeInstanceOf(MainError);
    expect({ name: returned.name, message: returned.message, code: (returned as { code?: string }).code }).toEqual({
      name: 'Error',
      message: 'out of range',
      code: undefined,
    });
    expect(() => probe.throwsString()).toThrow(/An unknown exception occurred in the isolated context/);
  });

  it('proxies promises: the value is copied when it settles, a rejection becomes Error(message)', async () => {
    const main = expose(`{
      later: async () => ({ when: 'later', fn: () => 'called' }),
      fails: async () => { throw Object.assign(new Error('nope'), { code: 'E_NOPE' }); },
    }`);
    const probe = main.probe as { later(): Promise<{ when: string; fn(): string }>; fails(): Promise<never> };
    const pending = probe.later();
    expect(pending).toBeInstanceOf((main as { Promise: PromiseConstructor }).Promise);
    const value = await pending;
    expect(value.when).toBe('later');
    expect(value.fn()).toBe('called');
    const failure = await probe.fails().catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'Error', message: 'nope' });
    expect((failure as { code?: string }).code).toBeUndefined();
  });

  it('structured-clones what is not a plain object (Date, typed arrays, Map) and refuses what cannot be cloned', () => {
    const main = expose(`{ when: new Date(0), bytes: new Uint8Array([1, 2]), map: new Map([['k', 1]]) }`);
    const probe = main.probe as { when: Date; bytes: Uint8Array; map: Map<string, number> };
    expect(probe.when.getTime()).toBe(0);
    expect([...probe.bytes]).toEqual([1, 2]);
    expect(probe.map.get('k')).toBe(1);

    const world = run(`require('electron').contextBridge.exposeInMainWorld('weak', { w: new WeakMap() });`);
    expect(world.loadError?.name).toBe('DataCloneError');
    expect('weak' in world.mainWorld).toBe(false);
  });

  it('keeps cycles between objects, and stops at the recursion limit', () => {
    const main = expose(`(() => { const a = { name: 'a' }; a.self = a; return a; })()`);
    const probe = main.probe as { self: unknown };
    expect(probe.self).toBe(probe);

    const world = run(`
      let deep = {}; const root = deep;
      for (let i = 0; i < 600; i++) { deep.next = {}; deep = deep.next; }
      require('electron').contextBridge.exposeInMainWorld('deep', root);`);
    expect(world.loadError?.message).toMatch(/recursion depth exceeded/);
  });
});

describe('ipcRenderer', () => {
  it('invokes main with cloned arguments and returns a clone of the answer', async () => {
    const seen: unknown[][] = [];
    const answer = { ok: true, nested: { list: [1] } };
    const main = expose(`{ call: (p) => require('electron').ipcRenderer.invoke('chan', p, 2) }`, {
      invoke: (channel, args) => {
        seen.push([channel, ...args]);
        return answer;
      },
    });
    const arg = { a: 1 };
    const result = await (main.probe as { call(p: unknown): Promise<typeof answer> }).call(arg);
    expect(seen).toEqual([['chan', { a: 1 }, 2]]);
    expect(result).toEqual(answer);
    expect(result).not.toBe(answer);
  });

  it("rejects with Electron's message when main throws or has no handler", async () => {
    const main = expose(`{ call: (c) => require('electron').ipcRenderer.invoke(c) }`, {
      invoke: (channel) => {
        if (channel === 'boom') throw new TypeError('handler broke');
        throw new Error(`No handler registered for '${channel}'`);
      },
    });
    const call = (main.probe as { call(c: string): Promise<unknown> }).call;
    await expect(call('boom')).rejects.toThrow("Error invoking remote method 'boom': TypeError: handler broke");
    await expect(call('none')).rejects.toThrow(
      "Error invoking remote method 'none': Error: No handler registered for 'none'",
    );
  });

  it('cannot send a function to main (IPC clones, it does not proxy)', async () => {
    const main = expose(`{ call: () => require('electron').ipcRenderer.invoke('chan', () => 1) }`);
    await expect((main.probe as { call(): Promise<unknown> }).call()).rejects.toThrow(/could not be cloned/);
  });

  it('gives listeners ({ sender, ports }, ...cloned args), and keeps a throwing listener from stopping the world', () => {
    const world = run(`
      const { contextBridge, ipcRenderer } = require('electron');
      const got = [];
      ipcRenderer.on('news', (event, payload) => {
        if (payload === 'throw') throw new Error('listener broke');
        got.push({ hasSender: event.sender === ipcRenderer, ports: event.ports.length, payload });
      });
      contextBridge.exposeInMainWorld('news', { read: () => got });`);
    const payload = { text: 'hello' };
    world.send('news', payload);
    world.send('news', 'throw');
    expect((world.mainWorld.news as { read(): unknown }).read()).toEqual([
      { hasSender: true, ports: 0, payload: { text: 'hello' } },
    ]);
    expect(world.uncaught.map((e) => e.message)).toEqual(['listener broke']);
    expect(world.listenerCount('news')).toBe(1);
  });
});
